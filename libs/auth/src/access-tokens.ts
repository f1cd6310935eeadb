import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig } from '@sharepool/config';

/** Access tokens live 15 minutes; refresh tokens renew them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'sharepool';
const AUDIENCE = 'sharepool-api';

export interface AccessTokenClaims {
  /** The member id. */
  readonly sub: string;
}

/** Signs and checks the short-lived JWTs members use as Bearer tokens. */
@Injectable()
export class AccessTokens {
  /**
   * The signing secret as a key object, made once: given a string, jsonwebtoken
   * tries it as a PEM public key and then as a secret on every call, which costs
   * more than the HMAC itself.
   */
  private readonly key: KeyObject;

  constructor(config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret));
  }

  issue(memberId: string): { token: string; expiresIn: number } {
    const token = jwt.sign({}, this.key, {
      algorithm: 'HS256',
      subject: memberId,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    });
    return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** The member id of a valid token, or null (expired, forged, not ours). */
  memberOf(token: string): string | null {
    return this.verify(token)?.memberId ?? null;
  }

  /** The member id of a valid token and when it expires, or null (expired, forged, not ours). */
  verify(token: string): { memberId: string; expiresAt: Date } | null {
    try {
      const { secretOrKey, ...options } = this.verificationOptions();
      const claims = jwt.verify(token, secretOrKey, options) as jwt.JwtPayload;
      return typeof claims.sub === 'string' && typeof claims.exp === 'number'
        ? { memberId: claims.sub, expiresAt: new Date(claims.exp * 1000) }
        : null;
    } catch {
      return null;
    }
  }

  /** The options Passport's JWT strategy checks tokens with; the same as `issue` signs with. */
  verificationOptions() {
    return { secretOrKey: this.key, algorithms: ['HS256' as const], issuer: ISSUER, audience: AUDIENCE };
  }
}
