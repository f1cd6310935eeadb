import type { Request } from 'express';
import type { AppConfig } from '@sharepool/config';

/**
 * Whether a cookie gets the Secure flag: always outside development, and in
 * development when the request came over HTTPS, which Express knows from
 * X-Forwarded-Proto only for the proxies TRUST_PROXY trusts.
 */
export function secureCookies(config: AppConfig, req: Request): boolean {
  return config.env !== 'development' || req.secure;
}

/** The value of one cookie of the request, or null. */
export function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}
