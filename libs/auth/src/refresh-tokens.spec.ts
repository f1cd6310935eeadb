import { TransactionRunner } from '@sharepool/database';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { REFRESH_GRACE_SECONDS, RefreshTokens } from './refresh-tokens.js';

describe('refresh token rotation', () => {
  let core: TestCore;
  let tokens: RefreshTokens;
  let run: TransactionRunner['run'];
  let memberId: string;

  beforeAll(async () => {
    core = await startTestCore();
    tokens = core.get(RefreshTokens);
    const runner = core.get(TransactionRunner);
    run = runner.run.bind(runner);
    [{ id: memberId }] = (await runner.query<{ id: string }>(`SELECT id FROM members LIMIT 1`)) as [{ id: string }];
  });
  afterAll(() => core.close());

  const ageUse = (seconds: number) =>
    run((tx) => tx.query(`UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $1) WHERE used_at IS NOT NULL`, [seconds]));

  it('replaces a token with a new one of the same family', async () => {
    const first = (await run((tx) => tokens.issue(tx, memberId))).token;
    const outcome = await run((tx) => tokens.rotate(tx, first));
    expect(outcome).toEqual({ kind: 'rotated', memberId, token: expect.any(String), familyId: expect.any(String) });
    const families = await run((tx) => tx.query(`SELECT DISTINCT family_id FROM refresh_tokens WHERE member_id = $1`, [memberId]));
    expect(families).toHaveLength(1);
  });

  it('answers a token used in the last 30 seconds with the same successor', async () => {
    const first = (await run((tx) => tokens.issue(tx, memberId))).token;
    const second = await run((tx) => tokens.rotate(tx, first));
    const again = await run((tx) => tokens.rotate(tx, first));
    expect(again).toEqual(second);
  });

  it('revokes the family when a used token is presented again after the grace period', async () => {
    const first = (await run((tx) => tokens.issue(tx, memberId))).token;
    const second = await run((tx) => tokens.rotate(tx, first));
    await ageUse(REFRESH_GRACE_SECONDS + 1);
    expect(await run((tx) => tokens.rotate(tx, first))).toEqual({ kind: 'reused', memberId });
    expect(second.kind === 'rotated' && (await run((tx) => tokens.rotate(tx, second.token)))).toEqual({ kind: 'ended', memberId });
  });

  it('treats a token as reused, even in the grace period, once its successor was used too', async () => {
    const first = (await run((tx) => tokens.issue(tx, memberId))).token;
    const second = await run((tx) => tokens.rotate(tx, first));
    expect(second.kind === 'rotated' && (await run((tx) => tokens.rotate(tx, second.token))).kind).toBe('rotated');
    expect(await run((tx) => tokens.rotate(tx, first))).toEqual({ kind: 'reused', memberId });
  });

  it('gives two concurrent uses of a token the same successor', async () => {
    const token = (await run((tx) => tokens.issue(tx, memberId))).token;
    const outcomes = await Promise.all([run((tx) => tokens.rotate(tx, token)), run((tx) => tokens.rotate(tx, token))]);
    expect(outcomes.map((o) => o.kind)).toEqual(['rotated', 'rotated']);
    expect(outcomes[0]).toEqual(outcomes[1]);
  });
});
