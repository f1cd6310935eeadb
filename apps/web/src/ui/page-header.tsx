import { useEffect, useRef, type ReactNode } from 'react';
import { useNavigationCount } from '../app/navigation';

/**
 * The page's h1 and its document title. On a page reached by a client-side navigation focus moves
 * to the heading, so screen-reader users hear where they arrived (as a full page load would do).
 */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const navigations = useNavigationCount();
  useEffect(() => {
    document.title = `${title} · Sharepool`;
  }, [title]);
  // Only when the page is entered: a filter that rewrites the query string must not steal focus.
  const arrivedByNavigation = useRef(navigations > 0);
  useEffect(() => {
    if (arrivedByNavigation.current) heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <header className="page-header">
      <div>
        <h1 ref={heading} tabIndex={-1} className="page-header__title">
          {title}
        </h1>
        {description && <p className="page-header__description">{description}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </header>
  );
}
