import { InvalidInputError } from '@sharepool/kernel';
import { assertMessageFits, checkMessageLength, composePostText } from './message-rules.js';

const link = 'https://blog.example/articles/2026/a-rather-long-slug-for-a-post-about-syndication?ref=feed';

describe('message rules', () => {
  describe('composing the posted text', () => {
    it('appends the link to the message', () => {
      expect(composePostText('Worth a read', 'https://a.example/x')).toBe('Worth a read https://a.example/x');
    });

    it('leaves a message that already holds the link as it is', () => {
      expect(composePostText('Read https://a.example/x today', 'https://a.example/x')).toBe('Read https://a.example/x today');
    });

    it('posts the bare link for an empty message', () => {
      expect(composePostText('   ', 'https://a.example/x')).toBe('https://a.example/x');
    });

    it("puts the share's short link where the message names the post's URL, else appends it", () => {
      const short = 'https://sp.example/s/Ab3dE5gH';
      expect(composePostText('Read https://a.example/x today', short, 'https://a.example/x')).toBe(`Read ${short} today`);
      expect(composePostText('Read https://a.example/x.', short, 'https://a.example/x')).toBe(`Read ${short}.`);
      expect(composePostText('See https://a.example/x.html', short, 'https://a.example/x')).toBe(`See https://a.example/x.html ${short}`);
      expect(composePostText('Worth a read', short, 'https://a.example/x')).toBe(`Worth a read ${short}`);
    });
  });

  describe('X', () => {
    it('counts every link as 23 characters, however long', () => {
      expect(link.length).toBeGreaterThan(23);
      expect(checkMessageLength('X', `${'a'.repeat(256)} ${link}`)).toEqual({ length: 280, limit: 280 });
      expect(assertMessageFits('X', 'a'.repeat(256), link)).toBe(`${'a'.repeat(256)} ${link}`);
    });

    it('refuses one character over 280, saying by how much', () => {
      const attempt = () => assertMessageFits('X', 'a'.repeat(288), link);
      expect(attempt).toThrow(InvalidInputError);
      expect(attempt).toThrow('The message is 312 characters long for X; the limit is 280');
      try {
        attempt();
      } catch (error) {
        expect((error as InvalidInputError).field).toBe('message');
      }
    });

    it('weighs CJK characters 2 and an emoji sequence 2', () => {
      expect(checkMessageLength('X', '日本語').length).toBe(6);
      expect(checkMessageLength('X', '👩‍👩‍👧‍👦').length).toBe(2);
      expect(checkMessageLength('X', 'café').length).toBe(4);
      expect(() => assertMessageFits('X', '日'.repeat(129), link)).toThrow('The message is 282 characters long for X; the limit is 280');
    });
  });

  describe('Bluesky', () => {
    it('counts graphemes: 300 family emoji fit, 301 do not', () => {
      const family = '👩‍👩‍👧‍👦';
      const message = family.repeat(300);
      expect(message.length).toBe(3300);
      expect(checkMessageLength('BLUESKY', message)).toEqual({ length: 300, limit: 300 });
      expect(() => assertMessageFits('BLUESKY', family.repeat(301), family)).toThrow(
        'The message is 301 characters long for Bluesky; the limit is 300',
      );
    });

    it('counts the link in full', () => {
      expect(checkMessageLength('BLUESKY', `hi ${link}`).length).toBe(3 + link.length);
    });
  });

  describe('Mastodon', () => {
    it('counts links as 23 and allows 500', () => {
      expect(checkMessageLength('MASTODON', `${'a'.repeat(476)} ${link}`)).toEqual({ length: 500, limit: 500 });
      expect(() => assertMessageFits('MASTODON', 'a'.repeat(477), link)).toThrow(
        'The message is 501 characters long for Mastodon; the limit is 500',
      );
    });
  });

  describe('LinkedIn and webhooks', () => {
    it('allows 3,000 characters on LinkedIn', () => {
      expect(checkMessageLength('LINKEDIN', 'a'.repeat(3000))).toEqual({ length: 3000, limit: 3000 });
      expect(() => assertMessageFits('LINKEDIN', 'a'.repeat(3000), link)).toThrow(
        `The message is ${3001 + link.length} characters long for LinkedIn; the limit is 3000`,
      );
    });

    it('caps webhook messages at 10,000 characters', () => {
      expect(checkMessageLength('WEBHOOK', 'a'.repeat(10_000)).limit).toBe(10_000);
      expect(() => assertMessageFits('WEBHOOK', 'a'.repeat(10_000), link)).toThrow(InvalidInputError);
    });
  });
});
