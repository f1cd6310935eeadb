import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sharepool/database';
import { type Actor, AuthenticationError, InvalidInputError, type MemberActor } from '@sharepool/kernel';
import {
  MEMBER_COLUMNS,
  type MemberRecord,
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
import { RefreshTokens } from './refresh-tokens.js';

/** A new session: the tokens and who they belong to. */
export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly actor: MemberActor;
  readonly member: MemberRecord;
}

export interface RegisterInput {
  readonly email: string;
  readonly password: string;
  readonly handle: string;
  readonly displayName: string;
}

const WRONG_CREDENTIALS = 'Email or password is incorrect';

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
  ) {}

  /** A new member with the signup grant, signed in. */
  async register(_actor: Actor, input: RegisterInput): Promise<Session> {
    const email = normaliseEmail(input.email);
    const handle = validateHandle(input.handle);
    const displayName = validateDisplayName(input.displayName);
    validatePassword(input.password, email);
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
    await this.throttle.check(email, clientAddress);
    const [row] = await this.transactions.query<MemberRecord & { passwordHash: string }>(
      `SELECT ${MEMBER_COLUMNS}, m.password_hash AS "passwordHash" FROM members m WHERE m.email = $1`,
      [email],
    );
    const ok = await this.passwords.verify(row?.passwordHash ?? null, input.password.slice(0, 256));
    if (!row || !ok) {
      await this.throttle.recordFailure(email, clientAddress);
      throw new AuthenticationError(WRONG_CREDENTIALS);
    }
    if (row.status !== 'ACTIVE') throw new MemberSuspendedError();
    await this.throttle.recordSuccess(email);
    const { passwordHash: _hash, ...member } = row;
    return this.transactions.run(async (tx) => this.session(member, await this.refreshTokens.issue(tx, member.id)));
  }

  /** A fresh pair for a refresh token, which is used up; reusing a used one ends the session everywhere. */
  async refresh(_actor: Actor, refreshToken: string): Promise<Session> {
    if (typeof refreshToken !== 'string' || refreshToken.length === 0 || refreshToken.length > 200) {
      throw new AuthenticationError('This refresh token is not valid; sign in again');
    }
    const outcome = await this.transactions.run(async (tx) => {
      const result = await this.refreshTokens.rotate(tx, refreshToken);
      const [member] = await tx.query<MemberRecord>(`SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.id = $1`, [result.memberId]);
      return { result, member: member! };
    });
    const { result, member } = outcome;
    if (member.status !== 'ACTIVE') throw new MemberSuspendedError();
    if (result.kind === 'reused') {
      throw new AuthenticationError('This refresh token was already used, so the session was ended for safety; sign in again');
    }
    if (result.kind === 'ended') throw new AuthenticationError('This session has ended; sign in again');
    return this.session(member, result.token);
  }

  /** Ends the session the refresh token belongs to (all its rotated tokens). */
  logout(_actor: Actor, refreshToken: string): Promise<boolean> {
    if (typeof refreshToken !== 'string' || refreshToken.length === 0 || refreshToken.length > 200) return Promise.resolve(false);
    return this.transactions.run((tx) => this.refreshTokens.revokeFamilyOf(tx, refreshToken));
  }

  private session(member: MemberRecord, refreshToken: string): Session {
    const { token, expiresIn } = this.accessTokens.issue(member.id);
    return {
      accessToken: token,
      refreshToken,
      expiresIn,
      member,
      actor: { kind: 'member', memberId: member.id, role: member.role, scopes: null, apiKeyId: null },
    };
  }
}
