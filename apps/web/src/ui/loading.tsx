/** Grey placeholders in the shape of what is coming; the container says "loading" to screen readers. */
export function SkeletonList({
  count = 3,
  variant = 'card',
  label = 'Loading',
}: {
  count?: number;
  variant?: 'card' | 'row';
  label?: string;
}) {
  return (
    <div className="skeleton-list" aria-busy="true">
      <span className="visually-hidden" role="status">
        {label}…
      </span>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className={`skeleton skeleton--${variant}`} aria-hidden="true">
          {variant === 'card' && <div className="skeleton__image" />}
          <div className="skeleton__line" />
          <div className="skeleton__line skeleton__line--short" />
        </div>
      ))}
    </div>
  );
}

export function PageLoading() {
  return (
    <div className="page">
      <div className="skeleton skeleton__line skeleton__line--title" aria-hidden="true" />
      <SkeletonList />
    </div>
  );
}
