import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { PasswordHasher } from '@sharepool/auth';
import { ChannelsService } from '@sharepool/channels';
import { ConfigError, loadConfig, TRUST_LEVELS, trustRulesFrom, type TrustLevel, withServiceUrls } from '@sharepool/config';
import { PostsService } from '@sharepool/content';
import { runMigrations, TransactionRunner } from '@sharepool/database';
import { DAY_MS, type MemberActor } from '@sharepool/kernel';
import { MembersService, NichesService } from '@sharepool/members';
import { ModerationService } from '@sharepool/moderation';
import { createLogger } from '@sharepool/observability';
import { TrustReview } from '@sharepool/relationships';
import { CoreModule, ServiceStartError, startServices } from '@sharepool/runtime';
import { ShareSettlement, SharesService } from '@sharepool/sharing';
import { TrustLevels } from '@sharepool/trust';

/**
 * `npm run seed:demo [-- --force]`: a believable community in an empty
 * database (DATABASE_URL, or the embedded one like `npm start`): 3 niches, 60
 * members in five groups (leaders of the community, regulars, members who
 * faded, casual members, newcomers), 400 posts and about 5,600 POSTED shares
 * spread over the last 180 days, so every page, chart, segment and trust level
 * shows something. Everything goes through the services (every credit through
 * the ledger: `npm run ledger:verify` is clean afterwards); then the history
 * is dated back (members, posts and shares, and the relationships rebuilt
 * from them; ledger entries and the audit log keep the day of the seeding),
 * and the trust review gives each member the level their history earns.
 *
 * Refuses a database with members other than the bootstrap admin, unless
 * --force.
 */

const DEMO_PASSWORD = 'sharepool demo password';
const DAYS = 180;
const NICHES = [
  { slug: 'growth', name: 'Growth marketing' },
  { slug: 'design', name: 'Product design' },
  { slug: 'indie-dev', name: 'Indie development' },
];

interface Group {
  readonly name: string;
  readonly size: number;
  /** Days since joining, at least and at most. */
  readonly joined: readonly [number, number];
  /** When they shared: days ago, from and to. */
  readonly active: readonly [number, number];
  readonly posts: number;
  readonly shares: number;
  /** Of their posts, how many a moderator rejected (the newest). */
  readonly rejected: number;
  readonly audience: readonly [number, number];
}

const GROUPS: Group[] = [
  { name: 'leader', size: 10, joined: [160, 180], active: [170, 0], posts: 14, shares: 270, rejected: 0, audience: [2_000, 40_000] },
  { name: 'regular', size: 18, joined: [20, 55], active: [50, 0], posts: 8, shares: 160, rejected: 0, audience: [300, 8_000] },
  { name: 'faded', size: 12, joined: [150, 180], active: [175, 100], posts: 5, shares: 90, rejected: 0, audience: [200, 5_000] },
  { name: 'casual', size: 12, joined: [8, 60], active: [60, 0], posts: 4, shares: 9, rejected: 0, audience: [50, 1_500] },
  { name: 'newcomer', size: 8, joined: [0, 2], active: [2, 0], posts: 1, shares: 1, rejected: 0, audience: [20, 500] },
];
/** Two casual members whose newest post was rejected this week: they stay NEW for now. */
const REJECTED_CASUALS = 2;

/** A small deterministic random source, so every seeding makes the same community. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface PlannedMember {
  readonly index: number;
  readonly group: Group;
  readonly handle: string;
  readonly joinedDaysAgo: number;
  readonly niches: number[];
  readonly audience: number;
}

interface PlannedPost {
  readonly author: PlannedMember;
  readonly niche: number;
  readonly daysAgo: number;
  readonly creditsPerShare: number;
  readonly rejected: boolean;
  shares: number;
}

interface PlannedShare {
  readonly sharer: PlannedMember;
  readonly post: PlannedPost;
  readonly daysAgo: number;
}

/** Who joins when, what they post and whose posts they share when: all decided before anything is written. */
function plan() {
  const next = random(20_260_601);
  const between = (low: number, high: number) => low + next() * (high - low);
  const members: PlannedMember[] = [];
  for (const group of GROUPS) {
    for (let i = 0; i < group.size; i++) {
      const index = members.length;
      const extra = next() < 0.75 ? [(index + 1) % NICHES.length] : [];
      members.push({
        index,
        group,
        handle: `${group.name}_${String(i + 1).padStart(2, '0')}`,
        joinedDaysAgo: between(group.joined[0], group.joined[1]),
        niches: [...new Set([index % NICHES.length, ...extra])],
        audience: Math.round(between(group.audience[0], group.audience[1])),
      });
    }
  }
  const posts: PlannedPost[] = [];
  for (const author of members) {
    const rejectedCasual = author.group.name === 'casual' && author.index % author.group.size < REJECTED_CASUALS;
    for (let i = 0; i < author.group.posts; i++) {
      const newest = i === author.group.posts - 1;
      posts.push({
        author,
        niche: author.niches[i % author.niches.length]!,
        daysAgo:
          newest && rejectedCasual
            ? between(0.2, 5)
            : between(Math.min(author.joinedDaysAgo, DAYS) * 0.05, Math.min(author.joinedDaysAgo, DAYS)),
        creditsPerShare: 1 + Math.floor(next() * 5),
        rejected: newest && rejectedCasual,
        shares: 0,
      });
    }
  }
  const shares: PlannedShare[] = [];
  const shared = new Set<string>();
  for (const sharer of members) {
    const from = Math.min(sharer.group.active[0], sharer.joinedDaysAgo);
    const to = sharer.group.active[1];
    const open = posts.filter((p) => !p.rejected && p.author !== sharer && sharer.niches.includes(p.niche) && p.daysAgo > to);
    for (let i = 0, tries = 0; i < sharer.group.shares && tries < sharer.group.shares * 20 && open.length > 0; tries++) {
      // Later posts are picked more often: people share what is new.
      const post = open[Math.floor(Math.sqrt(next()) * open.length)]!;
      const key = `${sharer.index}:${posts.indexOf(post)}`;
      if (shared.has(key)) continue;
      const latest = Math.min(from, post.daysAgo);
      if (latest <= to) continue;
      shared.add(key);
      post.shares++;
      shares.push({ sharer, post, daysAgo: between(to, latest) });
      i++;
    }
  }
  return { members, posts, shares };
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const base = loadConfig();
  const logger = createLogger(base.logLevel === 'info' ? 'warn' : base.logLevel, 'sharepool-seed-demo');
  const services = await startServices(base, logger);
  let context: INestApplicationContext | undefined;
  try {
    await runMigrations(services.databaseUrl);
    // Months of history are written today: the daily caps of trust levels cannot apply while seeding.
    const unlimited = { sharesPerDay: 100_000, postsPerDay: 100_000, maxCreditsPerShare: 100 };
    const config = withServiceUrls(
      {
        ...base,
        signupGrant: 5_000,
        trustRules: trustRulesFrom(JSON.stringify({ levels: Object.fromEntries(TRUST_LEVELS.map((l) => [l, { privileges: unlimited }])) })),
      },
      services,
    );
    context = await NestFactory.createApplicationContext(CoreModule.forRoot(config), { logger: false });
    await context.init();
    await seed(context, config.adminEmail, force);
  } finally {
    await context?.close();
    await services.stop();
  }
}

async function seed(app: INestApplicationContext, adminEmail: string | undefined, force: boolean): Promise<void> {
  const get = <T>(type: abstract new (...args: never[]) => T) => app.get(type as never, { strict: false }) as T;
  const transactions = get(TransactionRunner);
  const [{ others }] = await transactions.query<{ others: number }>(
    `SELECT count(*)::int AS others FROM members WHERE email IS DISTINCT FROM $1`,
    [adminEmail ?? null],
  );
  if (others > 0 && !force) {
    throw new SeedRefused(
      `This database already has ${others} member(s) besides the bootstrap admin: seeding would mix the demo into them. ` +
        'Use an empty database, or `npm run seed:demo -- --force` to add the demo anyway.',
    );
  }
  const [admin] = await transactions.query<{ id: string }>(`SELECT id FROM members WHERE role = 'ADMIN' ORDER BY created_at LIMIT 1`);
  if (!admin) throw new SeedRefused('No admin to create the niches and review the posts: set ADMIN_EMAIL and ADMIN_PASSWORD');
  const adminActor = actorOf(admin.id, 'ADMIN');
  const { members, posts, shares } = plan();
  const suffix = force && others > 0 ? `_${Date.now().toString(36).slice(-4)}` : '';

  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {value}/{total} {step} | {elapsed}s, about {eta_formatted} left',
    hideCursor: true,
    etaBuffer: 200,
  });
  bar.start(NICHES.length + members.length + posts.length + shares.length + members.length, 0, { step: 'niches' });
  try {
    const nicheIds: string[] = [];
    for (const niche of NICHES) {
      const made = await get(NichesService).create(adminActor, { slug: `${niche.slug}${suffix.replace('_', '-')}`, name: niche.name });
      nicheIds.push(made.id);
      bar.increment(1, { step: 'niches' });
    }

    const passwordHash = await get(PasswordHasher).hash(DEMO_PASSWORD);
    const ids = new Map<PlannedMember, { actor: MemberActor; channel: string }>();
    for (const member of members) {
      const handle = `${member.handle}${suffix}`;
      const made = await transactions.run((tx) =>
        get(MembersService).enrol(tx, {
          email: `${handle}@demo.sharepool.example`,
          handle,
          displayName: displayName(member),
          passwordHash,
        }),
      );
      const actor = actorOf(made.id, 'MEMBER');
      for (const niche of member.niches) await get(NichesService).join(actor, nicheIds[niche]!);
      const { channel } = await get(ChannelsService).connect(actor, {
        network: 'WEBHOOK',
        handle: `${handle}-blog`,
        webhookUrl: `https://demo.sharepool.example/hooks/${handle}`,
        audienceSize: member.audience,
      });
      ids.set(member, { actor, channel: channel.id });
      bar.increment(1, { step: 'members' });
    }

    const postIds = new Map<PlannedPost, string>();
    for (const [i, post] of posts.entries()) {
      const author = ids.get(post.author)!;
      const made = await get(PostsService).submit(author.actor, {
        url: `https://demo.sharepool.example/${post.author.handle}${suffix}/post-${i + 1}`,
        nicheId: nicheIds[post.niche]!,
        title: TITLES[i % TITLES.length]!,
        summary: 'A demo post of the Sharepool community.',
        creditsPerShare: post.creditsPerShare,
        budget: post.creditsPerShare * Math.max(1, post.shares),
      });
      // The page is imaginary: nothing to read from it.
      await get(PostsService).applyPreview(made.id, { title: null, description: null, imageUrl: null });
      if (made.status === 'PENDING_REVIEW') {
        await get(ModerationService).moderate(adminActor, {
          postId: made.id,
          action: post.rejected ? 'REJECT' : 'APPROVE',
          reason: post.rejected ? 'Off topic for this niche' : null,
        });
      }
      postIds.set(post, made.id);
      bar.increment(1, { step: 'posts' });
    }

    const madeShares: Array<{ id: string; daysAgo: number }> = [];
    const settle = async () => {
      const batch = madeShares.slice(-64).filter((s) => !settled.has(s.id));
      await get(ShareSettlement).recordPosted(
        batch.map((s) => ({ shareId: s.id, result: { externalId: `demo-${s.id}`, externalUrl: null } })),
      );
      for (const s of batch) settled.add(s.id);
    };
    const settled = new Set<string>();
    for (const share of shares) {
      const sharer = ids.get(share.sharer)!;
      const [made] = await get(SharesService).share(sharer.actor, { postId: postIds.get(share.post)!, channelIds: [sharer.channel] });
      madeShares.push({ id: made!.id, daysAgo: share.daysAgo });
      if (madeShares.length % 64 === 0) await settle();
      bar.increment(1, { step: 'shares' });
    }
    await settle();

    await dateBack(transactions, members, ids, posts, postIds, madeShares);

    const review = get(TrustReview);
    const trust = get(TrustLevels);
    for (const member of members) {
      await review.review(ids.get(member)!.actor.memberId);
      bar.increment(1, { step: 'trust levels' });
    }
    // Admins name leaders: the two most active of the community's leaders.
    for (const member of members.filter((m) => m.group.name === 'leader').slice(0, 2)) {
      await trust.setByAdmin(
        adminActor,
        { memberId: ids.get(member)!.actor.memberId, level: 'LEADER', reason: 'Runs the community calls (demo)', lock: true },
        new Date(),
      );
    }
  } finally {
    bar.stop();
  }

  const levels = await levelCounts(transactions);
  process.stdout.write(
    `\nThe demo community is in: ${NICHES.length} niches, ${members.length} members, ${posts.length} posts, ${shares.length} shares over ${DAYS} days.\n` +
      `Trust levels: ${TRUST_LEVELS.map((l) => `${l} ${levels.get(l) ?? 0}`).join(', ')}.\n` +
      `Sign in as any of them, e.g. ${members[0]!.handle}${suffix}@demo.sharepool.example, with the password "${DEMO_PASSWORD}".\n`,
  );
}

/**
 * Dates the history back, as the plan says: a member joined some days ago, a
 * post was submitted after its author joined, a share made and posted after
 * its post. The relationships are rebuilt from the shares' new times. (A demo
 * tool's writing into other libs' tables: nothing else does this.)
 */
async function dateBack(
  transactions: TransactionRunner,
  members: readonly PlannedMember[],
  ids: Map<PlannedMember, { actor: MemberActor }>,
  posts: readonly PlannedPost[],
  postIds: Map<PlannedPost, string>,
  shares: ReadonlyArray<{ id: string; daysAgo: number }>,
): Promise<void> {
  const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
  await transactions.run(async (tx) => {
    await tx.query(
      `UPDATE members m SET created_at = v.at, updated_at = v.at FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) WHERE m.id = v.id`,
      [members.map((m) => ids.get(m)!.actor.memberId), members.map((m) => ago(m.joinedDaysAgo))],
    );
    await tx.query(
      `UPDATE member_niches n SET joined_at = m.created_at FROM members m WHERE m.id = n.member_id AND m.id = ANY($1::uuid[])`,
      [members.map((m) => ids.get(m)!.actor.memberId)],
    );
    await tx.query(
      `UPDATE posts p SET created_at = v.at, updated_at = v.at, moderated_at = CASE WHEN p.moderated_at IS NULL THEN NULL ELSE v.at + interval '2 hours' END
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) WHERE p.id = v.id`,
      [posts.map((p) => postIds.get(p)!), posts.map((p) => ago(p.daysAgo))],
    );
    await tx.query(
      `UPDATE shares s SET created_at = v.at - interval '1 hour', scheduled_for = v.at - interval '1 hour', next_attempt_at = v.at - interval '1 hour',
              posted_at = v.at, updated_at = v.at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) WHERE s.id = v.id`,
      [shares.map((s) => s.id), shares.map((s) => ago(s.daysAgo))],
    );
    await tx.query(
      `UPDATE relationship_shares e SET posted_at = s.posted_at FROM shares s WHERE s.id = e.share_id AND s.id = ANY($1::uuid[])`,
      [shares.map((s) => s.id)],
    );
    await tx.query(`SELECT relationships_rebuild(now() - interval '8760 hours')`);
    await tx.query(
      `UPDATE reciprocity r SET last_shared_at = l.at
         FROM (SELECT sharer_id, author_id, max(posted_at) AS at FROM shares WHERE status = 'POSTED' GROUP BY sharer_id, author_id) l
        WHERE r.sharer_id = l.sharer_id AND r.author_id = l.author_id`,
    );
  });
}

async function levelCounts(transactions: TransactionRunner): Promise<Map<TrustLevel, number>> {
  const rows = await transactions.query<{ level: TrustLevel; n: number }>(
    `SELECT coalesce(t.level, 'NEW') AS level, count(*)::int AS n FROM members m LEFT JOIN member_trust t ON t.member_id = m.id
      WHERE m.role = 'MEMBER' GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.level, r.n]));
}

function actorOf(memberId: string, role: 'MEMBER' | 'ADMIN'): MemberActor {
  return { kind: 'member', memberId, role, scopes: null, apiKeyId: null };
}

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Dennis', 'Frances', 'Ken', 'Radia', 'Tim', 'Sophie'];
const LAST = ['Byron', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Ritchie', 'Allen', 'Thompson', 'Perlman', 'Lee', 'Wilson'];

function displayName(member: PlannedMember): string {
  return `${FIRST[member.index % FIRST.length]} ${LAST[(member.index * 7) % LAST.length]}`;
}

const TITLES = [
  'Ten onboarding emails that convert',
  'Why your pricing page confuses people',
  'A field guide to user interviews',
  'Shipping a side project in a month',
  'The design system we wish we had built first',
  'Retention beats acquisition: our numbers',
  'Writing changelogs people read',
  'Accessibility fixes that took an afternoon',
  'What we learned from 100 support tickets',
  'Cold outreach that does not feel cold',
  'Dark mode without tears',
  'Measuring what a newsletter is worth',
];

/** A reason not to seed, said in one line. */
class SeedRefused extends Error {}

main().then(
  () => process.exit(0),
  (error) => {
    const known = error instanceof SeedRefused || error instanceof ConfigError || error instanceof ServiceStartError;
    process.stderr.write(`${known ? '' : 'Seeding the demo failed: '}${(error as Error).message}\n`);
    if (!known) process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
