import { useState, type ReactNode } from 'react';
import { hostOf } from './display-format';

export interface PreviewablePost {
  url: string;
  title: string;
  summary?: string | null;
  imageUrl?: string | null;
}

/** A post as a card: the page's preview image (or a tinted stand-in), its site, title and summary. */
export function PostPreview({
  post,
  badges,
  meta,
  actions,
  children,
  headingLevel = 2,
}: {
  post: PreviewablePost;
  badges?: ReactNode;
  meta?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  headingLevel?: 2 | 3;
}) {
  const [broken, setBroken] = useState(false);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const host = hostOf(post.url);
  return (
    <article className="post-card">
      <div className="post-card__media">
        {post.imageUrl && !broken ? (
          <img src={post.imageUrl} alt="" loading="lazy" decoding="async" referrerPolicy="no-referrer" onError={() => setBroken(true)} />
        ) : (
          <div className="post-card__placeholder" aria-hidden="true" style={{ ['--hue' as string]: String(hue(host)) }}>
            {host.slice(0, 1).toUpperCase()}
          </div>
        )}
      </div>
      <div className="post-card__body">
        {badges && <div className="post-card__badges">{badges}</div>}
        <Heading className="post-card__title">
          <a href={post.url} target="_blank" rel="noopener noreferrer">
            {post.title} <span className="visually-hidden">(opens in a new tab)</span>
          </a>
        </Heading>
        <p className="post-card__host">{host}</p>
        {post.summary && <p className="post-card__summary">{post.summary}</p>}
        {meta && <div className="post-card__meta">{meta}</div>}
        {children}
        {actions && <div className="post-card__actions">{actions}</div>}
      </div>
    </article>
  );
}

/** A stable colour per site, so placeholders are told apart at a glance. */
function hue(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}
