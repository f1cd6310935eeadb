import { isHumanClick } from './human-click.js';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const click = (method: string, userAgent: string | undefined, headers: Record<string, string> = {}) =>
  isHumanClick({ method, userAgent, header: (name) => headers[name] });

describe('a human click', () => {
  it("is a browser's GET", () => {
    expect(click('GET', BROWSER)).toBe(true);
  });

  it('is not a bot, crawler or link-preview fetcher', () => {
    for (const agent of [
      'Twitterbot/1.0',
      'facebookexternalhit/1.1',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'curl/8.5.0',
      'Googlebot/2.1',
    ]) {
      expect([agent, click('GET', agent)]).toEqual([agent, false]);
    }
  });

  it('is not a HEAD, a request without a user agent, or a prefetch', () => {
    expect(click('HEAD', BROWSER)).toBe(false);
    expect(click('GET', undefined)).toBe(false);
    expect(click('GET', '  ')).toBe(false);
    expect(click('GET', BROWSER, { 'sec-purpose': 'prefetch;prerender' })).toBe(false);
    expect(click('GET', BROWSER, { purpose: 'prefetch' })).toBe(false);
    expect(click('GET', BROWSER, { 'x-purpose': 'preview' })).toBe(false);
    expect(click('GET', BROWSER, { 'x-moz': 'prefetch' })).toBe(false);
  });
});
