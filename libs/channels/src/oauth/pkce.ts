import { createHash, randomBytes } from 'node:crypto';

/** A PKCE code verifier (RFC 7636): 64 characters of base64url, 384 random bits. */
export function newCodeVerifier(): string {
  return randomBytes(48).toString('base64url');
}

/** The S256 code challenge of a verifier. */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
