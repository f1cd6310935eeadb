import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { NodeRegistry } from '../apps/api/src/graphql/node.js';
import { approvedPost, nicheWith, ok, submitPost } from './support/flows.js';
import { codeOf, signInAdmin, signUp, signUpAs, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Who asks: the object's owner, another party to it, a stranger, staff, or nobody signed in. */
type Who = 'owner' | 'involved' | 'member' | 'moderator' | 'admin' | 'anonymous';
const EVERYONE: readonly Who[] = ['owner', 'involved', 'member', 'moderator', 'admin', 'anonymous'];

interface Arranged {
  readonly id: string;
  readonly owner?: SignedIn;
  /** Someone besides the owner with a right to see it (a share's post author). */
  readonly involved?: SignedIn;
}

interface NodeRule {
  readonly rule: string;
  readonly seenBy: readonly Who[];
  readonly arrange: () => Promise<Arranged>;
}

type Role = 'MODERATOR' | 'ADMIN';

/** The role a field's description documents ("MODERATOR or ADMIN", "ADMIN"), if any. */
function documentedRole(description: string | null | undefined): Role | null {
  if (!description) return null;
  if (/\bMODERATOR or ADMIN\b/.test(description)) return 'MODERATOR';
  return /\bADMIN\b/.test(description) ? 'ADMIN' : null;
}

/** An operation calling `field` with its required arguments as variables, selecting as little as it can. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((arg) => isNonNullType(arg.type));
  const variables = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

const NODE_QUERY = `query($id: ID!) { node(id: $id) { __typename id } }`;
const SUSPEND = `mutation($i: SuspendMemberInput!) { suspendMember(input: $i) { status } }`;
const PAUSE = `mutation($i: PauseSharingInput!) { pauseSharing(input: $i) { id } }`;
const RESUME = `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id } }`;
const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }`;
const LATER = () => new Date(Date.now() + 86_400_000).toISOString();

describe('authorization matrix (BOLA)', () => {
  let t: TestApp;
  let schema: GraphQLSchema;
  let admin: SignedIn;
  let moderator: SignedIn;
  let stranger: SignedIn;
  let niche: string;
  let unique = 0;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInAdmin(t);
    moderator = await signUpAs(t, admin, 'MODERATOR');
    stranger = await signUp(t);
    niche = await nicheWith(t, admin);
    schema = buildClientSchema(await ok<IntrospectionQuery>(t, getIntrospectionQuery(), {}));
  });
  afterAll(() => t.close());

  const tokenOf = (who: Exclude<Who, 'anonymous'>, arranged: Arranged): string | undefined =>
    ({
      owner: arranged.owner?.token,
      involved: arranged.involved?.token,
      member: stranger.token,
      moderator: moderator.token,
      admin: admin.token,
    })[who];

  async function apiKeyOf(member: SignedIn, scopes: string[] = ['READ', 'SUBMIT', 'SHARE']): Promise<{ id: string; secret: string }> {
    const { createApiKey } = await ok(t, CREATE_KEY, { i: { name: `key ${unique++}`, scopes } }, member.token);
    return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
  }

  async function channelOf(member: SignedIn): Promise<string> {
    // The webhook is never called: this app runs no worker.
    const { connectChannel } = await ok(
      t,
      `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id } } }`,
      { i: { network: 'WEBHOOK', handle: `hook-${unique++}`, webhookUrl: 'http://127.0.0.1:9/hooks/never-called' } },
      member.token,
    );
    return connectChannel.channel.id;
  }

  async function newestLedgerEntryOf(member: SignedIn): Promise<string> {
    return (await ok(t, `{ viewer { ledger(first: 1) { nodes { id } } } }`, {}, member.token)).viewer.ledger.nodes[0].id;
  }

  /** A share of `sharer`'s, scheduled a day ahead, of a post of `author`'s. */
  async function scheduledShare(sharer: SignedIn, author: SignedIn): Promise<string> {
    const postId = await approvedPost(t, admin, author, niche);
    const channel = await channelOf(sharer);
    const { sharePost } = await ok(
      t,
      `mutation($i: SharePostInput!) { sharePost(input: $i) { id } }`,
      { i: { postId, channelIds: [channel], scheduledFor: LATER() } },
      sharer.token,
    );
    return sharePost[0].id;
  }

  async function postIn(status: 'REJECTED' | 'WITHDRAWN'): Promise<Arranged> {
    const owner = await signUp(t);
    const id = await submitPost(t, owner, niche);
    if (status === 'REJECTED') {
      await ok(
        t,
        `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status } }`,
        { i: { postId: id, action: 'REJECT', reason: 'Off topic for this niche' } },
        moderator.token,
      );
    } else {
      await ok(t, `mutation($id: ID!) { withdrawPost(id: $id) { status } }`, { id }, owner.token);
    }
    return { id, owner };
  }

  /** Each Node type's visibility, one case per state that changes who may see it. */
  const NODE_RULES: Record<string, readonly NodeRule[]> = {
    ApiKey: [
      {
        rule: 'is seen by its member only',
        seenBy: ['owner'],
        arrange: async () => {
          const owner = await signUp(t);
          return { id: (await apiKeyOf(owner)).id, owner };
        },
      },
    ],
    AuditEntry: [
      {
        rule: 'is seen by admins only',
        seenBy: ['admin'],
        arrange: async () => {
          await nicheWith(t, admin);
          return { id: (await ok(t, `{ auditLog(first: 1) { nodes { id action } } }`, {}, admin.token)).auditLog.nodes[0].id };
        },
      },
    ],
    Channel: [
      {
        rule: 'is seen by its member only',
        seenBy: ['owner'],
        arrange: async () => {
          const owner = await signUp(t);
          return { id: await channelOf(owner), owner };
        },
      },
    ],
    Notification: [
      {
        rule: 'is seen by its member only',
        seenBy: ['owner'],
        arrange: async () => {
          const owner = await signUp(t);
          await ok(
            t,
            `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`,
            { i: { memberId: owner.id, amount: 1, reason: 'a notification to find' } },
            admin.token,
          );
          return {
            id: (await ok(t, `{ viewer { notifications(first: 1) { nodes { id } } } }`, {}, owner.token)).viewer.notifications.nodes[0].id,
            owner,
          };
        },
      },
    ],
    LedgerEntry: [
      {
        rule: 'is seen by its member only',
        seenBy: ['owner'],
        arrange: async () => {
          const owner = await signUp(t);
          return { id: await newestLedgerEntryOf(owner), owner };
        },
      },
    ],
    Member: [
      {
        rule: 'is seen by everyone, signed in or not, while active',
        seenBy: EVERYONE,
        arrange: async () => {
          const owner = await signUp(t);
          return { id: owner.id, owner };
        },
      },
      {
        rule: 'is seen by moderators and admins only once suspended',
        seenBy: ['moderator', 'admin'],
        arrange: async () => {
          const suspended = await signUp(t);
          await ok(t, SUSPEND, { i: { memberId: suspended.id, reason: 'Posting spam links' } }, moderator.token);
          return { id: suspended.id };
        },
      },
    ],
    Niche: [{ rule: 'is seen by everyone, signed in or not', seenBy: EVERYONE, arrange: async () => ({ id: await nicheWith(t, admin) }) }],
    Post: [
      {
        rule: 'is seen by everyone, signed in or not, once approved',
        seenBy: EVERYONE,
        arrange: async () => {
          const owner = await signUp(t);
          return { id: await approvedPost(t, admin, owner, niche), owner };
        },
      },
      {
        rule: 'is seen by its author, moderators and admins only while awaiting review',
        seenBy: ['owner', 'moderator', 'admin'],
        arrange: async () => {
          const owner = await signUp(t);
          return { id: await submitPost(t, owner, niche), owner };
        },
      },
      {
        rule: 'is seen by its author, moderators and admins only once rejected',
        seenBy: ['owner', 'moderator', 'admin'],
        arrange: () => postIn('REJECTED'),
      },
      {
        rule: 'is seen by its author, moderators and admins only once withdrawn',
        seenBy: ['owner', 'moderator', 'admin'],
        arrange: () => postIn('WITHDRAWN'),
      },
    ],
    Share: [
      {
        rule: "is seen by its sharer and the post's author only",
        seenBy: ['owner', 'involved'],
        arrange: async () => {
          const owner = await signUp(t);
          const author = await signUp(t);
          return { id: await scheduledShare(owner, author), owner, involved: author };
        },
      },
    ],
    SharingPause: [
      {
        rule: 'is seen by admins only',
        seenBy: ['admin'],
        arrange: async () => {
          const postId = await approvedPost(t, admin, await signUp(t), niche);
          const { pauseSharing } = await ok(t, PAUSE, { i: { scope: 'POST', postId, reason: 'Reported as misleading' } }, admin.token);
          return { id: pauseSharing.id };
        },
      },
    ],
  };

  describe('node(id)', () => {
    it('has a visibility rule in this table, and a loader, for every type implementing Node', () => {
      const served = schema
        .getImplementations(schema.getType('Node') as GraphQLInterfaceType)
        .objects.map((type) => type.name)
        .sort();
      expect(served.length).toBeGreaterThanOrEqual(9);
      expect(Object.keys(NODE_RULES).sort()).toEqual(served);
      expect(t.app.get(NodeRegistry).types().sort()).toEqual(served);
    });

    describe.each(Object.entries(NODE_RULES))('%s', (type, rules) => {
      it.each(rules.map((r) => [r.rule, r] as const))('%s', async (_rule, { seenBy, arrange }) => {
        const arranged = await arrange();
        const seen: Partial<Record<Who, unknown>> = {};
        const expected: Partial<Record<Who, unknown>> = {};
        for (const who of EVERYONE) {
          if ((who === 'owner' && !arranged.owner) || (who === 'involved' && !arranged.involved)) continue;
          const res = await t.gql(NODE_QUERY, { id: arranged.id }, { token: who === 'anonymous' ? undefined : tokenOf(who, arranged) });
          seen[who] = res.errors ? res.errors.map((e) => e.extensions.code) : res.data!.node;
          expected[who] = seenBy.includes(who) ? { __typename: type, id: arranged.id } : null;
        }
        expect(seen).toEqual(expected);
      });
    });
  });

  describe('fields documented as MODERATOR or ADMIN', () => {
    let slugs = 0;

    /** Fresh, valid fixtures for ID arguments, by argument name. */
    const ID_FIXTURES: Record<string, () => Promise<string>> = {
      memberId: async () => (await signUp(t)).id,
      postId: async () => submitPost(t, await signUp(t), niche),
      nicheId: async () => niche,
    };

    async function valueFor(type: GraphQLInputType, name: string): Promise<unknown> {
      if (isNonNullType(type)) return valueFor(type.ofType as GraphQLInputType, name);
      if (isListType(type)) return [await valueFor(type.ofType as GraphQLInputType, name)];
      if (isInputObjectType(type)) {
        const value: Record<string, unknown> = {};
        for (const field of Object.values(type.getFields())) {
          if (isNonNullType(field.type)) value[field.name] = await valueFor(field.type, field.name);
        }
        return value;
      }
      if (isEnumType(type)) return type.getValues()[0]!.value;
      switch (type.name) {
        case 'ID': {
          const fixture = ID_FIXTURES[name];
          if (!fixture) throw new Error(`No fixture for the ID argument ${name}: add one to ID_FIXTURES`);
          return fixture();
        }
        case 'String':
          return name === 'slug' ? `checked-${Date.now().toString(36)}-${slugs++}` : 'Checking who may do this';
        case 'Int':
          return 1;
        case 'Boolean':
          return true;
        default:
          throw new Error(`No value for the input type ${type.name}`);
      }
    }

    async function argumentsFor(field: GraphQLField<unknown, unknown>): Promise<Record<string, unknown>> {
      const variables: Record<string, unknown> = {};
      for (const arg of field.args) if (isNonNullType(arg.type)) variables[arg.name] = await valueFor(arg.type, arg.name);
      return variables;
    }

    /** State a privileged call needs first (a suspension to lift, a pause to resume). */
    const BEFORE: Record<string, (variables: Record<string, any>) => Promise<unknown>> = {
      reinstateMember: (v) => ok(t, SUSPEND, { i: { memberId: v.input.memberId, reason: 'Posting spam links' } }, admin.token),
      resumeSharing: (v) => ok(t, PAUSE, { i: v.input }, admin.token),
    };
    /** Lifts a pause that an attempt left standing (pausing did, or resuming did not), so each attempt starts clear. */
    const liftPause = (v: Record<string, any>) => t.gql(RESUME, { i: v.input }, { token: admin.token });
    const AFTER: Record<string, (variables: Record<string, any>) => Promise<unknown>> = {
      pauseSharing: liftPause,
      resumeSharing: liftPause,
    };

    /** How to reach a documented field below the root, with an object it applies to. */
    const NESTED: Record<string, { query: string; variables: () => Promise<Record<string, unknown>> }> = {
      'Member.suspendedReason': {
        query: `query($h: String!) { member(handle: $h) { suspendedReason } }`,
        variables: async () => ({ h: (await signUp(t)).handle }),
      },
      // AUTHOR, MODERATOR or ADMIN: a stranger is refused, a moderator answered (the author: test/links.e2e-spec.ts).
      'Post.clickHistory': {
        query: `query($id: ID!) { node(id: $id) { ... on Post { clickHistory(days: 7) { day count } } } }`,
        variables: async () => ({ id: await approvedPost(t, admin, await signUp(t), niche) }),
      },
    };

    const outcome = (res: { errors?: Array<{ extensions: Record<string, any> }> }) => codeOf(res) ?? 'ok';

    it('refuses every one on Query and Mutation to a member (FORBIDDEN), ADMIN ones to a moderator, and lets the role through', async () => {
      const roots = [
        ['query', schema.getQueryType()!],
        ['mutation', schema.getMutationType()!],
      ] as const;
      const seen: Record<string, Record<string, string>> = {};
      const expected: Record<string, Record<string, string>> = {};
      for (const [kind, root] of roots) {
        for (const field of Object.values(root.getFields())) {
          const role = documentedRole(field.description);
          if (!role) continue;
          const operation = operationFor(kind, field);
          const attempt = async (token: string | undefined) => {
            const variables = await argumentsFor(field);
            await BEFORE[field.name]?.(variables);
            const res = await t.gql(operation, variables, { token });
            await AFTER[field.name]?.(variables);
            return outcome(res);
          };
          seen[field.name] = {
            anonymous: await attempt(undefined),
            member: await attempt(stranger.token),
            moderator: await attempt(moderator.token),
            admin: await attempt(admin.token),
          };
          expected[field.name] = {
            anonymous: 'UNAUTHENTICATED',
            member: 'FORBIDDEN',
            moderator: role === 'MODERATOR' ? 'ok' : 'FORBIDDEN',
            admin: 'ok',
          };
        }
      }
      // The contract's own: the walk must find at least these.
      for (const name of ['moderationQueue', 'moderatePost', 'adjustCredits', 'suspendMember', 'setRole', 'createNiche']) {
        expect(Object.keys(seen)).toContain(name);
      }
      expect(seen).toEqual(expected);
    });

    it('refuses every one on other types to a member with FORBIDDEN, and answers a moderator', async () => {
      const documented = Object.values(schema.getTypeMap())
        .filter(isObjectType)
        // Subscriptions are served over WebSocket only: test/live.e2e-spec.ts holds moderationQueueChanged to its role.
        .filter(
          (type) =>
            !type.name.startsWith('__') &&
            type !== schema.getQueryType() &&
            type !== schema.getMutationType() &&
            type !== schema.getSubscriptionType(),
        )
        .flatMap((type) =>
          Object.values(type.getFields())
            .filter((field) => documentedRole(field.description))
            .map((field) => `${type.name}.${field.name}`),
        )
        .sort();
      expect(documented).toEqual(Object.keys(NESTED).sort());
      for (const name of documented) {
        const { query, variables } = NESTED[name]!;
        expect([name, outcome(await t.gql(query, await variables(), { token: stranger.token }))]).toEqual([name, 'FORBIDDEN']);
        expect([name, outcome(await t.gql(query, await variables(), { token: moderator.token }))]).toEqual([name, 'ok']);
      }
    });
  });

  describe("another member's objects", () => {
    it('answers NOT_FOUND to revoking, cancelling, withdrawing or disconnecting them, and changes nothing', async () => {
      const owner = await signUp(t);
      const key = await apiKeyOf(owner, ['READ']);
      const channel = await channelOf(owner);
      const postId = await submitPost(t, owner, niche);
      const shareId = await scheduledShare(owner, await signUp(t));
      const attempts = {
        revokeApiKey: [`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, key.id],
        cancelShare: [`mutation($id: ID!) { cancelShare(id: $id) { id } }`, shareId],
        withdrawPost: [`mutation($id: ID!) { withdrawPost(id: $id) { id } }`, postId],
        disconnectChannel: [`mutation($id: ID!) { disconnectChannel(id: $id) { id } }`, channel],
      } as const;
      for (const intruder of [stranger, moderator, admin]) {
        const codes = Object.fromEntries(
          await Promise.all(
            Object.entries(attempts).map(async ([name, [mutation, id]]) => [
              name,
              codeOf(await t.gql(mutation, { id }, { token: intruder.token })),
            ]),
          ),
        );
        expect(codes).toEqual({
          revokeApiKey: 'NOT_FOUND',
          cancelShare: 'NOT_FOUND',
          withdrawPost: 'NOT_FOUND',
          disconnectChannel: 'NOT_FOUND',
        });
      }

      expect((await ok(t, `{ viewer { member { id } } }`, {}, key.secret)).viewer.member.id).toBe(owner.id);
      const state = await ok(
        t,
        `query($s: ID!, $p: ID!, $c: ID!) {
          share: node(id: $s) { ... on Share { status } }
          post: node(id: $p) { ... on Post { status } }
          channel: node(id: $c) { ... on Channel { status } }
        }`,
        { s: shareId, p: postId, c: channel },
        owner.token,
      );
      expect(state).toEqual({ share: { status: 'SCHEDULED' }, post: { status: 'PENDING_REVIEW' }, channel: { status: 'ACTIVE' } });
    });
  });

  describe('partner API keys', () => {
    it("keeps a key with only SUBMIT from reading the member's data, while it can submit", async () => {
      const member = await signUp(t);
      const entry = await newestLedgerEntryOf(member);
      const { secret } = await apiKeyOf(member, ['SUBMIT']);
      const reads = {
        viewer: codeOf(await t.gql(`{ viewer { creditBalance } }`, {}, { token: secret })),
        node: codeOf(await t.gql(NODE_QUERY, { id: entry }, { token: secret })),
        member: codeOf(await t.gql(`query($h: String!) { member(handle: $h) { id } }`, { h: member.handle }, { token: secret })),
        shareFeed: codeOf(await t.gql(`{ shareFeed { totalCount } }`, {}, { token: secret })),
      };
      expect(reads).toEqual({ viewer: 'FORBIDDEN', node: 'FORBIDDEN', member: 'FORBIDDEN', shareFeed: 'FORBIDDEN' });
      expect(await submitPost(t, { ...member, token: secret }, niche)).toEqual(expect.any(String));
    });

    it('keeps a key with only READ from submitting, withdrawing, sharing and cancelling', async () => {
      const member = await signUp(t);
      const { secret } = await apiKeyOf(member, ['READ']);
      const ownPost = await submitPost(t, member, niche);
      const ownShare = await scheduledShare(member, await signUp(t));
      const peersPost = await approvedPost(t, admin, await signUp(t), niche);
      const channel = await channelOf(member);
      const writes = {
        submitPost: codeOf(
          await t.gql(
            `mutation($i: SubmitPostInput!) { submitPost(input: $i) { id } }`,
            { i: { url: 'https://blog.example.com/read-only-key', nicheId: niche, title: 'Nope', creditsPerShare: 5, budget: 5 } },
            { token: secret },
          ),
        ),
        withdrawPost: codeOf(await t.gql(`mutation($id: ID!) { withdrawPost(id: $id) { id } }`, { id: ownPost }, { token: secret })),
        sharePost: codeOf(
          await t.gql(
            `mutation($i: SharePostInput!) { sharePost(input: $i) { id } }`,
            { i: { postId: peersPost, channelIds: [channel] } },
            { token: secret },
          ),
        ),
        cancelShare: codeOf(await t.gql(`mutation($id: ID!) { cancelShare(id: $id) { id } }`, { id: ownShare }, { token: secret })),
      };
      expect(writes).toEqual({ submitPost: 'FORBIDDEN', withdrawPost: 'FORBIDDEN', sharePost: 'FORBIDDEN', cancelShare: 'FORBIDDEN' });
      const after = await ok(t, `{ viewer { posts { totalCount } shares { nodes { status } } } }`, {}, secret);
      expect(after.viewer).toEqual({ posts: { totalCount: 1 }, shares: { nodes: [{ status: 'SCHEDULED' }] } });
    });

    it('keeps any key, even with every scope, from what needs a signed-in session', async () => {
      const member = await signUp(t);
      const ownKey = await apiKeyOf(member, ['READ']);
      const channel = await channelOf(member);
      const { secret } = await apiKeyOf(member);
      const sessionOnly = {
        createApiKey: [CREATE_KEY, { i: { name: 'escalated', scopes: ['READ'] } }],
        connectChannel: [
          `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id } } }`,
          { i: { network: 'WEBHOOK', handle: 'sneaky', webhookUrl: 'http://127.0.0.1:9/hooks/sneaky' } },
        ],
        updateProfile: [`mutation { updateProfile(input: { displayName: "Taken over" }) { displayName } }`, {}],
        revokeApiKey: [`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: ownKey.id }],
        disconnectChannel: [`mutation($id: ID!) { disconnectChannel(id: $id) { id } }`, { id: channel }],
        joinNiche: [`mutation($id: ID!) { joinNiche(nicheId: $id) { email } }`, { id: niche }],
      } as const;
      const codes: Record<string, unknown> = {};
      for (const [name, [mutation, variables]] of Object.entries(sessionOnly)) {
        const res = await t.gql(mutation, variables, { token: secret });
        codes[name] = codeOf(res);
        expect(res.errors![0]!.message).toMatch(/session/);
      }
      expect(codes).toEqual(Object.fromEntries(Object.keys(sessionOnly).map((name) => [name, 'FORBIDDEN'])));

      const after = await ok(
        t,
        `{ viewer { member { displayName niches { id } } apiKeys { revokedAt } channels { id } } }`,
        {},
        member.token,
      );
      expect(after.viewer.member).toEqual({ displayName: expect.not.stringMatching(/Taken over/), niches: [] });
      expect(after.viewer.apiKeys).toEqual([{ revokedAt: null }, { revokedAt: null }]);
      expect(after.viewer.channels).toEqual([{ id: channel }]);
    });

    it("keeps an admin's key from admin actions, which need the admin's session", async () => {
      const { secret } = await apiKeyOf(admin);
      const target = await signUp(t);
      const res = await t.gql(
        `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { id } }`,
        { i: { memberId: target.id, amount: 10, reason: 'Goodwill' } },
        { token: secret },
      );
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect((await ok(t, `{ viewer { creditBalance } }`, {}, target.token)).viewer.creditBalance).toBe(100);
    });
  });
});
