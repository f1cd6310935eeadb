import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembersModule } from '@sharepool/members';
import { AccessTokens } from './access-tokens.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RefreshTokens } from './refresh-tokens.js';

/** The auth lib's tables. */
export const AUTH_ENTITIES = [RefreshTokenEntity, ApiKeyEntity];

@Module({
  imports: [MembersModule, TypeOrmModule.forFeature(AUTH_ENTITIES)],
  providers: [AccessTokens, AdminBootstrap, ApiKeysService, AuthService, Authenticator, LoginThrottle, PasswordHasher, RefreshTokens],
  exports: [AccessTokens, ApiKeysService, AuthService, Authenticator, PasswordHasher],
})
export class AuthModule {}
