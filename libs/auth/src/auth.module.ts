import { Module } from '@nestjs/common';
import { MembersModule } from '@sharepool/members';
import { AccessTokens } from './access-tokens.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokens } from './refresh-tokens.js';

@Module({
  imports: [MembersModule],
  providers: [AccessTokens, AdminBootstrap, ApiKeysService, AuthService, Authenticator, LoginThrottle, PasswordHasher, RefreshTokens],
  exports: [AccessTokens, ApiKeysService, AuthService, Authenticator, PasswordHasher],
})
export class AuthModule {}
