import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '@sharepool/mail';
import { MembersModule } from '@sharepool/members';
import { AccessTokens } from './access-tokens.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';
import { BoardTickets } from './board-tickets.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RefreshTokens } from './refresh-tokens.js';
import { RegistrationLimit } from './registration-limit.js';

/** The auth lib's tables. */
export const AUTH_ENTITIES = [RefreshTokenEntity, ApiKeyEntity];

@Module({
  imports: [MailModule, MembersModule, TypeOrmModule.forFeature(AUTH_ENTITIES)],
  providers: [
    AccessTokens,
    AdminBootstrap,
    ApiKeysService,
    AuthService,
    Authenticator,
    BoardTickets,
    LoginThrottle,
    PasswordHasher,
    RefreshTokens,
    RegistrationLimit,
  ],
  exports: [AccessTokens, ApiKeysService, AuthService, Authenticator, BoardTickets, PasswordHasher],
})
export class AuthModule {}
