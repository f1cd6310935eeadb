import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '@sharepool/database';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { RefreshTokens } from './refresh-tokens.js';

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

  it('replaces a token with a new one of the same family', async () => {
    const first = await run((tx) => tokens.issue(tx, memberId));
    const outcome = await run((tx) => tokens.rotate(tx, first));
    expect(outcome).toEqual({ kind: 'rotated', memberId, token: expect.any(String) });
    const families = await run((tx) => tx.query(`SELECT DISTINCT family_id FROM refresh_tokens WHERE member_id = $1`, [memberId]));
    expect(families).toHaveLength(1);
  });

  it('revokes the family when a used token is presented again', async () => {
    const family = randomUUID();
    const first = await run((tx) => tokens.issue(tx, memberId, family));
    const second = await run((tx) => tokens.rotate(tx, first));
    expect(await run((tx) => tokens.rotate(tx, first))).toEqual({ kind: 'reused', memberId });
    expect(second.kind === 'rotated' && (await run((tx) => tokens.rotate(tx, second.token)))).toEqual({ kind: 'ended', memberId });
  });

  it('lets only one of two concurrent uses of a token rotate it', async () => {
    const token = await run((tx) => tokens.issue(tx, memberId));
    const outcomes = await Promise.all([run((tx) => tokens.rotate(tx, token)), run((tx) => tokens.rotate(tx, token))]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['reused', 'rotated']);
  });
});
