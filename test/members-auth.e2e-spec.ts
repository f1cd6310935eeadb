import argon2 from 'argon2';
import jwt from 'jsonwebtoken';
import { LoginThrottle } from '@sharepool/auth';
import { TEST_SECRETS } from '@sharepool/testing';
import { codeOf, logIn, signInAdmin, signUp, signUpAs, type SignedIn } from './support/members.js';
import { countStatements } from './support/statement-counter.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken expiresIn viewer { email creditBalance member { handle displayName role status } } } }`;
const VIEWER = `{ viewer { email member { id handle } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;

describe('members and authentication', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInAdmin(t);
  });
  afterAll(() => t.close());

  /** Moves the member's used refresh tokens' use back in time, instead of waiting. */
  const usedSecondsAgo = (email: string, seconds: number) =>
    t.sql.query(
      `UPDATE refresh_tokens SET used_at = now() - make_interval(secs => $2) WHERE member_id = (SELECT id FROM members WHERE email = $1) AND used_at IS NOT NULL`,
      [email, seconds],
    );

  /** The login delays the throttle asks for, recorded instead of slept. */
  const recordPauses = () => {
    const pauses: number[] = [];
    t.app.get(LoginThrottle, { strict: false }).pause = async (ms: number) => void pauses.push(ms);
    return pauses;
  };

  const register = (input: Record<string, string>) =>
    t.gql(REGISTER, {
      input: { email: 'x@example.com', password: 'a long and unusual passphrase', handle: 'someone', displayName: 'Someone', ...input },
    });

  describe('signing up', () => {
    it('starts every new member with the signup grant, written in the ledger', async () => {
      const res = await register({ email: '  Ada@Example.COM ', handle: 'ada_l', displayName: 'Ada' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.register.viewer).toEqual({
        email: 'ada@example.com',
        creditBalance: 100,
        member: { handle: 'ada_l', displayName: 'Ada', role: 'MEMBER', status: 'ACTIVE' },
      });
      const { rows } = await t.sql.query(
        `SELECT t.kind, t.amount FROM ledger_transfers t JOIN members m ON m.id = t.credit_account_id WHERE m.email = 'ada@example.com'`,
      );
      expect(rows).toEqual([{ kind: 'SIGNUP_GRANT', amount: 100 }]);
    });

    it('refuses an email or a handle that is taken, ignoring case', async () => {
      await register({ email: 'taken@example.com', handle: 'taken_one' });
      const sameEmail = await register({ email: 'TAKEN@example.com', handle: 'other_one' });
      expect(codeOf(sameEmail)).toBe('CONFLICT');
      expect(sameEmail.errors![0]!.extensions.field).toBe('email');
      const sameHandle = await register({ email: 'other@example.com', handle: 'TAKEN_ONE' });
      expect(codeOf(sameHandle)).toBe('CONFLICT');
      expect(sameHandle.errors![0]!.extensions.field).toBe('handle');
    });

    it.each([
      [{ email: 'not-an-email' }, 'email'],
      [{ handle: 'ab' }, 'handle'],
      [{ handle: 'has space' }, 'handle'],
      [{ handle: 'a'.repeat(31) }, 'handle'],
      [{ handle: 'admin' }, 'handle'],
      [{ handle: 'Root' }, 'handle'],
      [{ password: 'short' }, 'password'],
      [{ password: 'x'.repeat(257) }, 'password'],
      [{ password: 'password123' }, 'password'],
      [{ displayName: '   ' }, 'displayName'],
      [{ displayName: 'n'.repeat(81) }, 'displayName'],
    ])('refuses %j as BAD_USER_INPUT on %s', async (input, field) => {
      const res = await register({ email: `f${Math.random()}@example.com`, handle: `h${Date.now() % 1e9}`, ...input });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe(field);
    });
  });

  describe('looking members up', () => {
    it('finds an active member by handle, whatever its case', async () => {
      const m = await signUp(t);
      const res = await t.gql(`query($h: String!) { member(handle: $h) { id handle } }`, { h: m.handle.toUpperCase() });
      expect(res.data!.member).toEqual({ id: m.id, handle: m.handle });
    });

    it.each(['nobody_here', '', '!!', 'x'.repeat(500), '../admin'])('returns null for the handle %j', async (handle) => {
      const res = await t.gql(`query($h: String!) { member(handle: $h) { id } }`, { h: handle });
      expect(res.errors).toBeUndefined();
      expect(res.data!.member).toBeNull();
    });
  });

  describe('signing in', () => {
    it('gives the same error for a wrong email and a wrong password, after the same work', async () => {
      const m = await signUp(t);
      // Records which hash each argon2 check ran against (the app shares this module).
      const checkedHashes: string[] = [];
      const verify = argon2.verify;
      argon2.verify = (hash, ...rest) => (checkedHashes.push(hash), verify(hash, ...rest));
      try {
        const wrongPassword = await logIn(t, m.email, 'not the password at all', { 'x-forwarded-for': '198.51.100.7' });
        const wrongEmail = await logIn(t, 'nobody@example.com', 'not the password at all', { 'x-forwarded-for': '198.51.100.7' });
        for (const res of [wrongPassword, wrongEmail]) {
          expect(codeOf(res)).toBe('UNAUTHENTICATED');
          expect(res.errors![0]!.message).toBe('Email or password is incorrect');
        }
        // Each answer came after one argon2id check of a hash of the same cost: an unknown
        // email is checked against a decoy, not answered at once.
        expect(checkedHashes).toHaveLength(2);
        const [memberHash, decoyHash] = checkedHashes.map((hash) => hash.split('$').slice(1, 4).join('$'));
        expect(memberHash).toBe('argon2id$v=19$m=19456,p=1,t=2');
        expect(decoyHash).toBe(memberHash);
      } finally {
        argon2.verify = verify;
      }
    });

    it('issues access tokens that expire within 15 minutes', async () => {
      const m = await signUp(t);
      const res = await logIn(t, m.email, m.password);
      const { accessToken, expiresIn } = res.data!.login;
      const claims = jwt.decode(accessToken) as { iat: number; exp: number };
      expect(expiresIn).toBeLessThanOrEqual(900);
      expect(claims.exp - claims.iat).toBe(expiresIn);
    });

    it('refuses an expired access token as UNAUTHENTICATED', async () => {
      const m = await signUp(t);
      const expired = jwt.sign({ exp: Math.floor(Date.now() / 1000) - 10 }, TEST_SECRETS.JWT_SECRET, {
        subject: m.id,
        issuer: 'sharepool',
        audience: 'sharepool-api',
      });
      const res = await t.gql(VIEWER, {}, { token: expired });
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    });

    it('refuses an address its 6th login at one account, even with the right password', async () => {
      const m = await signUp(t);
      const from = { 'x-forwarded-for': '198.51.100.20' };
      for (let i = 0; i < 5; i++) expect(codeOf(await logIn(t, m.email, 'wrong password here', from))).toBe('UNAUTHENTICATED');
      const res = await logIn(t, m.email, m.password, from);
      expect(codeOf(res)).toBe('RATE_LIMITED');
      expect(res.errors![0]!.extensions.retryAfter).toBeGreaterThan(800);
      expect(res.errors![0]!.extensions.retryAfter).toBeLessThanOrEqual(900);
    });

    it('lets the owner in from another address while one address is refused, after a delay that grows with failures', async () => {
      const m = await signUp(t);
      const pauses = recordPauses();
      const attacker = { 'x-forwarded-for': '198.51.100.21' };
      for (let i = 0; i < 5; i++) expect(codeOf(await logIn(t, m.email, 'wrong password here', attacker))).toBe('UNAUTHENTICATED');
      expect(codeOf(await logIn(t, m.email, 'wrong password here', attacker))).toBe('RATE_LIMITED');
      for (let i = 0; i < 2; i++) {
        expect(codeOf(await logIn(t, m.email, 'wrong password here', { 'x-forwarded-for': `198.51.100.${40 + i}` }))).toBe(
          'UNAUTHENTICATED',
        );
      }
      const owner = await logIn(t, m.email, m.password, { 'x-forwarded-for': '192.0.2.77' });
      expect(owner.errors).toBeUndefined();
      expect(owner.data!.login.viewer.member.id).toBe(m.id);
      // Failures from anywhere slow the account down (1 s, 2 s, 4 s …) instead of blocking it.
      expect(pauses).toEqual([1000, 2000, 4000]);
    });

    it('checks no more passwords than the limit when 60 wrong logins arrive at once', async () => {
      const m = await signUp(t);
      const verify = argon2.verify;
      let checks = 0;
      argon2.verify = (...args) => (checks++, verify(...args));
      try {
        const from = { 'x-forwarded-for': '198.51.100.22' };
        const answers = await Promise.all(Array.from({ length: 60 }, () => logIn(t, m.email, 'wrong password here', from)));
        expect(answers.filter((a) => codeOf(a) === 'UNAUTHENTICATED')).toHaveLength(5);
        expect(answers.filter((a) => codeOf(a) === 'RATE_LIMITED')).toHaveLength(55);
        expect(checks).toBe(5);
      } finally {
        argon2.verify = verify;
      }
    });

    it('throttles an address after 20 failed logins across accounts', async () => {
      const from = { 'x-forwarded-for': '198.51.100.30' };
      for (let i = 0; i < 20; i++) {
        expect(codeOf(await logIn(t, `guess${i}@example.com`, 'wrong password here', from))).toBe('UNAUTHENTICATED');
      }
      const m = await signUp(t);
      expect(codeOf(await logIn(t, m.email, m.password, from))).toBe('RATE_LIMITED');
      expect(codeOf(await logIn(t, m.email, m.password, { 'x-forwarded-for': '198.51.100.31' }))).toBeUndefined();
    });
  });

  describe('refresh tokens', () => {
    it('rotates the refresh token on every use', async () => {
      const m = await signUp(t);
      const first = await t.gql(REFRESH, { t: m.refreshToken });
      expect(first.errors).toBeUndefined();
      expect(first.data!.refreshToken.refreshToken).not.toBe(m.refreshToken);
      const second = await t.gql(REFRESH, { t: first.data!.refreshToken.refreshToken });
      expect(second.errors).toBeUndefined();
      expect((await t.gql(VIEWER, {}, { token: second.data!.refreshToken.accessToken })).data!.viewer.member.id).toBe(m.id);
    });

    it('ends the whole session when a used refresh token comes back after 30 seconds', async () => {
      const m = await signUp(t);
      const rotated = (await t.gql(REFRESH, { t: m.refreshToken })).data!.refreshToken.refreshToken;
      await usedSecondsAgo(m.email, 31);
      const replay = await t.gql(REFRESH, { t: m.refreshToken });
      expect(codeOf(replay)).toBe('UNAUTHENTICATED');
      expect(replay.errors![0]!.message).toMatch(/already used/);
      expect(codeOf(await t.gql(REFRESH, { t: rotated }))).toBe('UNAUTHENTICATED');
    });

    it('answers two overlapping refreshes with the same new token, and the session goes on', async () => {
      const m = await signUp(t);
      const [first, second] = await Promise.all([t.gql(REFRESH, { t: m.refreshToken }), t.gql(REFRESH, { t: m.refreshToken })]);
      expect(first.errors).toBeUndefined();
      expect(second.errors).toBeUndefined();
      expect(second.data!.refreshToken.refreshToken).toBe(first.data!.refreshToken.refreshToken);
      const next = await t.gql(REFRESH, { t: first.data!.refreshToken.refreshToken });
      expect(next.errors).toBeUndefined();
    });

    it('keeps the session of a refresh whose answer never arrived, when the old token comes back within 30 seconds', async () => {
      const m = await signUp(t);
      const lost = await t.gql(REFRESH, { t: m.refreshToken }); // the answer a reloading page never read
      await usedSecondsAgo(m.email, 25);
      const retried = await t.gql(REFRESH, { t: m.refreshToken });
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.refreshToken.refreshToken).toBe(lost.data!.refreshToken.refreshToken);
      expect((await t.gql(VIEWER, {}, { token: retried.data!.refreshToken.accessToken })).data!.viewer.member.id).toBe(m.id);
    });

    it('stores refresh tokens only as hashes', async () => {
      const m = await signUp(t);
      const { rows } = await t.sql.query(
        `SELECT count(*)::int AS n FROM refresh_tokens WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`,
        [m.refreshToken],
      );
      expect(rows[0].n).toBe(0);
    });

    it('logs out by revoking the session the refresh token belongs to', async () => {
      const m = await signUp(t);
      const rotated = (await t.gql(REFRESH, { t: m.refreshToken })).data!.refreshToken.refreshToken;
      const res = await t.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: rotated });
      expect(res.data).toEqual({ logout: true });
      expect(codeOf(await t.gql(REFRESH, { t: rotated }))).toBe('UNAUTHENTICATED');
    });
  });

  describe("the web client's session cookie", () => {
    const cookieLogin = async (m: SignedIn) => {
      const res = await t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({
          query: `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }`,
          variables: { input: { email: m.email, password: m.password, sessionCookie: true } },
        });
      const cookies = res.headers['set-cookie'] as unknown as string[];
      const value = (name: string) =>
        cookies
          .find((c) => c.startsWith(`${name}=`))!
          .split(';')[0]!
          .slice(name.length + 1);
      return { res, cookies, refresh: value('sp_refresh'), csrf: value('sp_csrf') };
    };
    const refreshWith = (refresh: string, csrf?: string) => {
      const request = t.http.post('/auth/session/refresh').set('cookie', `sp_refresh=${refresh}`);
      return csrf === undefined ? request : request.set('x-csrf-token', csrf);
    };
    const newRefreshCookie = (res: { headers: Record<string, unknown> }) =>
      (res.headers['set-cookie'] as string[])
        .find((c) => c.startsWith('sp_refresh='))!
        .split(';')[0]!
        .slice('sp_refresh='.length);

    it('keeps the refresh token in an HttpOnly, Secure, SameSite=Strict cookie for the refresh route only, never in the answer', async () => {
      const m = await signUp(t);
      const { res, cookies } = await cookieLogin(m);
      expect(res.body.data.login.refreshToken).toBe('');
      const refresh = cookies.find((c) => c.startsWith('sp_refresh='))!;
      expect(refresh).toMatch(/; Path=\/auth\/session;/);
      expect(refresh).toMatch(/; HttpOnly/);
      expect(refresh).toMatch(/; Secure/);
      expect(refresh).toMatch(/; SameSite=Strict/);
      const csrf = cookies.find((c) => c.startsWith('sp_csrf='))!;
      expect(csrf).toMatch(/; Path=\/;/);
      expect(csrf).not.toMatch(/HttpOnly/);
      expect(csrf).toMatch(/; SameSite=Strict/);
    });

    it('renews the access token with the cookie and its CSRF token, rotating the cookie', async () => {
      const m = await signUp(t);
      const { refresh, csrf } = await cookieLogin(m);
      const res = await refreshWith(refresh, csrf);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.data).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
      expect(newRefreshCookie(res)).not.toBe(refresh);
      expect((await t.gql(VIEWER, {}, { token: res.body.data.accessToken })).data!.viewer.member.id).toBe(m.id);
    });

    it('refuses a refresh or a logout without the session’s CSRF token, changing nothing', async () => {
      const m = await signUp(t);
      const { refresh, csrf } = await cookieLogin(m);
      const other = await cookieLogin(await signUp(t));
      for (const res of [
        await refreshWith(refresh),
        await refreshWith(refresh, other.csrf),
        await t.http.post('/auth/session/logout').set('cookie', `sp_refresh=${refresh}`).set('x-csrf-token', 'forged'),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      }
      const res = await refreshWith(refresh, csrf);
      expect(res.status).toBe(200);
      // The refused requests used nothing: this was the token's first use, so it rotated.
      const { rows } = await t.sql.query(
        `SELECT count(*)::int AS n FROM refresh_tokens WHERE member_id = (SELECT id FROM members WHERE email = $1) AND used_at IS NOT NULL`,
        [m.email],
      );
      expect(rows[0].n).toBe(1);
    });

    it('answers two overlapping cookie refreshes with the same new cookie', async () => {
      const m = await signUp(t);
      const { refresh, csrf } = await cookieLogin(m);
      const [a, b] = await Promise.all([refreshWith(refresh, csrf), refreshWith(refresh, csrf)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(newRefreshCookie(a)).toBe(newRefreshCookie(b));
      expect((await refreshWith(newRefreshCookie(a), csrf)).status).toBe(200);
    });

    it('logs out with the cookie: the session ends and the cookies are cleared', async () => {
      const m = await signUp(t);
      const { refresh, csrf } = await cookieLogin(m);
      const res = await t.http.post('/auth/session/logout').set('cookie', `sp_refresh=${refresh}`).set('x-csrf-token', csrf);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { logout: true } });
      expect((res.headers['set-cookie'] as unknown as string[]).every((c) => /Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
      const after = await refreshWith(refresh, csrf);
      expect(after.status).toBe(401);
      expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('answers a refresh without a cookie as UNAUTHENTICATED', async () => {
      const res = await t.http.post('/auth/session/refresh');
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('profiles', () => {
    it('lets a member change their display name and bio', async () => {
      const m = await signUp(t);
      const res = await t.gql(
        `mutation { updateProfile(input: { displayName: "  New Name ", bio: "I write about SaaS." }) { displayName bio } }`,
        {},
        { token: m.token },
      );
      expect(res.data!.updateProfile).toEqual({ displayName: 'New Name', bio: 'I write about SaaS.' });
    });

    it('refuses a bio over 500 characters', async () => {
      const m = await signUp(t);
      const res = await t.gql(
        `mutation($b: String) { updateProfile(input: { bio: $b }) { bio } }`,
        { b: 'b'.repeat(501) },
        { token: m.token },
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('bio');
    });
  });

  describe('suspension', () => {
    const SUSPEND = `mutation($input: SuspendMemberInput!) { suspendMember(input: $input) { status suspendedReason } }`;

    it('stops a suspended member at once: tokens, refresh tokens, API keys and login', async () => {
      const moderator = await signUpAs(t, admin, 'MODERATOR');
      const m = await signUp(t);
      const key = (await t.gql(`mutation { createApiKey(input: { name: "cms", scopes: [READ] }) { secret } }`, {}, { token: m.token }))
        .data!.createApiKey.secret;
      const res = await t.gql(SUSPEND, { input: { memberId: m.id, reason: 'spam links' } }, { token: moderator.token });
      expect(res.data!.suspendMember).toEqual({ status: 'SUSPENDED', suspendedReason: 'spam links' });

      for (const token of [m.token, key]) {
        const viewer = await t.gql(VIEWER, {}, { token });
        expect(codeOf(viewer)).toBe('FORBIDDEN');
        expect(viewer.errors![0]!.message).toMatch(/suspended/);
      }
      expect(codeOf(await t.gql(REFRESH, { t: m.refreshToken }))).toBe('FORBIDDEN');
      const login = await logIn(t, m.email, m.password);
      expect(codeOf(login)).toBe('FORBIDDEN');
      expect(login.errors![0]!.message).toMatch(/suspended/);
    });

    it('ends the sessions of a suspended member for good: reinstated, they sign in again', async () => {
      const moderator = await signUpAs(t, admin, 'MODERATOR');
      const m = await signUp(t);
      await t.gql(SUSPEND, { input: { memberId: m.id, reason: 'spam links' } }, { token: moderator.token });
      const REINSTATE = `mutation($input: ReinstateMemberInput!) { reinstateMember(input: $input) { status } }`;
      const reinstated = await t.gql(REINSTATE, { input: { memberId: m.id, reason: 'appeal accepted' } }, { token: moderator.token });
      expect(reinstated.data!.reinstateMember).toEqual({ status: 'ACTIVE' });

      const refresh = await t.gql(REFRESH, { t: m.refreshToken });
      expect(codeOf(refresh)).toBe('UNAUTHENTICATED');
      expect(refresh.errors![0]!.message).toMatch(/session has ended/);
      expect(codeOf(await logIn(t, m.email, m.password))).toBeUndefined();
    });

    it('shows suspended members to moderators only', async () => {
      const moderator = await signUpAs(t, admin, 'MODERATOR');
      const m = await signUp(t);
      const other = await signUp(t);
      await t.gql(SUSPEND, { input: { memberId: m.id, reason: 'spam links' } }, { token: moderator.token });
      const lookup = `query($h: String!) { member(handle: $h) { handle status } }`;
      expect((await t.gql(lookup, { h: m.handle }, { token: other.token })).data!.member).toBeNull();
      expect((await t.gql(lookup, { h: m.handle }, { token: moderator.token })).data!.member).toEqual({
        handle: m.handle,
        status: 'SUSPENDED',
      });
    });

    it('lets moderators suspend members only, and nobody suspend themselves', async () => {
      const moderator = await signUpAs(t, admin, 'MODERATOR');
      const otherModerator = await signUpAs(t, admin, 'MODERATOR');
      expect(
        codeOf(await t.gql(SUSPEND, { input: { memberId: otherModerator.id, reason: 'no reason' } }, { token: moderator.token })),
      ).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(SUSPEND, { input: { memberId: admin.id, reason: 'no reason' } }, { token: moderator.token }))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await t.gql(SUSPEND, { input: { memberId: admin.id, reason: 'testing' } }, { token: admin.token }))).toBe('FORBIDDEN');
      const member = await signUp(t);
      expect(codeOf(await t.gql(SUSPEND, { input: { memberId: moderator.id, reason: 'testing' } }, { token: member.token }))).toBe(
        'FORBIDDEN',
      );
    });

    it('never demotes the last active admin', async () => {
      const res = await t.gql(
        `mutation($input: SetRoleInput!) { setRole(input: $input) { role } }`,
        { input: { memberId: admin.id, role: 'MEMBER' } },
        { token: admin.token },
      );
      expect(codeOf(res)).toBe('CONFLICT');
      expect(res.errors![0]!.message).toMatch(/last active admin/);
    });

    it('records suspensions and role changes in the audit trail', async () => {
      const m = await signUp(t);
      await t.gql(SUSPEND, { input: { memberId: m.id, reason: 'ban evasion' } }, { token: admin.token });
      const { rows } = await t.sql.query(
        `SELECT action, reason, actor_id FROM audit_log WHERE target_id = (SELECT id FROM members WHERE handle = $1)`,
        [m.handle],
      );
      expect(rows).toEqual([{ action: 'MEMBER_SUSPENDED', reason: 'ban evasion', actor_id: expect.any(String) }]);
    });
  });

  describe('partner API keys', () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name prefix scopes lastUsedAt revokedAt } } }`;

    it('shows the secret once and stores only a peppered HMAC of it', async () => {
      const m = await signUp(t);
      const res = await t.gql(CREATE, { input: { name: 'WordPress', scopes: ['SUBMIT', 'READ'] } }, { token: m.token });
      const { secret, apiKey } = res.data!.createApiKey;
      expect(secret).toMatch(/^sp_[A-Za-z0-9_-]{43,}$/);
      expect(apiKey).toMatchObject({ name: 'WordPress', scopes: ['READ', 'SUBMIT'], prefix: secret.slice(0, 10), revokedAt: null });
      const { rows } = await t.sql.query(
        `SELECT count(*)::int AS n FROM api_keys WHERE position($1 in encode(secret_hmac, 'escape')) > 0`,
        [secret],
      );
      expect(rows[0].n).toBe(0);
      const listed = await t.gql(`{ viewer { apiKeys { name prefix } } }`, {}, { token: m.token });
      expect(JSON.stringify(listed.data)).not.toContain(secret);
    });

    it('acts as its member, limited to its scopes', async () => {
      const m = await signUp(t);
      const secret = (await t.gql(CREATE, { input: { name: 'reader', scopes: ['READ'] } }, { token: m.token })).data!.createApiKey.secret;
      expect((await t.gql(VIEWER, {}, { token: secret })).data!.viewer.member.id).toBe(m.id);
      const res = await t.gql(CREATE, { input: { name: 'escalate', scopes: ['SHARE'] } }, { token: secret });
      expect(codeOf(res)).toBe('FORBIDDEN');
      const writeOnly = (await t.gql(CREATE, { input: { name: 'writer', scopes: ['SUBMIT'] } }, { token: m.token })).data!.createApiKey
        .secret;
      expect(codeOf(await t.gql(VIEWER, {}, { token: writeOnly }))).toBe('FORBIDDEN');
    });

    it('stops working the moment it is revoked', async () => {
      const m = await signUp(t);
      const created = (await t.gql(CREATE, { input: { name: 'temp', scopes: ['READ'] } }, { token: m.token })).data!.createApiKey;
      expect(codeOf(await t.gql(VIEWER, {}, { token: created.secret }))).toBeUndefined();
      const revoked = await t.gql(
        `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
        { id: created.apiKey.id },
        { token: m.token },
      );
      expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
      expect(codeOf(await t.gql(VIEWER, {}, { token: created.secret }))).toBe('UNAUTHENTICATED');
    });

    it('records its last use at most once a minute', async () => {
      const m = await signUp(t);
      const created = (await t.gql(CREATE, { input: { name: 'busy', scopes: ['READ'] } }, { token: m.token })).data!.createApiKey;
      await t.gql(VIEWER, {}, { token: created.secret });
      await new Promise((r) => setTimeout(r, 100));
      const first = (await t.sql.query(`SELECT last_used_at FROM api_keys WHERE prefix = $1`, [created.apiKey.prefix])).rows[0]
        .last_used_at;
      expect(first).not.toBeNull();
      await t.gql(VIEWER, {}, { token: created.secret });
      await new Promise((r) => setTimeout(r, 100));
      const second = (await t.sql.query(`SELECT last_used_at FROM api_keys WHERE prefix = $1`, [created.apiKey.prefix])).rows[0]
        .last_used_at;
      expect(second).toEqual(first);
    });

    it("keeps one member's keys out of another member's reach", async () => {
      const owner = await signUp(t);
      const other = await signUp(t);
      const id = (await t.gql(CREATE, { input: { name: 'mine', scopes: ['READ'] } }, { token: owner.token })).data!.createApiKey.apiKey.id;
      expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, { token: other.token })).data!.node).toBeNull();
      expect(codeOf(await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id }, { token: other.token }))).toBe('NOT_FOUND');
      expect(
        (await t.gql(`query($id: ID!) { node(id: $id) { ... on ApiKey { name } } }`, { id }, { token: owner.token })).data!.node,
      ).toEqual({
        name: 'mine',
      });
    });
  });

  describe('niches', () => {
    it('lets admins create niches, with unique slugs', async () => {
      const create = `mutation($input: CreateNicheInput!) { createNiche(input: $input) { id slug name } }`;
      const res = await t.gql(create, { input: { slug: 'saas', name: 'SaaS' } }, { token: admin.token });
      expect(res.data!.createNiche).toMatchObject({ slug: 'saas', name: 'SaaS' });
      expect(codeOf(await t.gql(create, { input: { slug: 'saas', name: 'Again' } }, { token: admin.token }))).toBe('CONFLICT');
      expect(codeOf(await t.gql(create, { input: { slug: 'Not A Slug', name: 'x' } }, { token: admin.token }))).toBe('BAD_USER_INPUT');
      const member = await signUp(t);
      expect(codeOf(await t.gql(create, { input: { slug: 'mine', name: 'Mine' } }, { token: member.token }))).toBe('FORBIDDEN');
    });

    it('lets members join and leave niches', async () => {
      const niche = (
        await t.gql(`mutation { createNiche(input: { slug: "marketing", name: "Marketing" }) { id } }`, {}, { token: admin.token })
      ).data!.createNiche;
      const m = await signUp(t);
      const joined = await t.gql(
        `mutation($id: ID!) { joinNiche(nicheId: $id) { member { niches { slug } } } }`,
        { id: niche.id },
        { token: m.token },
      );
      expect(joined.data!.joinNiche.member.niches).toEqual([{ slug: 'marketing' }]);
      const left = await t.gql(
        `mutation($id: ID!) { leaveNiche(nicheId: $id) { member { niches { slug } } } }`,
        { id: niche.id },
        { token: m.token },
      );
      expect(left.data!.leaveNiche.member.niches).toEqual([]);
      expect((await t.gql(`query($id: ID!) { node(id: $id) { ... on Niche { slug } } }`, { id: niche.id })).data!.node).toEqual({
        slug: 'marketing',
      });
    });
  });

  it('answers an authenticated { viewer { member { handle } } } with at most 2 SQL statements', async () => {
    const m = await signUp(t);
    const { result, statements } = await countStatements(() => t.gql(`{ viewer { member { handle } } }`, {}, { token: m.token }));
    expect(result.data!.viewer.member.handle).toBe(m.handle);
    expect(statements.length).toBeLessThanOrEqual(2);
    process.stdout.write(`viewer query: ${statements.length} SQL statement(s)\n`);
  });
});
