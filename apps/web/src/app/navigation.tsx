import { useRouter } from '@tanstack/react-router';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

const NavigationCountContext = createContext(0);

/** Counts the client-side navigations (links, back and forward, filters): 0 on the page the browser loaded. */
export function NavigationCounter({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [navigations, setNavigations] = useState(0);
  useEffect(() => router.history.subscribe(() => setNavigations((n) => n + 1)), [router]);
  return <NavigationCountContext.Provider value={navigations}>{children}</NavigationCountContext.Provider>;
}

export function useNavigationCount(): number {
  return useContext(NavigationCountContext);
}
