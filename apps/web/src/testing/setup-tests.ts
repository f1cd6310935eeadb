import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearSessionCookie } from './fake-api';

// A busy two-core CI machine can take over a second to settle a render; a real failure still fails.
configure({ asyncUtilTimeout: 3_000 });

// jsdom has no layout: scrolling is a no-op rather than a "not implemented" error.
window.scrollTo = () => undefined;

afterEach(() => {
  cleanup();
  localStorage.clear();
  clearSessionCookie();
  window.history.replaceState(null, '', '/');
});
