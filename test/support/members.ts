import { TEST_SECRETS } from '@sharepool/testing';
import type { TestApp } from './test-app.js';

export interface SignedIn {
  readonly id: string;
  readonly handle: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
  readonly refreshToken: string;
}

const AUTH_FIELDS = 'accessToken refreshToken expiresIn viewer { member { id handle } }';
let counter = 0;

/** Registers a new member (unique handle and email) and returns their session. */
export async function signUp(t: TestApp, overrides: Partial<{ handle: string; email: string; password: string }> = {}): Promise<SignedIn> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const handle = overrides.handle ?? `member_${n}`;
  const email = overrides.email ?? `${handle}@example.com`;
  const password = overrides.password ?? 'a long and unusual passphrase';
  const res = await t.gql(`mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`, {
    input: { email, password, handle, displayName: `Member ${n}` },
  });
  if (res.errors) throw new Error(`sign-up failed: ${JSON.stringify(res.errors)}`);
  const p = res.data!.register;
  return { id: p.viewer.member.id, handle: p.viewer.member.handle, email, password, token: p.accessToken, refreshToken: p.refreshToken };
}

export async function logIn(t: TestApp, email: string, password: string, headers?: Record<string, string>) {
  return t.gql(`mutation($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`, { input: { email, password } }, { headers });
}

/** The bootstrap admin's session. */
export async function signInAdmin(t: TestApp): Promise<SignedIn> {
  const res = await logIn(t, TEST_SECRETS.ADMIN_EMAIL, TEST_SECRETS.ADMIN_PASSWORD);
  if (res.errors) throw new Error(`admin sign-in failed: ${JSON.stringify(res.errors)}`);
  const p = res.data!.login;
  return {
    id: p.viewer.member.id,
    handle: p.viewer.member.handle,
    email: TEST_SECRETS.ADMIN_EMAIL,
    password: TEST_SECRETS.ADMIN_PASSWORD,
    token: p.accessToken,
    refreshToken: p.refreshToken,
  };
}

/** A member promoted to `role` by the admin; signs in again so the token carries nothing stale. */
export async function signUpAs(t: TestApp, admin: SignedIn, role: 'MODERATOR' | 'ADMIN'): Promise<SignedIn> {
  const member = await signUp(t);
  const res = await t.gql(
    `mutation($input: SetRoleInput!) { setRole(input: $input) { role } }`,
    { input: { memberId: member.id, role } },
    { token: admin.token },
  );
  if (res.errors) throw new Error(`setRole failed: ${JSON.stringify(res.errors)}`);
  return member;
}

/** The first error's code, or undefined. */
export const codeOf = (res: { errors?: Array<{ extensions: Record<string, any> }> }) => res.errors?.[0]?.extensions.code;
