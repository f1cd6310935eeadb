import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { AccessTokens, type Authenticated, Authenticator, isApiKeySecret } from '@sharepool/auth';

/** The bearer token of a request, unless it is an API key. */
function accessTokenOf(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match && !isApiKeySecret(match[1]!) ? match[1]! : null;
}

/** `Authorization: Bearer <JWT>`: a member's access token. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly authenticator: Authenticator,
    tokens: AccessTokens,
  ) {
    const { secretOrKey, ...options } = tokens.verificationOptions();
    // passport-jwt hands the key to jsonwebtoken, which takes a KeyObject; its type definitions only list strings and buffers.
    super({ jwtFromRequest: accessTokenOf, ignoreExpiration: false, secretOrKey: secretOrKey as unknown as Buffer, ...options });
  }

  validate(payload: { sub?: string }): Promise<Authenticated> {
    return this.authenticator.fromAccessToken(String(payload.sub));
  }
}
