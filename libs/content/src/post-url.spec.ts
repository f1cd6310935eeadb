import { InvalidInputError } from '@sharepool/kernel';
import { normalisePostUrl } from './post-url.js';

function refusalOf(input: string): InvalidInputError {
  try {
    normalisePostUrl(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe('post URL rules', () => {
  it('keeps a plain https URL as it is', () => {
    expect(normalisePostUrl('https://blog.example.com/posts/42')).toBe('https://blog.example.com/posts/42');
  });

  it('lower-cases the scheme and the host but not the path', () => {
    expect(normalisePostUrl('HTTPS://Blog.Example.COM/Posts/Hello')).toBe('https://blog.example.com/Posts/Hello');
  });

  it('trims surrounding whitespace', () => {
    expect(normalisePostUrl('  https://example.com/a \n')).toBe('https://example.com/a');
  });

  it('drops the default port and keeps any other', () => {
    expect(normalisePostUrl('https://example.com:443/a')).toBe('https://example.com/a');
    expect(normalisePostUrl('http://example.com:80/a')).toBe('http://example.com/a');
    expect(normalisePostUrl('https://example.com:8443/a')).toBe('https://example.com:8443/a');
  });

  it('drops the fragment', () => {
    expect(normalisePostUrl('https://example.com/a#comments')).toBe('https://example.com/a');
  });

  it('drops utm_* and click-id parameters, keeping the rest in their order', () => {
    const url = 'https://example.com/a?b=2&utm_source=x&a=1&UTM_Medium=y&fbclid=abc&gclid=1&msclkid=2&c=3&mc_cid=4&mc_eid=5';
    expect(normalisePostUrl(url)).toBe('https://example.com/a?b=2&a=1&c=3');
  });

  it.each(['dclid', 'igshid', 'yclid', '_hsenc', '_hsmi', 'ref_src', 'twclid', 'ttclid', 'srsltid'])(
    'drops the tracking parameter %s',
    (name) => {
      expect(normalisePostUrl(`https://example.com/a?id=7&${name}=zzz`)).toBe('https://example.com/a?id=7');
    },
  );

  it('drops a query that held only tracking parameters, and an empty one', () => {
    expect(normalisePostUrl('https://example.com/a?utm_source=newsletter&utm_campaign=may')).toBe('https://example.com/a');
    expect(normalisePostUrl('https://example.com/a?')).toBe('https://example.com/a');
  });

  it('keeps the remaining parameters byte for byte', () => {
    expect(normalisePostUrl('https://example.com/search?q=a+b%2Fc&utm_term=x&sort=')).toBe('https://example.com/search?q=a+b%2Fc&sort=');
  });

  it('keeps parameters that merely resemble tracking ones', () => {
    expect(normalisePostUrl('https://example.com/a?utm=1&ref=home&source=rss')).toBe('https://example.com/a?utm=1&ref=home&source=rss');
  });

  it('writes a Unicode host in punycode', () => {
    expect(normalisePostUrl('https://Bücher.example/straße')).toBe('https://xn--bcher-kva.example/stra%C3%9Fe');
  });

  it('drops the trailing dot of a fully qualified host', () => {
    expect(normalisePostUrl('https://example.com./a')).toBe('https://example.com/a');
  });

  it('adds the root path to a bare host', () => {
    expect(normalisePostUrl('https://example.com')).toBe('https://example.com/');
  });

  it('accepts IP-literal and single-label hosts: reaching them is the outbound rule', () => {
    expect(normalisePostUrl('http://93.184.216.34/page')).toBe('http://93.184.216.34/page');
    expect(normalisePostUrl('http://[2606:4700::1111]/page')).toBe('http://[2606:4700::1111]/page');
    expect(normalisePostUrl('http://intranet/page')).toBe('http://intranet/page');
  });

  it.each([
    ['ftp://example.com/file', 'Only http:// and https:// URLs can be posted'],
    ['javascript:alert(1)', 'Only http:// and https:// URLs can be posted'],
    ['mailto:someone@example.com', 'Only http:// and https:// URLs can be posted'],
    ['data:text/html,hello', 'Only http:// and https:// URLs can be posted'],
    ['file:///etc/passwd', 'Only http:// and https:// URLs can be posted'],
    ['example.com/page', 'Enter a full URL, starting with http:// or https://'],
    ['https://exa mple.com/', 'Enter a full URL, starting with http:// or https://'],
    ['http://', 'Enter a full URL, starting with http:// or https://'],
    ['', 'Enter the URL of the page'],
    ['   ', 'Enter the URL of the page'],
    ['https://a..b/', 'The URL has no valid host name'],
    ['https://user:secret@example.com/', 'A URL must not contain a user name or password'],
    ['https://user@example.com/', 'A URL must not contain a user name or password'],
  ])('refuses %j on the url field', (input, message) => {
    const error = refusalOf(input);
    expect(error.field).toBe('url');
    expect(error.details).toEqual({ field: 'url' });
    expect(error.message).toBe(message);
  });

  it('accepts 2,048 characters and refuses 2,049', () => {
    const prefix = 'https://example.com/';
    const longest = prefix + 'a'.repeat(2048 - prefix.length);
    expect(normalisePostUrl(longest)).toBe(longest);
    expect(refusalOf(`${longest}a`).message).toBe('A URL is at most 2,048 characters');
  });

  it('refuses a URL that only grows beyond 2,048 characters once normalised', () => {
    const prefix = 'https://example.com/';
    // Each "é" becomes "%C3%A9" in the stored form.
    expect(refusalOf(prefix + 'é'.repeat(400)).message).toBe('A URL is at most 2,048 characters');
  });
});
