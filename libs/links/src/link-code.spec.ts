import { LINK_CODE_PATTERN, newLinkCode, shortUrlOf } from './link-code.js';

describe('link codes', () => {
  it('are 8 characters of the 62-character alphabet, drawn at random', () => {
    const codes = Array.from({ length: 2000 }, () => newLinkCode());
    for (const code of codes) expect(code).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character of the alphabet turns up among 16,000 draws (each is missed with odds of about e^-258).
    expect(new Set(codes.join('')).size).toBe(62);
    expect(codes.every((code) => LINK_CODE_PATTERN.test(code))).toBe(true);
  });

  it('make a short link on PUBLIC_URL', () => {
    expect(shortUrlOf('https://sp.example', 'Ab3dE5gH')).toBe('https://sp.example/s/Ab3dE5gH');
  });
});
