import { Link, useLocation } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { isAdmin, isModerator } from '../session/session-viewer';
import { useSession, useViewer } from '../session/session';
import { formatNumber } from '../ui/display-format';

interface NavItem {
  to: '/feed' | '/posts' | '/shares' | '/wallet' | '/channels' | '/api-keys' | '/profile' | '/moderation' | '/admin';
  label: string;
  icon: string;
}

// Icons are characters the common system fonts all carry (DejaVu on Linux included), never a missing-glyph box.
const MEMBER_NAV: NavItem[] = [
  { to: '/feed', label: 'Feed', icon: '◎' },
  { to: '/posts', label: 'My posts', icon: '✎' },
  { to: '/shares', label: 'My shares', icon: '↗' },
  { to: '/wallet', label: 'Return on relationship', icon: '◈' },
  { to: '/channels', label: 'Channels', icon: '⌁' },
  { to: '/api-keys', label: 'API keys', icon: '⊶' },
  { to: '/profile', label: 'Profile', icon: '☺' },
];

/** The signed-in layout: a left nav on wide screens, a menu button on phones, and the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const { signOut } = useSession();
  const { pathname } = useLocation();
  // The phone menu is open on the page where it was opened: choosing another page closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpenOn(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const staffNav: NavItem[] = [
    ...(isModerator(viewer) ? [{ to: '/moderation' as const, label: 'Moderation', icon: '⚑' }] : []),
    ...(isModerator(viewer) ? [{ to: '/admin' as const, label: isAdmin(viewer) ? 'Admin' : 'Members', icon: '⚙' }] : []),
  ];

  const logOut = async () => {
    // The gate sends a signed-out visitor to the login page.
    await signOut();
  };

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="icon-button topbar__menu"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          aria-label="Menu"
          onClick={() => setMenuOpenOn(menuOpen ? null : pathname)}
        >
          <span aria-hidden="true">☰</span>
        </button>
        <Link to="/feed" className="brand">
          <span className="brand__mark" aria-hidden="true" />
          Sharepool
        </Link>
        <div className="topbar__end">
          <Link to="/wallet" className="balance-pill" aria-label={`Balance: ${formatNumber(viewer.creditBalance)} credits`}>
            <span aria-hidden="true">◈</span> {formatNumber(viewer.creditBalance)}
          </Link>
          <span className="topbar__who">@{viewer.member.handle}</span>
          <button type="button" className="button button--ghost button--small" onClick={() => void logOut()}>
            Log out
          </button>
        </div>
      </header>
      <nav id="primary-nav" className={`sidenav ${menuOpen ? 'sidenav--open' : ''}`} aria-label="Main">
        <ul className="sidenav__list">
          {MEMBER_NAV.map((item) => (
            <NavLink key={item.to} item={item} />
          ))}
        </ul>
        {staffNav.length > 0 && (
          <>
            <p className="sidenav__heading">Community</p>
            <ul className="sidenav__list">
              {staffNav.map((item) => (
                <NavLink key={item.to} item={item} />
              ))}
            </ul>
          </>
        )}
      </nav>
      {menuOpen && <div className="sidenav-scrim" aria-hidden="true" onClick={() => setMenuOpenOn(null)} />}
      <main id="main" className="main" tabIndex={-1}>
        {viewer.member.status === 'SUSPENDED' && (
          <div className="alert alert--danger" role="alert">
            Your account is suspended: you can look around, but not submit or share. Contact the moderators if you think this is a mistake.
          </div>
        )}
        {children}
      </main>
    </div>
  );
}

/** A page of the menu, marked current on it and on the pages under it (a post's analytics under My posts). */
function NavLink({ item }: { item: NavItem }) {
  return (
    <li>
      <Link to={item.to} activeOptions={{ includeSearch: false }} activeProps={{}} className="sidenav__link">
        <span className="sidenav__icon" aria-hidden="true">
          {item.icon}
        </span>
        {item.label}
      </Link>
    </li>
  );
}
