import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Link, matchPath, Redirect, RouterProvider, Routes, useParams, useSearchParams } from './router';

function Section() {
  const { section } = useParams<{ section: string }>();
  return <h1>Section {section}</h1>;
}

function Filter() {
  const [params, setParams] = useSearchParams();
  return (
    <button type="button" onClick={() => setParams({ status: 'POSTED' })}>
      status is {params.get('status') ?? 'none'}
    </button>
  );
}

function TestApp() {
  return (
    <RouterProvider>
      <nav>
        <Link to="/feed">Feed</Link>
        <Link to="/admin/members" activePrefix="/admin">
          Admin
        </Link>
      </nav>
      <Routes
        routes={[
          { path: '/', element: <Redirect to="/feed" /> },
          { path: '/feed', element: <h1>Feed page</h1> },
          { path: '/admin/:section', element: <Section /> },
          { path: '/shares', element: <Filter /> },
        ]}
        fallback={<h1>Not found</h1>}
      />
    </RouterProvider>
  );
}

describe('matchPath', () => {
  it('captures named parameters, decoded', () => {
    expect(matchPath('/admin/:section', '/admin/audit%20log')).toEqual({ section: 'audit log' });
  });

  it('ignores a trailing slash but not extra segments', () => {
    expect(matchPath('/feed', '/feed/')).toEqual({});
    expect(matchPath('/feed', '/feed/more')).toBeNull();
    expect(matchPath('/admin/:section', '/admin')).toBeNull();
  });

  it('matches the rest of the path with a wildcard', () => {
    expect(matchPath('/docs/*', '/docs/a/b')).toEqual({ '*': 'a/b' });
  });
});

describe('router', () => {
  it('redirects the root to the feed without adding a history entry', () => {
    render(<TestApp />);
    expect(screen.getByRole('heading', { name: 'Feed page' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/feed');
  });

  it('navigates in place on a click and marks the current link', async () => {
    render(<TestApp />);
    const before = window.history.length;
    await userEvent.click(screen.getByRole('link', { name: 'Admin' }));
    expect(screen.getByRole('heading', { name: 'Section members' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/admin/members');
    expect(window.history.length).toBe(before + 1);
    expect(screen.getByRole('link', { name: 'Admin' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'Feed' })).not.toHaveAttribute('aria-current');
  });

  it('leaves a modified click (open in a new tab) to the browser', () => {
    render(<TestApp />);
    let leftToBrowser: boolean | undefined;
    const record = (event: MouseEvent) => {
      leftToBrowser = !event.defaultPrevented;
      event.preventDefault(); // jsdom cannot open the tab
    };
    document.addEventListener('click', record);
    fireEvent.click(screen.getByRole('link', { name: 'Admin' }), { ctrlKey: true });
    document.removeEventListener('click', record);
    expect(leftToBrowser).toBe(true);
    expect(screen.getByRole('heading', { name: 'Feed page' })).toBeInTheDocument();
  });

  it('follows the back button', async () => {
    render(<TestApp />);
    await userEvent.click(screen.getByRole('link', { name: 'Admin' }));
    act(() => {
      window.history.replaceState(null, '', '/feed');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(screen.getByRole('heading', { name: 'Feed page' })).toBeInTheDocument();
  });

  it('shows the fallback for an unknown address', () => {
    window.history.replaceState(null, '', '/nowhere');
    render(<TestApp />);
    expect(screen.getByRole('heading', { name: 'Not found' })).toBeInTheDocument();
  });

  it('keeps filters in the query string', async () => {
    window.history.replaceState(null, '', '/shares');
    render(<TestApp />);
    await userEvent.click(screen.getByRole('button', { name: 'status is none' }));
    expect(window.location.search).toBe('?status=POSTED');
    expect(screen.getByRole('button', { name: 'status is POSTED' })).toBeInTheDocument();
  });
});
