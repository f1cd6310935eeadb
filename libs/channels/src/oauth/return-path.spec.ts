import { InvalidInputError } from '@sharepool/kernel';
import { webAppPath, withParam } from './return-path.js';

describe('where a connection returns to', () => {
  it('is a path of the web app, /channels when none is given', () => {
    expect(webAppPath(undefined)).toBe('/channels');
    expect(webAppPath('  ')).toBe('/channels');
    expect(webAppPath('/feed?tab=new#top')).toBe('/feed?tab=new#top');
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'channels',
    '/a b',
    '/x\u0000',
    'javascript:alert(1)',
    `/${'a'.repeat(500)}`,
  ])('refuses %j, which a browser could read as another site or is not a path', (returnTo) => {
    expect(() => webAppPath(returnTo)).toThrow(InvalidInputError);
  });

  it('adds the outcome to the path’s own query', () => {
    expect(withParam('/channels', 'connected', 'abc')).toBe('/channels?connected=abc');
    expect(withParam('/channels?tab=x#list', 'error', 'You did not allow it.')).toBe('/channels?tab=x&error=You+did+not+allow+it.#list');
  });
});
