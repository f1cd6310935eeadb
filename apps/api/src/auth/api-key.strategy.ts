import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { type Authenticated, Authenticator, isApiKeySecret } from '@sharepool/auth';

/** `Authorization: Bearer sp_…`: a partner API key. Other bearer tokens are left to the JWT strategy. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly authenticator: Authenticator) {
    super({ realm: 'sharepool' });
  }

  validate(token: string): Promise<Authenticated> | false {
    return isApiKeySecret(token) ? this.authenticator.fromApiKey(token) : false;
  }
}
