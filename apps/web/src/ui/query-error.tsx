import { errorText } from '../api/error-text';

/** A failed load, in words, with a way to try again. */
export function QueryError({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="alert alert--danger" role="alert">
      <p>{errorText(error)}</p>
      {retry && (
        <button type="button" className="button button--secondary button--small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
