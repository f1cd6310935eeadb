import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^8 ≈ 2.2 × 10^14 codes: guessing a live one is hopeless, and the link stays short. */
export const LINK_CODE_LENGTH = 8;
/** What a code looks like (the table allows longer ones, should the length ever grow). */
export const LINK_CODE_PATTERN = /^[0-9A-Za-z]{8,32}$/;

/** A new random code: each character drawn uniformly (crypto.randomInt rejects biased draws). */
export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** The short link of a code: `<PUBLIC_URL>/s/<code>`. */
export function shortUrlOf(publicUrl: string, code: string): string {
  return `${publicUrl}/s/${code}`;
}
