import { trackedTarget } from './link-target.js';

describe('the target of a short link', () => {
  it("adds utm_source=sharepool, the network in lower case as medium and the niche's slug as campaign", () => {
    expect(trackedTarget('https://blog.example.com/a?page=2#top', 'LINKEDIN', 'growth-marketing')).toBe(
      'https://blog.example.com/a?page=2&utm_source=sharepool&utm_medium=linkedin&utm_campaign=growth-marketing#top',
    );
  });

  it('keeps campaign parameters the URL already has, ours included', () => {
    const target = new URL(trackedTarget('https://blog.example.com/a?utm_source=newsletter&utm_content=hero', 'X', 'saas'));
    expect(target.searchParams.getAll('utm_source')).toEqual(['newsletter']);
    expect(target.searchParams.get('utm_content')).toBe('hero');
    expect(target.searchParams.get('utm_medium')).toBe('x');
    expect(target.searchParams.get('utm_campaign')).toBe('saas');
  });
});
