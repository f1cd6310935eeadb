import { Injectable } from '@nestjs/common';
import { TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, AuthenticationError, InvalidInputError, type MemberActor, PermissionDeniedError } from '@sharepool/kernel';
import {
  type Member,
  MembersService,
  MemberSuspendedError,
  normaliseEmail,
  validateDisplayName,
  validateHandle,
  validatePassword,
} from '@sharepool/members';
import { AccessTokens } from './access-tokens.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { type IssuedRefreshToken, RefreshTokens } from './refresh-tokens.js';
import { RegistrationLimit } from './registration-limit.js';

/** A new session: the tokens and who they belong to. */
export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** For a session kept in a cookie: the value its refresh and logout requests must echo in a header. */
  readonly csrfToken: string;
  readonly expiresIn: number;
  readonly actor: MemberActor;
  readonly member: Member;
}

export interface RegisterInput {
  readonly email: string;
  readonly password: string;
  readonly handle: string;
  readonly displayName: string;
}

const WRONG_CREDENTIALS = 'Email or password is incorrect';

const isTokenShaped = (token: unknown): token is string => typeof token === 'string' && token.length > 0 && token.length <= 200;

/** Sign-up, sign-in, token refresh and sign-out. */
@Injectable()
export class AuthService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly members: MembersService,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly throttle: LoginThrottle,
    private readonly registrations: RegistrationLimit,
  ) {}

  /**
   * A new member with the signup grant, signed in. Each client address may
   * register a limited number of accounts an hour (input mistakes do not count).
   * A taken email still answers CONFLICT: answering like a new account and
   * telling the owner by email instead waits for Sharepool to send email.
   */
  async register(_actor: Actor, input: RegisterInput, clientAddress: string): Promise<Session> {
    const email = normaliseEmail(input.email);
    const handle = validateHandle(input.handle);
    const displayName = validateDisplayName(input.displayName);
    validatePassword(input.password, email);
    await this.registrations.take(clientAddress);
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(async (tx) => {
      const member = await this.members.enrol(tx, { email, handle, displayName, passwordHash });
      return this.session(member, await this.refreshTokens.issue(tx, member.id));
    });
  }

  /**
   * Signs in. A wrong email and a wrong password give the same error after the
   * same work; failures are counted per account and per client address.
   */
  async login(_actor: Actor, input: { email: string; password: string }, clientAddress: string): Promise<Session> {
    const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
    if (!email) throw new InvalidInputError('email', 'Enter your email address');
    if (!input.password) throw new InvalidInputError('password', 'Enter your password');
    const attempt = await this.throttle.attempt(email, clientAddress);
    const account = await this.members.findWithPasswordHash(email);
    const ok = await this.passwords.verify(account?.passwordHash ?? null, input.password.slice(0, 256));
    // The attempt was counted as a failure before the check; only the right password takes it back.
    if (!account || !ok) throw new AuthenticationError(WRONG_CREDENTIALS);
    await attempt.succeeded();
    const { member } = account;
    if (member.status !== 'ACTIVE') throw new MemberSuspendedError();
    return this.transactions.run(async (tx) => this.session(member, await this.refreshTokens.issue(tx, member.id)));
  }

  /**
   * A fresh pair for a refresh token, which is used up; reusing a used one ends
   * the session everywhere, unless it was used in the last 30 seconds (then the
   * same successor is answered again). A session kept in a cookie (`csrfToken`
   * given) must also echo its CSRF token, checked before anything changes.
   */
  async refresh(_actor: Actor, refreshToken: string, cookie?: { csrfToken: string }): Promise<Session> {
    if (!isTokenShaped(refreshToken)) throw new AuthenticationError('This refresh token is not valid; sign in again');
    const outcome = await this.transactions.run(async (tx) => {
      if (cookie) await this.checkCsrf(tx, refreshToken, cookie.csrfToken);
      const result = await this.refreshTokens.rotate(tx, refreshToken);
      return { result, member: (await this.members.findInTransaction(tx, result.memberId))! };
    });
    const { result, member } = outcome;
    if (member.status !== 'ACTIVE') throw new MemberSuspendedError();
    if (result.kind === 'reused') {
      throw new AuthenticationError('This refresh token was already used, so the session was ended for safety; sign in again');
    }
    if (result.kind === 'ended') throw new AuthenticationError('This session has ended; sign in again');
    return this.session(member, result);
  }

  /** Ends the session the refresh token belongs to (all its rotated tokens); a cookie session must echo its CSRF token. */
  logout(_actor: Actor, refreshToken: string, cookie?: { csrfToken: string }): Promise<boolean> {
    if (!isTokenShaped(refreshToken)) return Promise.resolve(false);
    return this.transactions.run(async (tx) => {
      if (cookie) await this.checkCsrf(tx, refreshToken, cookie.csrfToken);
      return this.refreshTokens.revokeFamilyOf(tx, refreshToken);
    });
  }

  /** A request that carries the session cookie but not its CSRF token did not come from Sharepool's own page. */
  private async checkCsrf(tx: Tx, refreshToken: string, csrfToken: string): Promise<void> {
    const familyId = await this.refreshTokens.familyOf(tx, refreshToken);
    if (familyId && !this.refreshTokens.csrfMatches(familyId, csrfToken)) {
      throw new PermissionDeniedError('This request did not come from a Sharepool page (the CSRF token does not match)');
    }
  }

  private session(member: Member, refresh: IssuedRefreshToken): Session {
    const { token, expiresIn } = this.accessTokens.issue(member.id);
    return {
      accessToken: token,
      refreshToken: refresh.token,
      csrfToken: this.refreshTokens.csrfTokenOf(refresh.familyId),
      expiresIn,
      member,
      actor: { kind: 'member', memberId: member.id, role: member.role, scopes: null, apiKeyId: null },
    };
  }
}
