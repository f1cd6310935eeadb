import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderSignedIn } from '../../testing/render-app';
import type { FeedPost, ShareChannel } from './feed-operations';
import { ShareDialog } from './share-dialog';
import { composeShareText, countsFor, graphemes } from './share-text';

const URL = 'https://example.com/a-rather-long-article-address-about-growth-marketing';

const post: FeedPost = {
  id: 'p1',
  url: URL,
  title: 'Growth loops',
  summary: null,
  imageUrl: null,
  suggestedMessage: 'Worth a read',
  creditsPerShare: 5,
  budgetRemaining: 50,
  viewerHasShared: false,
  sharingPaused: false,
  createdAt: '2026-01-01T00:00:00Z',
  niche: { id: 'n1', name: 'Growth' },
  author: { id: 'm2', handle: 'grace', displayName: 'Grace Hopper' },
};

const channels: ShareChannel[] = [
  { id: 'c-x', network: 'X', handle: '@ada', audienceSize: 1200, status: 'ACTIVE' },
  { id: 'c-bsky', network: 'BLUESKY', handle: 'ada.bsky.social', audienceSize: 300, status: 'ACTIVE' },
  { id: 'c-li', network: 'LINKEDIN', handle: 'Ada Lovelace', audienceSize: 0, status: 'NEEDS_REAUTH' },
];

function counts() {
  return within(screen.getByRole('list', { name: 'Characters per network' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent);
}

describe('share text', () => {
  it('appends the link unless the message already has it', () => {
    expect(composeShareText('Worth a read ', URL)).toBe(`Worth a read ${URL}`);
    expect(composeShareText(`Read ${URL} now`, URL)).toBe(`Read ${URL} now`);
    expect(composeShareText('', URL)).toBe(URL);
  });

  it('counts a link as 23 characters on X and Mastodon, in full on Bluesky and LinkedIn', () => {
    const text = 'Worth a read';
    const result = Object.fromEntries(countsFor(['X', 'MASTODON', 'BLUESKY', 'LINKEDIN'], text, URL).map((c) => [c.network, c.used]));
    expect(result).toEqual({ X: 12 + 1 + 23, MASTODON: 12 + 1 + 23, BLUESKY: 12 + 1 + URL.length, LINKEDIN: 12 + 1 + URL.length });
  });

  it('counts what a reader sees as one character on Bluesky', () => {
    expect(graphemes('👍🏽👨‍👩‍👧')).toBe(2);
    expect(graphemes('café')).toBe(4);
  });

  it('has no limit for webhooks', () => {
    expect(countsFor(['WEBHOOK'], 'x'.repeat(10_000), URL)).toEqual([]);
  });
});

describe('share dialog', () => {
  it('counts characters live for each chosen network', async () => {
    const api = createFakeApi();
    renderSignedIn(<ShareDialog post={post} channels={channels} onClose={() => undefined} onShared={() => undefined} />, api);
    expect(await screen.findByRole('dialog', { name: 'Share “Growth loops”' })).toBeInTheDocument();
    expect(counts()).toEqual([`X: 36 / 280`, `Bluesky: ${13 + URL.length} / 300`]);

    const message = screen.getByLabelText('Message');
    await userEvent.clear(message);
    await userEvent.type(message, 'Great 🚀');
    expect(counts()).toEqual([`X: 31 / 280`, `Bluesky: ${8 + URL.length} / 300`]);

    await userEvent.click(screen.getByRole('checkbox', { name: /Bluesky/ }));
    expect(counts()).toEqual([`X: 31 / 280`]);
  });

  it('refuses a message too long for a chosen network and names the network', async () => {
    const api = createFakeApi();
    renderSignedIn(<ShareDialog post={post} channels={channels} onClose={() => undefined} onShared={() => undefined} />, api);
    const message = await screen.findByLabelText('Message');
    await userEvent.clear(message);
    await userEvent.click(message);
    await userEvent.paste('a'.repeat(270));
    const [x, bluesky] = within(screen.getByRole('list', { name: 'Characters per network' })).getAllByRole('listitem');
    expect(x).toHaveTextContent('X: 294 / 280 — too long');
    expect(x).toHaveClass('char-count--over');
    expect(bluesky).toHaveTextContent(`Bluesky: ${271 + URL.length} / 300 — too long`);
    await userEvent.click(screen.getByRole('button', { name: /Share on 2 channels/ }));
    expect(message).toHaveAccessibleDescription(expect.stringContaining('Too long for X and Bluesky'));
    expect(message).toHaveFocus();
    expect(api.calls('SharePost')).toHaveLength(0);
  });

  it('offers only channels that can post, and needs at least one', async () => {
    const api = createFakeApi();
    renderSignedIn(<ShareDialog post={post} channels={channels} onClose={() => undefined} onShared={() => undefined} />, api);
    const linkedin = await screen.findByRole('checkbox', { name: /LinkedIn/ });
    expect(linkedin).toBeDisabled();
    expect(linkedin).not.toBeChecked();
    await userEvent.click(screen.getByRole('checkbox', { name: /X/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /Bluesky/ }));
    await userEvent.click(screen.getByRole('button', { name: /Share on 0 channels/ }));
    expect(screen.getByText('Choose at least one channel')).toBeInTheDocument();
    expect(api.calls('SharePost')).toHaveLength(0);
  });

  it('shares to the chosen channels at the chosen time', async () => {
    const api = createFakeApi().on('SharePost', ({ input }) => ({
      data: {
        sharePost: input.channelIds.map((id: string) => ({
          id: `s-${id}`,
          status: 'SCHEDULED',
          scheduledFor: input.scheduledFor,
          channel: { id, network: 'X' },
        })),
      },
    }));
    const onShared = vi.fn();
    renderSignedIn(<ShareDialog post={post} channels={channels} onClose={() => undefined} onShared={onShared} />, api);
    await userEvent.click(await screen.findByRole('checkbox', { name: /Bluesky/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Schedule for later' }));
    const when = screen.getByLabelText('Post at');
    await userEvent.clear(when);
    await userEvent.type(when, '2099-03-01T09:30');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() => expect(onShared).toHaveBeenCalledWith(post, 1));
    expect(api.calls('SharePost')[0].variables.input).toEqual({
      postId: 'p1',
      channelIds: ['c-x'],
      message: 'Worth a read',
      scheduledFor: new Date('2099-03-01T09:30').toISOString(),
    });
  });

  it('shows a refusal from the server in the dialog', async () => {
    const api = createFakeApi().on('SharePost', gqlError('CONFLICT', 'You already shared this post on @ada'));
    renderSignedIn(<ShareDialog post={post} channels={channels} onClose={() => undefined} onShared={() => undefined} />, api);
    await userEvent.click(await screen.findByRole('button', { name: /Share on 2 channels/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You already shared this post on @ada');
  });

  it('closes on Escape', async () => {
    const api = createFakeApi();
    const onClose = vi.fn();
    renderSignedIn(<ShareDialog post={post} channels={channels} onClose={onClose} onShared={() => undefined} />, api);
    await screen.findByRole('dialog');
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
