import type { Browser, Locator, Page } from 'playwright-core';
import type { MastodonFake, WebhookSinkFake } from '@sharepool/testing/fakes';
import { TEST_SECRETS } from '@sharepool/testing';
import { ARTICLE, type BlogSite } from './blog-site.fake.js';
import { check, openBrowserFor, PHONE, DESKTOP, type PersonBrowser, type ScreenshotAlbum, waitForText } from './browser-session.js';
import type { StepRunner } from './browser-steps.js';

export interface JourneyWorld {
  readonly browser: Browser;
  readonly appUrl: string;
  readonly sink: WebhookSinkFake;
  readonly mastodon: MastodonFake;
  readonly blog: BlogSite;
  readonly album: ScreenshotAlbum;
  readonly steps: StepRunner;
}

interface Member {
  readonly email: string;
  readonly handle: string;
  readonly displayName: string;
  readonly password: string;
}

const AUTHOR: Member = { email: 'ada@example.com', handle: 'ada_writes', displayName: 'Ada Lovelace', password: 'analytical engine 1843' };
const SHARER: Member = {
  email: 'grace@example.com',
  handle: 'grace_shares',
  displayName: 'Grace Hopper',
  password: 'compiler pioneer 1952',
};
const NICHE = 'Growth marketing';
const CHANNEL = 'grace-blog';
const SIGNUP_GRANT = 100;
const CREDITS_PER_SHARE = 10;
const BUDGET = 30;
/** How long a share may take from the Share button to POSTED. */
const POSTED_WITHIN_MS = 30_000;

/**
 * The story, through the web client only: two members sign up; one submits a post;
 * the bootstrap admin creates the niche and approves the post; the other connects a webhook
 * channel, shares the post, watches it reach POSTED and sees the balance rise; the author sees
 * the share in the wallet's reciprocity; last, the sharer connects a Mastodon account through the
 * instance's own consent page. Each step is one test; every page visited is photographed.
 */
export async function runSharepoolJourney(world: JourneyWorld, people: PersonBrowser[]): Promise<void> {
  const { steps, album, sink, blog, mastodon } = world;
  const open = async (who: string) => {
    const person = await openBrowserFor(world.browser, who, world.appUrl);
    people.push(person);
    return person.page;
  };
  let admin!: Page;
  let author!: Page;
  const authorProblems = () => people.find((p) => p.who === 'author')!.problems;
  const adminProblems = () => people.find((p) => p.who === 'admin')!.problems;
  let sharer!: Page;

  await steps.step('the admin logs in on the login page', async () => {
    admin = await open('admin');
    const response = await admin.goto('/');
    const csp = response?.headers()['content-security-policy'] ?? '';
    check(csp.includes("script-src 'self'") && csp.includes("style-src 'self';"), `the app is served under a strict CSP (${csp})`);
    await admin.waitForURL('**/login');
    await admin.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
    await album.take(admin, 'login');
    await admin.getByLabel('Email', { exact: true }).fill(TEST_SECRETS.ADMIN_EMAIL);
    await admin.getByLabel('Password', { exact: true }).fill(TEST_SECRETS.ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
  });

  await steps.step('the admin creates a niche on the Admin page', async () => {
    await nav(admin, 'Admin');
    await admin.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await waitForText(admin.getByRole('region', { name: 'Members' }).getByRole('row'), 'Admin');
    await album.take(admin, 'admin-members');
    await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Niches' }).click();
    await admin.getByLabel('Name', { exact: true }).fill(NICHE);
    await admin.getByRole('button', { name: 'Create niche' }).click();
    await waitForText(admin.getByRole('status'), `Niche “${NICHE}” created`);
    await waitForText(admin.getByRole('region', { name: 'Niches' }), NICHE);
    await album.take(admin, 'admin-niches');
  });

  await steps.step('the admin opens the queue board from the Admin page, and comes back signed in', async () => {
    // The board's fonts come from Google Fonts, out of reach here.
    await admin.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    await nav(admin, 'Admin');
    await admin.getByRole('button', { name: 'Queue board' }).click();
    await admin.waitForURL((url) => url.pathname.startsWith('/admin/queues') && !url.search.includes('ticket'));
    await waitForText(admin.locator('body'), 'share.deliver', 15_000);
    await album.take(admin, 'queue-board');
    const refused = adminProblems().filter((p) => /Content Security Policy|Refused to/i.test(p));
    check(refused.length === 0, `the CSP blocked nothing the board needs:\n${refused.join('\n')}`);
    await admin.goto('/');
    await admin.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
  });

  await steps.step('GraphiQL works under its Content-Security-Policy', async () => {
    const response = await admin.goto('/graphiql');
    check((response?.headers()['content-security-policy'] ?? '').includes("script-src 'self'"), 'GraphiQL is served with a CSP');
    // The Execute button shows before GraphiQL's editors have loaded, and a click then does nothing:
    // click again until the answer shows.
    const answer = admin.locator('.graphiql-response').filter({ hasText: '"handle"' });
    for (let tries = 1; ; tries++) {
      await admin.getByRole('button', { name: /Execute query/ }).click();
      const shown = await answer
        .first()
        .waitFor({ state: 'visible', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) break;
      if (tries === 5) await waitForText(admin.locator('.graphiql-response'), '"handle"', 1_000);
    }
    await album.take(admin, 'graphiql');
    const refused = adminProblems().filter((p) => /Content Security Policy|Refused to/i.test(p));
    check(refused.length === 0, `the CSP blocked nothing GraphiQL needs:\n${refused.join('\n')}`);
    await admin.goto('/');
    await admin.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
  });

  await steps.step('the author signs up from the login page', async () => {
    author = await open('author');
    await author.goto('/login');
    await author.getByRole('link', { name: 'Create an account' }).click();
    await author.getByRole('heading', { name: 'Create your account', level: 1 }).waitFor();
    await fillSignUp(author, AUTHOR);
    await album.take(author, 'signup');
    await author.getByRole('button', { name: 'Create account' }).click();
    await author.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
    await author.getByRole('heading', { name: /join a niche/ }).waitFor();
    await album.take(author, 'feed-before-joining');
    await balanceIs(author, SIGNUP_GRANT);
  });

  await steps.step('a reload in the middle of a session refresh keeps the author signed in', async () => {
    // The refresh reaches the server (which rotates the session) but its answer never reaches the
    // page, which is reloaded: the page then presents the token whose rotation it never heard of.
    const problemsBefore = authorProblems().length;
    let rotated = 0;
    await author.route('**/auth/session/refresh', async (route) => {
      const headers = await route.request().allHeaders();
      const answer = await fetch(`${world.appUrl}/auth/session/refresh`, {
        method: 'POST',
        headers: { cookie: headers.cookie ?? '', 'x-csrf-token': headers['x-csrf-token'] ?? '' },
      });
      if (answer.status === 200) rotated++;
      await route.abort('connectionreset');
    });
    await author.reload();
    await eventually(() => rotated === 1, 'the refresh reached the server and rotated the session');
    await author.unroute('**/auth/session/refresh');
    await author.reload();
    await author.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
    check(!(await author.getByText('Your session has ended').isVisible()), 'the session did not end');
    // The aborted request is the test's own doing: its "failed to load" line is not the page's fault.
    const added = authorProblems().splice(problemsBefore);
    check(
      added.every((p) => /auth\/session\/refresh|Failed to load resource/.test(p)),
      `only the aborted refresh failed: ${added.join('\n')}`,
    );
  });

  await steps.step('two tabs loading at once both stay signed in', async () => {
    const second = await author.context().newPage();
    try {
      await Promise.all([author.reload(), second.goto('/wallet')]);
      await author.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
      await second.getByRole('heading', { name: 'Return on relationship', level: 1 }).waitFor();
      await author.reload();
      await author.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
    } finally {
      await second.close();
    }
  });

  await steps.step('the author joins the niche on the Profile page', async () => {
    await joinNiche(author);
    await album.take(author, 'profile');
  });

  await steps.step('the author submits a post on My posts, its page preview fetched', async () => {
    await nav(author, 'My posts');
    // The optional fields stay folded away until asked for.
    check(!(await author.getByLabel('Title', { exact: true }).isVisible()), 'the optional title field is hidden at first');
    await author.getByLabel('Page address', { exact: true }).fill(blog.articleUrl());
    check(
      (await author.getByLabel('Niche', { exact: true }).locator('option:checked').innerText()) === NICHE,
      'the niche joined is chosen by default',
    );
    await author.getByLabel('Credits per share', { exact: true }).fill(String(CREDITS_PER_SHARE));
    await author.getByLabel('Budget', { exact: true }).fill(String(BUDGET));
    await waitForText(author.locator('form', { has: author.getByLabel('Budget', { exact: true }) }), 'Pays for 3 shares.');
    await author.getByRole('button', { name: 'Submit for review' }).click();
    await waitForText(author.getByRole('status'), 'a moderator will review it');
    // The API fetches the page's title, summary and image after the post is saved; the list polls for them.
    const post = author.getByRole('list', { name: 'Your posts' }).getByRole('article').filter({ hasText: ARTICLE.title });
    await post.waitFor({ timeout: 20_000 });
    await waitForText(post, ARTICLE.summary);
    await waitForText(post, 'In review');
    // The cover is decorative (alt=""), so it has no role: found by tag, and its load seen at the blog.
    await post.locator('img').waitFor();
    check(blog.requested.includes(ARTICLE.path), 'the API fetched the article for its preview');
    await eventually(() => blog.requested.includes('/images/cover.svg'), 'the browser loaded the cover image');
    await balanceIs(author, SIGNUP_GRANT - BUDGET);
    await album.take(author, 'my-posts-in-review');
  });

  await steps.step('the admin approves the post on the Moderation page', async () => {
    await nav(admin, 'Moderation');
    const queued = admin.getByRole('list', { name: 'Posts awaiting review' }).getByRole('article').filter({ hasText: ARTICLE.title });
    await queued.waitFor();
    await waitForText(queued, `@${AUTHOR.handle}`);
    await album.take(admin, 'moderation');
    await queued.getByRole('button', { name: `Approve “${ARTICLE.title}”` }).click();
    await waitForText(admin.getByRole('status'), `Approved “${ARTICLE.title}”`);
    await admin.getByRole('heading', { name: 'The queue is empty' }).waitFor();
  });

  await steps.step('the sharer signs up and joins the niche on the Profile page', async () => {
    sharer = await open('sharer');
    await sharer.goto('/signup');
    await fillSignUp(sharer, SHARER);
    await sharer.getByRole('button', { name: 'Create account' }).click();
    await sharer.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
    await joinNiche(sharer);
  });

  await steps.step('the sharer connects a webhook channel and the sink accepts its signing secret', async () => {
    await nav(sharer, 'Channels');
    await sharer.getByRole('heading', { name: 'No channels yet' }).waitFor();
    await sharer.getByRole('button', { name: 'Connect a channel' }).click();
    const form = sharer.getByRole('dialog', { name: 'Connect a channel' });
    await album.take(sharer, 'channels-connect-dialog');
    await form.getByRole('button', { name: 'Connect a webhook' }).click();
    await form.getByLabel('Name', { exact: true }).fill(CHANNEL);
    await form.getByLabel('Webhook URL', { exact: true }).fill(sink.hookUrl(CHANNEL));
    await album.take(sharer, 'channels-connect-webhook');
    await form.getByRole('button', { name: 'Connect the webhook' }).click();
    const reveal = sharer.getByRole('dialog', { name: 'Your webhook signing secret' });
    const secret = (await reveal.getByLabel('Signing secret', { exact: true }).innerText()).trim();
    check(secret.length >= 16, `the page shows the signing secret (it showed “${secret}”)`);
    sink.acceptSecret(secret);
    await album.take(sharer, 'channels-signing-secret');
    await reveal.getByRole('button', { name: 'I have saved it' }).click();
    await reveal.waitFor({ state: 'detached' });
    const channel = sharer.getByRole('list', { name: 'Your channels' }).getByRole('listitem').filter({ hasText: CHANNEL });
    await waitForText(channel, 'Active');
    await album.take(sharer, 'channels');
  });

  await steps.step('the sharer finds the approved post in the feed', async () => {
    await nav(sharer, 'Feed');
    const card = feedCard(sharer);
    await card.waitFor();
    await waitForText(card, `+${CREDITS_PER_SHARE} credits`);
    await waitForText(card, `@${AUTHOR.handle}`);
    const menu = sharer.getByRole('button', { name: 'Menu' });
    check(!(await menu.isVisible()), 'a wide screen shows the side navigation, without a menu button');
    await album.take(sharer, 'feed');
    // The same feed on a phone: the navigation folds behind the menu button.
    await sharer.setViewportSize(PHONE);
    await card.getByRole('button', { name: `Share “${ARTICLE.title}”` }).waitFor();
    await menu.waitFor();
    check(!(await sharer.getByRole('navigation', { name: 'Main' }).isVisible()), 'the navigation is folded on a phone');
    await album.take(sharer, 'feed-phone');
    await menu.click();
    await sharer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My shares' }).waitFor();
    await album.take(sharer, 'feed-phone-menu');
    await sharer.keyboard.press('Escape');
    await sharer.setViewportSize(DESKTOP);
  });

  await steps.step('the sharer shares the post to the webhook channel', async () => {
    await feedCard(sharer)
      .getByRole('button', { name: `Share “${ARTICLE.title}”` })
      .click();
    const dialog = sharer.getByRole('dialog', { name: `Share “${ARTICLE.title}”` });
    const box = dialog.getByRole('checkbox', { name: new RegExp(CHANNEL) });
    check(await box.isChecked(), 'the active channel is chosen by default');
    check((await dialog.getByLabel('Message', { exact: true }).inputValue()) === ARTICLE.title, 'the message starts as the post’s own');
    await dialog.getByLabel('Message', { exact: true }).fill(`Worth your time: ${ARTICLE.title}`);
    await album.take(sharer, 'share-dialog');
    await dialog.getByRole('button', { name: 'Share on 1 channel' }).click();
    await waitForText(sharer.getByRole('status'), 'Sharing on 1 channel');
    await dialog.waitFor({ state: 'detached' });
    await waitForText(feedCard(sharer), 'Shared');
  });

  await steps.step(
    'the share reaches POSTED on My shares, delivered once to the webhook',
    async () => {
      await nav(sharer, 'My shares');
      const row = sharer.getByRole('list', { name: 'Your shares' }).getByRole('listitem').filter({ hasText: ARTICLE.title });
      await row.waitFor();
      await shareSettlesAsPosted(row);
      await waitForText(row, `+${CREDITS_PER_SHARE} credits`);
      await row.getByRole('link', { name: /^View/ }).waitFor();
      await album.take(sharer, 'my-shares');
      const deliveries = sink.deliveries;
      check(deliveries.length === 1, `the webhook received one delivery (it received ${deliveries.length})`);
      const [delivery] = deliveries;
      check(delivery.body.post.title === ARTICLE.title, `the delivery names the post (${delivery.body.post.title})`);
      check(
        delivery.body.message.includes(`Worth your time: ${ARTICLE.title}`),
        `the delivery carries the message (${delivery.body.message})`,
      );
      check(
        sink.stats().duplicates === 0 && sink.stats().rejected === 0,
        `no duplicate or refused delivery: ${JSON.stringify(sink.stats())}`,
      );
    },
    { timeoutMs: POSTED_WITHIN_MS + 20_000 },
  );

  await steps.step('the sharer sees the balance rise in the top bar and the wallet', async () => {
    await balanceIs(sharer, SIGNUP_GRANT + CREDITS_PER_SHARE);
    await nav(sharer, 'Return on relationship');
    await waitForText(sharer.getByRole('group', { name: 'Balance' }), String(SIGNUP_GRANT + CREDITS_PER_SHARE));
    const statement = sharer.getByRole('region', { name: 'Statement' });
    await waitForText(statement.getByRole('row'), `+${CREDITS_PER_SHARE}`);
    const peer = sharer
      .getByRole('region', { name: 'Reciprocity' })
      .getByRole('row')
      .filter({ hasText: `@${AUTHOR.handle}` });
    check((await peer.getByRole('cell').allInnerTexts()).slice(0, 2).join(' ') === '1 0', 'the sharer gave one share to the author');
    await album.take(sharer, 'wallet-sharer');
  });

  await steps.step('the sharer creates a partner API key on the API keys page', async () => {
    await nav(sharer, 'API keys');
    await sharer.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    await sharer.getByLabel('Name', { exact: true }).fill('CMS plugin');
    await sharer.getByRole('checkbox', { name: /^Share/ }).check();
    await sharer.getByRole('button', { name: 'Create key' }).click();
    await sharer.getByRole('heading', { name: 'Key “CMS plugin” created' }).waitFor();
    await sharer.getByRole('button', { name: 'Copy API key secret' }).waitFor();
    const secret = (await sharer.getByLabel('API key secret', { exact: true }).innerText()).trim();
    check(secret.length >= 20, 'the key’s secret is shown once');
    await sharer.getByRole('row', { name: /CMS plugin/ }).waitFor();
    await album.take(sharer, 'api-keys');
    await sharer.getByRole('button', { name: 'Done, I saved it' }).click();
    await sharer.getByRole('button', { name: 'Revoke CMS plugin' }).waitFor();
  });

  await steps.step('the author sees the share in the wallet’s reciprocity and on the post', async () => {
    await nav(author, 'Return on relationship');
    const peer = author
      .getByRole('region', { name: 'Reciprocity' })
      .getByRole('row')
      .filter({ hasText: `@${SHARER.handle}` });
    await peer.waitFor();
    const cells = await peer.getByRole('cell').allInnerTexts();
    check(
      cells.slice(0, 2).join(' ') === '0 1',
      `the author's reciprocity counts one share received from the sharer (cells: ${cells.join(' | ')})`,
    );
    await waitForText(author.getByRole('group', { name: 'Shares received' }), '1');
    await album.take(author, 'wallet-author');
    await nav(author, 'My posts');
    const post = author.getByRole('list', { name: 'Your posts' }).getByRole('article').filter({ hasText: ARTICLE.title });
    await waitForText(post, 'Approved');
    await waitForText(post, `${BUDGET - CREDITS_PER_SHARE} credits`);
    await post.getByText('See who shared it (1 share)').click();
    await waitForText(post.getByRole('listitem'), SHARER.displayName);
    await album.take(author, 'my-posts-shared');
  });

  await steps.step('the sharer connects a Mastodon account through the instance’s consent page, after first saying no', async () => {
    const account = mastodon.addAccount('grace', { followersCount: 128 });
    mastodon.signIn(account);
    const toConsentPage = async () => {
      await sharer.getByRole('button', { name: 'Connect a channel' }).click();
      const dialog = sharer.getByRole('dialog', { name: 'Connect a channel' });
      await dialog.getByRole('button', { name: 'Connect Mastodon' }).click();
      await dialog.getByLabel('Your Mastodon server', { exact: true }).fill(mastodon.url);
      await dialog.getByRole('button', { name: 'Continue to Mastodon' }).click();
      await sharer.waitForURL(`${mastodon.url}/oauth/authorize?**`);
      await sharer.getByRole('heading', { name: 'Sharepool wants to access your Mastodon account' }).waitFor();
    };
    await nav(sharer, 'Channels');
    await toConsentPage();
    await album.take(sharer, 'mastodon-consent');
    await sharer.getByRole('button', { name: 'Deny' }).click();
    await sharer.waitForURL('**/channels');
    await waitForText(sharer.getByRole('alert'), 'You did not allow Sharepool to use your Mastodon account, so nothing was connected.');
    await album.take(sharer, 'channels-mastodon-refused');

    await toConsentPage();
    await sharer.getByRole('button', { name: 'Authorize' }).click();
    await sharer.waitForURL('**/channels');
    await sharer.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
    await waitForText(sharer.locator('[role="status"]'), 'Mastodon connected: grace.');
    await waitForText(sharer.locator('[role="status"]'), '128 followers, verified with Mastodon');
    check(!sharer.url().includes('connected='), 'the address no longer carries the outcome');
    const channel = sharer.getByRole('list', { name: 'Your channels' }).getByRole('listitem').filter({ hasText: 'grace' });
    await waitForText(channel, 'Active');
    await waitForText(channel, '128 followers, verified with Mastodon');
    check(mastodon.apps.length === 1, `Sharepool registered itself on the instance once (${mastodon.apps.length} apps)`);
    await album.take(sharer, 'channels-mastodon-connected');
  });
}

async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
}

async function fillSignUp(page: Page, member: Member): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(member.email);
  await page.getByLabel('Handle', { exact: true }).fill(member.handle);
  await page.getByLabel('Display name', { exact: true }).fill(member.displayName);
  await page.getByLabel('Password', { exact: true }).fill(member.password);
}

async function joinNiche(page: Page): Promise<void> {
  await nav(page, 'Profile');
  const niche = page.getByRole('list', { name: 'Niches' }).getByRole('button', { name: NICHE });
  check((await niche.getAttribute('aria-pressed')) === 'false', 'a new member has not joined the niche');
  await niche.click();
  await waitForText(page.getByRole('status'), `You joined ${NICHE}`);
  check((await niche.getAttribute('aria-pressed')) === 'true', 'the niche shows as joined');
}

async function balanceIs(page: Page, credits: number): Promise<void> {
  await page.getByRole('link', { name: `Balance: ${credits} credits` }).waitFor();
}

/** Waits for the share's row to say Posted; a Failed row fails at once, with its reason. */
async function shareSettlesAsPosted(row: Locator): Promise<void> {
  const deadline = Date.now() + POSTED_WITHIN_MS;
  let text = '';
  while (Date.now() < deadline) {
    text = await row.innerText();
    if (/\bFailed\b/.test(text)) throw new Error(`the share failed:\n${text}`);
    if (/\bPosted\b/.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the share did not reach Posted within ${POSTED_WITHIN_MS} ms; its row shows:\n${text}`);
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function feedCard(page: Page) {
  return page.getByRole('list', { name: 'Posts to share' }).getByRole('article').filter({ hasText: ARTICLE.title });
}
