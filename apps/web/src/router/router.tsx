import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

export interface RouterLocation {
  pathname: string;
  search: string;
}

export interface NavigateOptions {
  replace?: boolean;
}

interface RouterValue {
  location: RouterLocation;
  navigate: (to: string, options?: NavigateOptions) => void;
  /** how many client-side navigations happened: 0 on the page the browser loaded */
  navigations: number;
}

const RouterContext = createContext<RouterValue | null>(null);
const ParamsContext = createContext<Record<string, string>>({});

function readLocation(): RouterLocation {
  return { pathname: window.location.pathname, search: window.location.search };
}

/** A History API router: the URL is the state; back and forward come through `popstate`. */
export function RouterProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(() => ({ location: readLocation(), navigations: 0 }));

  useEffect(() => {
    const onPop = () => setState((s) => ({ location: readLocation(), navigations: s.navigations + 1 }));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string, options: NavigateOptions = {}) => {
    const url = new URL(to, window.location.href);
    if (url.origin !== window.location.origin) {
      window.location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (options.replace) window.history.replaceState(null, '', target);
    else window.history.pushState(null, '', target);
    setState((s) => ({ location: readLocation(), navigations: s.navigations + 1 }));
    if (!options.replace) window.scrollTo?.(0, 0);
  }, []);

  const value = useMemo(() => ({ ...state, navigate }), [state, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

function useRouter(): RouterValue {
  const router = useContext(RouterContext);
  if (!router) throw new Error('Router hooks need a <RouterProvider>');
  return router;
}

export function useLocation(): RouterLocation {
  return useRouter().location;
}

export function useNavigate(): (to: string, options?: NavigateOptions) => void {
  return useRouter().navigate;
}

export function useNavigationCount(): number {
  return useRouter().navigations;
}

export function useParams<T extends Record<string, string> = Record<string, string>>(): T {
  return useContext(ParamsContext) as T;
}

/** The query string, and a setter that replaces it (filters should not fill the history). */
export function useSearchParams(): [URLSearchParams, (next: Record<string, string | undefined>) => void] {
  const { location, navigate } = useRouter();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const set = useCallback(
    (next: Record<string, string | undefined>) => {
      const merged = new URLSearchParams(location.search);
      for (const [key, value] of Object.entries(next)) {
        if (value === undefined || value === '') merged.delete(key);
        else merged.set(key, value);
      }
      const query = merged.toString();
      navigate(location.pathname + (query ? `?${query}` : ''), { replace: true });
    },
    [location, navigate],
  );
  return [params, set];
}

/**
 * Matches `/admin/:section` or `/posts/*` against a path; the parameters on success, else null.
 * A trailing slash is ignored; parameters are URI-decoded.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = split(pattern);
  const have = split(pathname);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i];
    if (part === '*') {
      params['*'] = have.slice(i).join('/');
      return params;
    }
    const value = have[i];
    if (value === undefined) return null;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) {
      return null;
    }
  }
  return have.length === want.length ? params : null;
}

function split(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

export interface RouteDefinition {
  path: string;
  element: ReactNode;
}

/** Renders the first route whose path matches, or the fallback. */
export function Routes({ routes, fallback }: { routes: readonly RouteDefinition[]; fallback: ReactNode }) {
  const { pathname } = useLocation();
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return <ParamsContext.Provider value={params}>{route.element}</ParamsContext.Provider>;
  }
  return <>{fallback}</>;
}

export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  to: string;
  /** mark the link as the current page when the path starts with this (default: equals `to`) */
  activePrefix?: string;
}

/** An ordinary anchor (so open-in-new-tab works) that navigates in place on a plain click. */
export function Link({ to, activePrefix, onClick, children, ...rest }: LinkProps) {
  const { navigate, location } = useRouter();
  const path = to.split('?')[0];
  const active = activePrefix
    ? location.pathname === activePrefix || location.pathname.startsWith(`${activePrefix}/`)
    : location.pathname === path;
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} aria-current={active ? 'page' : undefined} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}

/** Sends the browser elsewhere on render (e.g. `/` → `/feed`). */
export function Redirect({ to }: { to: string }) {
  const navigate = useNavigate();
  useEffect(() => navigate(to, { replace: true }), [navigate, to]);
  return null;
}
