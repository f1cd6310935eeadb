import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { TransactionRunner, type Tx } from '@sharepool/database';
import {
  type Actor,
  AuthenticationError,
  ConflictError,
  InvalidInputError,
  type MemberActor,
  PermissionDeniedError,
  requireSession,
} from '@sharepool/kernel';
import { AccountMail, MailLinks } from '@sharepool/mail';
import {
  HandleTakenError,
  type Member,
  MembersService,
  MemberSuspendedError,
  normaliseEmail,
  validateDisplayName,
  validateHandle,
  validatePassword,
} from '@sharepool/members';
import { AccessTokens } from './access-tokens.js';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle.js';
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

/** What a sign-up answers: a session, or (where addresses are verified) that a link is on its way. */
export type SignUpOutcome =
  { readonly kind: 'session'; readonly session: Session } | { readonly kind: 'verification-sent'; readonly email: string };

/** Where addresses are verified, `register` (which must answer a session) cannot sign anyone up: signUp does. */
export class VerificationPendingError extends PermissionDeniedError {
  constructor(email: string) {
    super(`We sent a link to ${email}: open it to confirm the address, then sign in.`, { verificationRequired: true });
  }
}

const WRONG_CREDENTIALS = 'Email or password is incorrect';

const isTokenShaped = (token: unknown): token is string => typeof token === 'string' && token.length > 0 && token.length <= 200;

/** Sign-up, sign-in, token refresh and sign-out. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('AuthService');

  constructor(
    private readonly config: AppConfig,
    private readonly accountMail: AccountMail,
    private readonly links: MailLinks,
    private readonly transactions: TransactionRunner,
    private readonly members: MembersService,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly throttle: LoginThrottle,
    private readonly registrations: RegistrationLimit,
  ) {}

  /**
   * A new member. Each client address may register a limited number of
   * accounts an hour (input mistakes do not count).
   *
   * Where addresses are verified (EMAIL_VERIFICATION=required), nobody is
   * signed in: a new member gets a link that confirms their address (and
   * credits the signup grant), and an address that already has an account
   * answers exactly the same, after the same work, while its owner is told by
   * email; so sign-ups never tell who has an account. Elsewhere the new member
   * is signed in with the grant, and a taken email is CONFLICT.
   */
  async signUp(_actor: Actor, input: RegisterInput, clientAddress: string): Promise<SignUpOutcome> {
    const email = normaliseEmail(input.email);
    const handle = validateHandle(input.handle);
    const displayName = validateDisplayName(input.displayName);
    validatePassword(input.password, email);
    await this.registrations.take(clientAddress);
    const passwordHash = await this.passwords.hash(input.password);
    if (!this.config.emailVerificationRequired) {
      return this.transactions.run(async (tx) => {
        const member = await this.members.enrol(tx, { email, handle, displayName, passwordHash });
        return { kind: 'session', session: this.session(member, await this.refreshTokens.issue(tx, member.id)) };
      });
    }
    return this.transactions.run(async (tx) => {
      // Handles are public: a taken one is CONFLICT whoever asks, with a new address or a known one.
      if (await this.members.handleTaken(tx, handle)) throw new HandleTakenError(handle);
      const owner = await this.members.findByEmail(tx, email);
      if (owner) await this.accountMail.signUpWithTakenEmail(tx, owner);
      else await this.accountMail.verification(tx, await this.members.enrol(tx, { email, handle, displayName, passwordHash }));
      return { kind: 'verification-sent', email };
    });
  }

  /** The contract's register: a signed-in new member; where addresses are verified, FORBIDDEN after signUp's work (see signUp). */
  async register(actor: Actor, input: RegisterInput, clientAddress: string): Promise<Session> {
    const outcome = await this.signUp(actor, input, clientAddress);
    if (outcome.kind === 'verification-sent') throw new VerificationPendingError(outcome.email);
    return outcome.session;
  }

  /** Confirms the address a verification link was sent to; the first time, the signup grant is credited. */
  async verifyEmail(_actor: Actor, token: string): Promise<{ handle: string; firstTime: boolean }> {
    const claim = this.links.readVerification(token);
    if (!claim) throw new InvalidInputError('token', 'This link is not valid or has expired: sign in and ask for a new one');
    const confirmed = await this.members.confirmEmail(claim.memberId, claim.email);
    if (!confirmed) throw new InvalidInputError('token', 'This link is for an address the account no longer has');
    return { handle: confirmed.member.handle, firstTime: confirmed.firstTime };
  }

  /** Sends the signed-in member a new verification link (at most one every 10 minutes). */
  async resendVerificationEmail(actor: Actor): Promise<boolean> {
    const me = requireSession(actor);
    return this.transactions.run(async (tx) => {
      const [member] = await this.members.findByIds([me.memberId]);
      if (!member) throw new AuthenticationError();
      if (member.emailVerifiedAt) throw new ConflictError('Your address is already confirmed');
      const slot = Math.floor(Date.now() / 600_000);
      return (await this.accountMail.verification(tx, member, { dedupeKey: `verify:${member.id}:resend:${slot}` })) !== null;
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
    if (attempt.slowingNow && account) await this.tellLoginsSlowed(account.member, attempt.accountFailures);
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

  /** Tells an account's owner that failed logins slow its sign-ins now (the login itself goes on whatever happens here). */
  private async tellLoginsSlowed(owner: Member, failures: number): Promise<void> {
    try {
      await this.transactions.run((tx) => this.accountMail.loginsSlowed(tx, owner, failures, LOGIN_THROTTLE.windowSeconds / 60));
    } catch (error) {
      this.logger.warn(`could not queue the failed-logins notice for member ${owner.id}: ${(error as Error).message}`);
    }
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
