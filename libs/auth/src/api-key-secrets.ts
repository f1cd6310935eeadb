import { createHmac, randomBytes } from 'node:crypto';

/** Every partner API key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'sp_';
const SECRET_BYTES = 32;
/** How much of the secret `ApiKey.prefix` shows. */
const SHOWN_CHARACTERS = 10;

export function isApiKeySecret(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** A new key: the secret (shown once) and what is stored (a peppered HMAC and the visible prefix). */
export function generateApiKeySecret(pepper: string): { secret: string; hmac: Buffer; prefix: string } {
  const secret = API_KEY_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
  return { secret, hmac: apiKeyHmac(pepper, secret), prefix: secret.slice(0, SHOWN_CHARACTERS) };
}

/** Keys are stored only as HMAC-SHA256 with a server-side pepper: a database leak reveals no usable key. */
export function apiKeyHmac(pepper: string, secret: string): Buffer {
  return createHmac('sha256', pepper).update(secret).digest();
}
