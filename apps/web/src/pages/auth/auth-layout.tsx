import { useEffect, type ReactNode } from 'react';

/** The frame of the public pages: the pitch on one side, the form on the other. */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Sharepool`;
  }, [title]);
  return (
    <div className="auth">
      <section className="auth__pitch" aria-label="About Sharepool">
        <p className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          Sharepool
        </p>
        <p className="auth__tagline">Share your peers' best posts. Get yours shared back.</p>
        <ul className="auth__points">
          <li>Earn credits for every post you share</li>
          <li>Spend them to reach your peers' audiences</li>
          <li>See who gives back, week after week</li>
        </ul>
      </section>
      <main className="auth__main">
        <div className="auth__card">
          <h1 className="auth__title">{title}</h1>
          {children}
        </div>
        <p className="auth__footer">{footer}</p>
      </main>
    </div>
  );
}
