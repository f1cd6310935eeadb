import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';

/** What an unsubscribe link turns off: one kind of notification, the daily digest, or account notices. */
export interface UnsubscribeClaim {
  readonly memberId: string;
  readonly topic: string;
}

/** What a verification link proves: that the member reads this address. */
export interface VerificationClaim {
  readonly memberId: string;
  readonly email: string;
  readonly expiresAt: number;
}

/** How long a verification link works. */
export const VERIFICATION_LINK_HOURS = 72;

/**
 * Signed links in emails, checked without a session: a token is its claim in
 * base64url and an HMAC-SHA256 of it under a key of its own purpose, derived
 * from JWT_SECRET (so no new secret is needed and one purpose's token is never
 * another's).
 */
@Injectable()
export class MailLinks {
  private readonly unsubscribeKey: Buffer;
  private readonly verificationKey: Buffer;

  constructor(private readonly config: AppConfig) {
    this.unsubscribeKey = derive(config.jwtSecret, 'sharepool email unsubscribe');
    this.verificationKey = derive(config.jwtSecret, 'sharepool email verification');
  }

  /** The one-click unsubscribe link of an email (it never expires: old emails keep working). */
  unsubscribeUrl(claim: UnsubscribeClaim): string {
    return `${this.config.publicUrl}/mail/unsubscribe?token=${sign(this.unsubscribeKey, { m: claim.memberId, t: claim.topic })}`;
  }

  readUnsubscribe(token: string): UnsubscribeClaim | null {
    const claim = verify(this.unsubscribeKey, token) as { m?: unknown; t?: unknown } | null;
    return claim && typeof claim.m === 'string' && typeof claim.t === 'string' ? { memberId: claim.m, topic: claim.t } : null;
  }

  verificationUrl(memberId: string, email: string): string {
    const expiresAt = Date.now() + VERIFICATION_LINK_HOURS * 3_600_000;
    return `${this.config.publicUrl}/auth/verify-email?token=${sign(this.verificationKey, { m: memberId, e: email, x: expiresAt })}`;
  }

  /** The claim of a verification token that is genuine and not expired, else null. */
  readVerification(token: string): VerificationClaim | null {
    const claim = verify(this.verificationKey, token) as { m?: unknown; e?: unknown; x?: unknown } | null;
    if (!claim || typeof claim.m !== 'string' || typeof claim.e !== 'string' || typeof claim.x !== 'number') return null;
    if (claim.x < Date.now()) return null;
    return { memberId: claim.m, email: claim.e, expiresAt: claim.x };
  }

  /** A link into the web app. */
  appUrl(path: string): string {
    return `${this.config.publicUrl}${path}`;
  }
}

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'sharepool', purpose, 32));
}

function sign(key: Buffer, claim: object): string {
  const body = Buffer.from(JSON.stringify(claim)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

function verify(key: Buffer, token: unknown): unknown {
  if (typeof token !== 'string' || token.length > 1000) return null;
  const [body, mac, ...rest] = token.split('.');
  if (!body || !mac || rest.length) return null;
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
