import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { TransactionRunner, type Tx } from '@sharepool/database';
import { InsufficientCreditsError, InvalidInputError } from '@sharepool/kernel';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { PendingTransferNotFoundError, PendingTransferResolvedError, TransferIdConflictError } from './ledger.errors.js';
import { LedgerService } from './ledger.service.js';
import type { TransferKind, TransferPhase } from './ledger-transfer.entity.js';
import { type AccountRef, SYSTEM_ACCOUNTS, type Transfer } from './ledger.types.js';
import { formatLedgerVerification, verifyLedger } from './ledger-verifier.js';

/*
 * Model-based test: random sequences of ledger operations run against the real
 * ledger (service, SQL functions, Postgres) and against a tiny in-memory model of
 * what the ledger promises. Every result and every error must be the model's,
 * and after each sequence every balance must be the model's and the verifier
 * must find nothing wrong.
 */

const OPERATIONS = 10_000;
const MEMBERS = ['m0', 'm1', 'm2', 'm3'] as const;
const ESCROWS = ['e0', 'e1'] as const;
const SYSTEMS = ['issuance', 'adjustments'] as const;
type Name = (typeof MEMBERS)[number] | (typeof ESCROWS)[number] | (typeof SYSTEMS)[number];
const ALL: readonly Name[] = [...MEMBERS, ...ESCROWS, ...SYSTEMS];

type MoveOp = { type: 'transfer' | 'hold'; id: string; debit: Name; credit: Name; amount: number; kind: TransferKind };
type ResolveOp = { type: 'settle'; id: string; pendingId: string; amount?: number } | { type: 'void'; id: string; pendingId: string };
type Op = MoveOp | ResolveOp;
const isMove = (op: Op): op is MoveOp => op.type === 'transfer' || op.type === 'hold';

interface ExpectedTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  kind: TransferKind;
  phase: TransferPhase;
  pendingId: string | null;
}

/** What the model says an operation does. */
type Outcome = { made: ExpectedTransfer } | { replayOf: string } | { error: (error: unknown) => void };

interface Made {
  readonly op: Op;
  readonly transfer: ExpectedTransfer;
}

/** The ledger's promises, in memory. */
class LedgerModel {
  balances = new Map<Name, { posted: number; pending: number }>();
  made = new Map<string, Made>();
  /** Ids of every transfer made, oldest first, and of the holds among them. */
  ids: string[] = [];
  holds: string[] = [];
  resolved = new Set<string>();

  constructor(readonly accounts: ReadonlyMap<Name, string>) {}

  clone(): LedgerModel {
    const copy = new LedgerModel(this.accounts);
    copy.balances = new Map([...this.balances].map(([name, b]) => [name, { ...b }]));
    copy.made = new Map(this.made);
    copy.ids = [...this.ids];
    copy.holds = [...this.holds];
    copy.resolved = new Set(this.resolved);
    return copy;
  }

  adopt(other: LedgerModel): void {
    Object.assign(this, { balances: other.balances, made: other.made, ids: other.ids, holds: other.holds, resolved: other.resolved });
  }

  available(name: Name): number {
    const b = this.balances.get(name)!;
    return b.posted - b.pending;
  }

  apply(op: Op): Outcome {
    return isMove(op) ? this.move(op) : this.resolve(op);
  }

  private move(op: MoveOp): Outcome {
    const earlier = this.made.get(op.id);
    if (earlier) return sameParameters(earlier.op, op) ? { replayOf: op.id } : conflict;
    const debit = this.balances.get(op.debit)!;
    const isSystem = (SYSTEMS as readonly string[]).includes(op.debit);
    if (!isSystem && this.available(op.debit) < op.amount) return insufficient(this.available(op.debit), op.amount);
    if (op.type === 'transfer') {
      debit.posted -= op.amount;
      this.balances.get(op.credit)!.posted += op.amount;
    } else {
      debit.pending += op.amount;
      this.holds.push(op.id);
    }
    const phase = op.type === 'transfer' ? 'POSTED' : 'PENDING';
    return this.record(op, { debit: op.debit, credit: op.credit, amount: op.amount, kind: op.kind, phase, pendingId: null });
  }

  private resolve(op: ResolveOp): Outcome {
    const pending = this.made.get(op.pendingId);
    if (!pending || pending.transfer.phase !== 'PENDING') return { error: (e) => expect(e).toBeInstanceOf(PendingTransferNotFoundError) };
    const held = pending.transfer.amount;
    const settled = op.type === 'void' ? 0 : (op.amount ?? held);
    if (settled > held) return invalidAmount;
    const earlier = this.made.get(op.id);
    if (earlier) return sameParameters(earlier.op, op, held) ? { replayOf: op.id } : conflict;
    if (this.resolved.has(op.pendingId)) return { error: (e) => expect(e).toBeInstanceOf(PendingTransferResolvedError) };
    const hold = pending.op as MoveOp;
    const debit = this.balances.get(hold.debit)!;
    debit.pending -= held;
    debit.posted -= settled;
    this.balances.get(hold.credit)!.posted += settled;
    this.resolved.add(op.pendingId);
    const phase = op.type === 'void' ? 'VOID_PENDING' : 'POST_PENDING';
    return this.record(op, { debit: hold.debit, credit: hold.credit, amount: settled, kind: hold.kind, phase, pendingId: op.pendingId });
  }

  private record(
    op: Op,
    t: { debit: Name; credit: Name; amount: number; kind: TransferKind; phase: TransferPhase; pendingId: string | null },
  ): Outcome {
    const transfer: ExpectedTransfer = {
      id: op.id,
      debitAccountId: this.accounts.get(t.debit)!,
      creditAccountId: this.accounts.get(t.credit)!,
      amount: t.amount,
      kind: t.kind,
      phase: t.phase,
      pendingId: t.pendingId,
    };
    this.made.set(op.id, { op, transfer });
    this.ids.push(op.id);
    return { made: transfer };
  }
}

const conflict: Outcome = { error: (e) => expect(e).toBeInstanceOf(TransferIdConflictError) };
const invalidAmount: Outcome = {
  error: (e) => {
    expect(e).toBeInstanceOf(InvalidInputError);
    expect((e as InvalidInputError).field).toBe('amount');
  },
};
const insufficient = (available: number, requested: number): Outcome => ({
  error: (e) => expect(e).toEqual(new InsufficientCreditsError(available, requested)),
});

/** Whether `b` repeats `a` exactly (an omitted settle amount means the held amount). */
function sameParameters(a: Op, b: Op, held = 0): boolean {
  if (a.type !== b.type || a.id !== b.id) return false;
  if (a.type === 'settle' && b.type === 'settle') return a.pendingId === b.pendingId && (a.amount ?? held) === (b.amount ?? held);
  if (a.type === 'void' && b.type === 'void') return a.pendingId === b.pendingId;
  const [x, y] = [a, b] as MoveOp[];
  return x.debit === y.debit && x.credit === y.credit && x.amount === y.amount && x.kind === y.kind;
}

/** The real side of one sequence: the service, and what it answered first for each transfer id. */
interface Real {
  readonly ledger: LedgerService;
  readonly run: TransactionRunner['run'];
  readonly accounts: ReadonlyMap<Name, string>;
  readonly firstAnswers: Map<string, Transfer>;
  operations: number;
  transactions: number;
}

function ref(real: Real, name: Name): AccountRef {
  if (name === 'issuance') return { system: 'ISSUANCE' };
  if (name === 'adjustments') return { system: 'ADJUSTMENTS' };
  return name.startsWith('e') ? { escrow: real.accounts.get(name)! } : { member: real.accounts.get(name)! };
}

function execute(real: Real, tx: Tx, op: Op): Promise<Transfer> {
  real.operations++;
  switch (op.type) {
    case 'transfer':
    case 'hold':
      return real.ledger[op.type](tx, { ...op, debit: ref(real, op.debit), credit: ref(real, op.credit) });
    case 'settle':
      return real.ledger.settle(tx, op);
    case 'void':
      return real.ledger.void(tx, op);
  }
}

/** Runs ops in one transaction and checks each answer against the model; all or nothing. */
async function runAndCompare(model: LedgerModel, real: Real, ops: Op[]): Promise<void> {
  const next = model.clone();
  const outcomes: Outcome[] = [];
  for (const op of ops) {
    const outcome = next.apply(op);
    outcomes.push(outcome);
    if ('error' in outcome) break;
  }
  const failure = outcomes.find((o) => 'error' in o) as Extract<Outcome, { error: unknown }> | undefined;
  let answers: Transfer[] = [];
  let thrown: unknown;
  try {
    real.transactions++;
    answers = await real.run(async (tx) => {
      const results: Transfer[] = [];
      for (const op of ops.slice(0, outcomes.length)) results.push(await execute(real, tx, op));
      return results;
    });
  } catch (error) {
    thrown = error;
  }
  if (failure) {
    if (thrown === undefined) throw new Error(`expected the transaction to fail, it answered ${JSON.stringify(answers)}`);
    failure.error(thrown);
    return; // rolled back: the model stays as it was
  }
  if (thrown !== undefined) throw thrown;
  answers.forEach((answer, i) => {
    const outcome = outcomes[i]!;
    if ('made' in outcome) {
      expect(answer).toMatchObject(outcome.made);
      real.firstAnswers.set(answer.id, answer);
    } else if ('replayOf' in outcome) {
      expect(answer).toEqual(real.firstAnswers.get(outcome.replayOf));
    }
  });
  model.adopt(next);
}

/** An operation described independently of the state; `toOp` picks its targets from the model. */
interface Intent {
  toOp(model: LedgerModel): Op | undefined;
  readonly label: string;
}

const pick = <T>(list: readonly T[], index: number): T | undefined => (list.length ? list[index % list.length] : undefined);
const member = fc.constantFrom(...MEMBERS);
const spender = fc.constantFrom<Name>(...MEMBERS, ...ESCROWS);
const amount = fc.integer({ min: 1, max: 60 });

function kindOf(debit: Name, credit: Name): TransferKind {
  if (debit.startsWith('m') && credit.startsWith('e')) return 'CAMPAIGN_FUNDING';
  if (debit.startsWith('e') && credit.startsWith('m')) return 'CAMPAIGN_REFUND';
  return 'ADJUSTMENT';
}

const grant = fc.record({ to: member, amount: fc.integer({ min: 1, max: 100 }) }).map(({ to, amount }): Intent => ({
  label: `grant ${amount} to ${to}`,
  toOp: () => ({ type: 'transfer', id: randomUUID(), debit: 'issuance', credit: to, amount, kind: 'SIGNUP_GRANT' }),
}));

const adjust = fc.record({ who: member, amount, up: fc.boolean() }).map(({ who, amount, up }): Intent => ({
  label: `adjust ${who} by ${up ? '+' : '-'}${amount}`,
  toOp: () => ({
    type: 'transfer',
    id: randomUUID(),
    debit: up ? 'adjustments' : who,
    credit: up ? who : 'adjustments',
    amount,
    kind: 'ADJUSTMENT',
  }),
}));

/** Transfers and holds between members and escrows; amounts run past what is there (over-spends). */
const move = fc
  .record({ type: fc.constantFrom('transfer' as const, 'hold' as const), from: spender, to: spender, amount })
  .map(({ type, from, to, amount }): Intent => ({
    label: `${type} ${amount} ${from}→${to}`,
    toOp: () => {
      const credit = to === from ? (ALL[(ALL.indexOf(from) + 1) % MEMBERS.length] as Name) : to;
      return { type, id: randomUUID(), debit: from, credit, amount, kind: type === 'hold' ? 'SHARE_REWARD' : kindOf(from, credit) };
    },
  }));

/** Settles or voids a hold (mostly open ones); sometimes a transfer that is no hold, or for more than is held. */
const resolve = fc
  .record({
    type: fc.constantFrom('settle' as const, 'void' as const),
    target: fc.nat(),
    among: fc.constantFrom('open', 'open', 'open', 'any hold', 'any transfer', 'unknown'),
    portion: fc.constantFrom('default', 'all', 'part', 'nothing', 'too much'),
  })
  .map(({ type, target, among, portion }): Intent => ({
    label: `${type} ${among}#${target} (${portion})`,
    toOp: (model) => {
      const open = model.holds.filter((id) => !model.resolved.has(id));
      const candidates = { open, 'any hold': model.holds, 'any transfer': model.ids, unknown: [randomUUID()] }[among];
      const pendingId = pick(candidates, target);
      if (!pendingId) return undefined;
      if (type === 'void') return { type, id: randomUUID(), pendingId };
      const held = model.made.get(pendingId)?.transfer.amount ?? 1;
      const amounts = { default: undefined, all: held, part: target % (held + 1), nothing: 0, 'too much': held + 1 };
      return { type, id: randomUUID(), pendingId, amount: amounts[portion] };
    },
  }));

/** Sends an earlier transfer again, exactly: the original answer, nothing moves. */
const replay = fc.nat().map((index): Intent => ({
  label: `replay #${index}`,
  toOp: (model) => {
    const id = pick(model.ids, index);
    return id ? model.made.get(id)!.op : undefined;
  },
}));

/** Reuses an earlier transfer id with a parameter changed (a conflict) or only restated (a replay). */
const reuse = fc.record({ index: fc.nat(), change: fc.nat({ max: 3 }) }).map(({ index, change }): Intent => ({
  label: `reuse #${index} with change ${change}`,
  toOp: (model) => {
    const id = pick(model.ids, index);
    if (!id) return undefined;
    const { op, transfer } = model.made.get(id)!;
    if (op.type === 'settle' || op.type === 'void') {
      const { pendingId } = op;
      if (change === 0) return op.type === 'void' ? { type: 'settle', id, pendingId } : { type: 'void', id, pendingId };
      // Omitting the amount means "all of it": the same as a full settle, not as a partial one.
      if (change === 1) return { type: 'settle', id, pendingId };
      return { type: 'settle', id, pendingId, amount: transfer.amount === 0 ? 1 : transfer.amount - 1 };
    }
    const others = ALL.filter((n) => n !== op.debit && n !== op.credit);
    const changed: Op[] = [
      { ...op, amount: op.amount + 1 },
      { ...op, credit: others[index % others.length]! },
      { ...op, kind: op.kind === 'ADJUSTMENT' ? 'SHARE_REWARD' : 'ADJUSTMENT' },
      { ...op, type: op.type === 'transfer' ? 'hold' : 'transfer' },
    ];
    return changed[change];
  },
}));

const single = fc.oneof(
  { arbitrary: grant, weight: 3 },
  { arbitrary: adjust, weight: 1 },
  { arbitrary: move, weight: 5 },
  { arbitrary: resolve, weight: 4 },
  { arbitrary: replay, weight: 1 },
  { arbitrary: reuse, weight: 1 },
);

type Cmd = fc.AsyncCommand<{ model: LedgerModel }, Real>;

/** One use case: one or more operations in one transaction. */
function command(intents: Intent[]): Cmd {
  return {
    check: () => true,
    async run({ model }, real) {
      // Targets are picked one after the other, each seeing what the earlier ones did.
      const scratch = model.clone();
      const ops: Op[] = [];
      for (const intent of intents) {
        const op = intent.toOp(scratch);
        if (!op) continue;
        ops.push(op);
        if ('error' in scratch.apply(op)) break;
      }
      if (ops.length) await runAndCompare(model, real, ops);
    },
    toString: () => intents.map((i) => i.label).join(' + '),
  };
}

// Mostly use cases of several operations, each all or nothing: that tests atomicity, and
// fewer transactions keep the 10,000 operations within seconds.
const commands = fc.limitShrink(
  fc.commands(
    [
      fc.oneof(
        { arbitrary: single.map((intent) => command([intent])), weight: 1 },
        { arbitrary: fc.array(single, { minLength: 2, maxLength: 6 }).map((intents) => command(intents)), weight: 2 },
      ),
    ],
    { size: 'max', maxCommands: 300 },
  ),
  // Each shrink replays a whole sequence against the database: bounded, so a failure reports in minutes.
  100,
);

describe('the ledger, against a model of its promises', () => {
  let core: TestCore;
  let ledger: LedgerService;
  let run: TransactionRunner['run'];

  beforeAll(async () => {
    core = await startTestCore();
    ledger = core.get(LedgerService);
    const runner = core.get(TransactionRunner);
    run = runner.run.bind(runner);
  });
  afterAll(() => core?.close());

  async function balances(accounts: ReadonlyMap<Name, string>): Promise<Map<Name, { posted: number; pending: number }>> {
    const rows = await run((tx) =>
      tx.query<{ id: string; posted: number; pending: number }>(
        `SELECT id, posted, pending_out AS pending FROM ledger_accounts WHERE id = ANY($1::uuid[])`,
        [[...accounts.values()]],
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, { posted: r.posted, pending: r.pending }]));
    return new Map(ALL.map((name) => [name, byId.get(accounts.get(name)!)!]));
  }

  it('answers and balances as the model does over more than 10,000 random operations, every invariant holding', async () => {
    let operations = 0;
    let transactions = 0;
    let sequences = 0;
    const property = fc.asyncProperty(commands, async (cmds) => {
      const accounts = new Map<Name, string>([
        ...[...MEMBERS, ...ESCROWS].map((name) => [name, randomUUID()] as const),
        ['issuance', SYSTEM_ACCOUNTS.ISSUANCE],
        ['adjustments', SYSTEM_ACCOUNTS.ADJUSTMENTS],
      ]);
      await run(async (tx) => {
        for (const m of MEMBERS) await ledger.openMemberAccount(tx, accounts.get(m)!);
        for (const e of ESCROWS) await ledger.openEscrowAccount(tx, accounts.get(e)!, accounts.get('m0')!);
      });
      const model = new LedgerModel(accounts);
      // System accounts are shared by every sequence: the model starts from where they are.
      model.balances = await balances(accounts);
      const real: Real = { ledger, run, accounts, firstAnswers: new Map(), operations: 0, transactions: 0 };

      await fc.asyncModelRun(() => ({ model: { model }, real }), cmds);

      operations += real.operations;
      transactions += real.transactions;
      sequences++;
      expect(Object.fromEntries(await balances(accounts))).toEqual(Object.fromEntries(model.balances));
      const report = await run((tx) => verifyLedger(tx));
      if (!report.ok) throw new Error(formatLedgerVerification(report));
    });
    // Sequences have random lengths: rounds of them until enough operations have run.
    while (operations < OPERATIONS) await fc.assert(property, { numRuns: 10 });
    process.stdout.write(`ledger model: ${operations} operations in ${transactions} transactions, ${sequences} sequences\n`);
  }, 600_000);
});
