import { RateLimitedError } from '@sharepool/kernel';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle.js';

describe('the login throttle', () => {
  let core: TestCore;
  let throttle: LoginThrottle;

  beforeAll(async () => {
    core = await startTestCore();
    throttle = core.get(LoginThrottle);
  });
  afterAll(() => core.close());

  it(`lets ${LOGIN_THROTTLE.perAccount - 1} failures pass and throttles the account at the ${LOGIN_THROTTLE.perAccount}th`, async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAccount - 1; i++) await throttle.recordFailure('a@example.com', '10.0.0.1');
    await expect(throttle.check('a@example.com', '10.0.0.1')).resolves.toBeUndefined();
    await throttle.recordFailure('a@example.com', '10.0.0.2');
    const refusal = await throttle.check('a@example.com', '10.0.0.3').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfter).toBeGreaterThan(LOGIN_THROTTLE.windowSeconds - 5);
  });

  it('forgets an account’s failures after a successful login', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAccount - 1; i++) await throttle.recordFailure('b@example.com', '10.0.1.1');
    await throttle.recordSuccess('b@example.com');
    await throttle.recordFailure('b@example.com', '10.0.1.1');
    await expect(throttle.check('b@example.com', '10.0.1.1')).resolves.toBeUndefined();
  });

  it('throttles an address that fails on many accounts, and only that address', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAddress; i++) await throttle.recordFailure(`c${i}@example.com`, '10.0.2.1');
    await expect(throttle.check('fresh@example.com', '10.0.2.1')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(throttle.check('fresh@example.com', '10.0.2.2')).resolves.toBeUndefined();
  });
});
