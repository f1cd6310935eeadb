import { RateLimitedError } from '@sharepool/kernel';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { accountDelaySeconds, LOGIN_THROTTLE, LoginThrottle } from './login-throttle.js';

describe('the login throttle', () => {
  let core: TestCore;
  let throttle: LoginThrottle;
  const pauses: number[] = [];

  beforeAll(async () => {
    core = await startTestCore();
    throttle = core.get(LoginThrottle);
    // The delays are recorded, not slept: tests never wait on the clock.
    throttle.pause = async (ms: number) => void pauses.push(ms);
  });
  beforeEach(() => (pauses.length = 0));
  afterAll(() => core.close());

  const fail = (email: string, address: string) => throttle.attempt(email, address);
  const refusal = (email: string, address: string) =>
    throttle.attempt(email, address).then(
      () => undefined,
      (e: unknown) => e,
    );

  it(`refuses an address its ${LOGIN_THROTTLE.perAccountAndAddress + 1}th try at one account, with the seconds to wait`, async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAccountAndAddress; i++) await fail('a@example.com', '10.0.0.1');
    const refused = await refusal('a@example.com', '10.0.0.1');
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfter).toBeGreaterThan(LOGIN_THROTTLE.windowSeconds - 5);
  });

  it('never stops the owner signing in from another address, however many failures came from others', async () => {
    for (let address = 1; address <= 3; address++) {
      for (let i = 0; i < LOGIN_THROTTLE.perAccountAndAddress; i++) await fail('owner@example.com', `10.0.1.${address}`);
    }
    expect(await refusal('owner@example.com', '10.0.1.1')).toBeInstanceOf(RateLimitedError);
    await expect(throttle.attempt('owner@example.com', '192.0.2.50')).resolves.toBeDefined();
  });

  it('slows down an account guessed at from many addresses, more with every failure', async () => {
    for (let i = 0; i < 9; i++) await fail('target@example.com', `10.0.2.${i}`);
    expect(pauses).toEqual([1000, 2000, 4000, 8000]);
    await fail('target@example.com', '10.0.2.100');
    await fail('target@example.com', '10.0.2.101');
    expect(pauses.slice(4)).toEqual([16_000, LOGIN_THROTTLE.maxDelaySeconds * 1000]);
    expect(accountDelaySeconds(1000)).toBe(LOGIN_THROTTLE.maxDelaySeconds);
  });

  it('forgets the account’s failures after the right password', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAccountAndAddress - 1; i++) await fail('b@example.com', '10.0.3.1');
    await (await throttle.attempt('b@example.com', '10.0.3.1')).succeeded();
    for (let i = 0; i < LOGIN_THROTTLE.perAccountAndAddress; i++) await fail('b@example.com', '10.0.3.1');
    expect(pauses).toEqual([]);
  });

  it('refuses an address that fails on many accounts, and only that address', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAddress; i++) await fail(`c${i}@example.com`, '10.0.4.1');
    expect(await refusal('fresh@example.com', '10.0.4.1')).toBeInstanceOf(RateLimitedError);
    await expect(throttle.attempt('fresh@example.com', '10.0.4.2')).resolves.toBeDefined();
  });

  it('lets no more parallel attempts through than the limit', async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => refusal('d@example.com', '10.0.5.1')));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(LOGIN_THROTTLE.perAccountAndAddress);
  });
});
