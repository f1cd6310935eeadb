import { InvalidInputError } from '@sharepool/kernel';

export const DEFAULT_RETURN_PATH = '/channels';

/**
 * A path of the web app to send the member back to: only a local path (no
 * scheme, no host, no `//` or backslash that a browser would read as another
 * site), so the callback cannot be made to redirect anywhere else.
 */
export function webAppPath(value: string | null | undefined): string {
  const path = value?.trim() || DEFAULT_RETURN_PATH;
  const printable = [...path].every((char) => char > '\u001f' && char !== '\u007f');
  const local = printable && path.length <= 500 && /^\/(?![/\\])[^\s\\]*$/.test(path);
  if (!local || new URL(path, 'http://sharepool.invalid').origin !== 'http://sharepool.invalid') {
    throw new InvalidInputError('returnTo', 'returnTo must be a path of the web app, such as /channels');
  }
  return path;
}

/** `path` with one query parameter set (the path's own query and fragment kept). */
export function withParam(path: string, name: string, value: string): string {
  const url = new URL(path, 'http://sharepool.invalid');
  url.searchParams.set(name, value);
  return url.pathname + url.search + url.hash;
}
