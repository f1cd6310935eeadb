import pg from 'pg';
import { createTestDatabase, sqlPool, type TestDatabase } from '@sharepool/testing';
import { RELATIONSHIP_SEGMENTS, type RelationshipSegment, SEGMENT_RECENCIES } from './relationship.record.js';

/*
 * The RFM scores and segments are the database's functions (the share feed
 * and viewer { relationships } both use them): these tests hold them to the
 * partner contract's thresholds, at every boundary.
 */

const AT = '2026-06-15T12:00:00.000Z';
const HOUR = 3_600_000;
const at = new Date(AT).getTime();
/** `hours` before AT, plus `extraMs`. */
const before = (hours: number, extraMs = 0) => new Date(at - hours * HOUR + extraMs).toISOString();

describe('RFM scores and segments', () => {
  let db: TestDatabase;
  let sql: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = sqlPool(db.url, 2);
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  const scalar = async <T>(text: string, params: unknown[]): Promise<T> => (await sql.query(text, params)).rows[0].v as T;
  const recency = (last: string | null) => scalar<number | null>(`SELECT rfm_recency($1::timestamptz, $2::timestamptz) AS v`, [last, AT]);
  const frequency = (shares: number) => scalar<number>(`SELECT rfm_frequency($1) AS v`, [shares]);
  const monetary = (reach: number) => scalar<number>(`SELECT rfm_monetary($1) AS v`, [reach]);
  const segment = (r: number | null, f: number, firstReceived: string | null) =>
    scalar<RelationshipSegment>(`SELECT relationship_segment($1, $2, $3::timestamptz, $4::timestamptz) AS v`, [r, f, firstReceived, AT]);

  it.each([
    // within 7 days (168 hours) scores 5; 30 days (720) 4; 90 days (2160) 3; 180 days (4320) 2; longer ago 1
    [-5, 5],
    [0, 5],
    [168, 5],
    [169, 4],
    [720, 4],
    [721, 3],
    [2160, 3],
    [2161, 2],
    [4320, 2],
    [4321, 1],
    [100_000, 1],
  ])('scores recency %i hours before now as %i', async (hours, score) => {
    expect(await recency(before(hours))).toBe(score);
  });

  it('scores recency a share a microsecond past each threshold one lower', async () => {
    for (const [hours, score] of [
      [168, 5],
      [720, 4],
      [2160, 3],
      [4320, 2],
    ] as const) {
      const edge = await scalar<number>(`SELECT rfm_recency($1::timestamptz - make_interval(hours => $2), $1::timestamptz) AS v`, [
        AT,
        hours,
      ]);
      const past = await scalar<number>(
        `SELECT rfm_recency($1::timestamptz - make_interval(hours => $2) - interval '1 microsecond', $1::timestamptz) AS v`,
        [AT, hours],
      );
      expect([edge, past]).toEqual([score, score - 1]);
    }
  });

  it('gives no recency to a peer who never shared the member', async () => {
    expect(await recency(null)).toBeNull();
  });

  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [4, 2],
    [5, 3],
    [9, 3],
    [10, 4],
    [19, 4],
    [20, 5],
    [1000, 5],
  ])('scores frequency %i shares as %i', async (shares, score) => {
    expect(await frequency(shares)).toBe(score);
  });

  it.each([
    [0, 1],
    [499, 1],
    [500, 2],
    [1999, 2],
    [2000, 3],
    [9999, 3],
    [10_000, 4],
    [49_999, 4],
    [50_000, 5],
    [10_000_000_000, 5],
  ])('scores monetary %i reached as %i', async (reach, score) => {
    expect(await monetary(reach)).toBe(score);
  });

  const longAgo = before(24 * 365);
  const lately = before(24 * 10);
  it.each<[number | null, number, string | null, RelationshipSegment]>([
    // SUPER_FAN: recency >= 4 and frequency >= 4
    [4, 4, longAgo, 'SUPER_FAN'],
    [5, 5, lately, 'SUPER_FAN'],
    [3, 4, longAgo, 'LOYAL'],
    [4, 3, longAgo, 'LOYAL'],
    // LOYAL: recency >= 3 and frequency >= 3
    [3, 3, longAgo, 'LOYAL'],
    [2, 3, longAgo, 'AT_RISK'],
    [3, 2, longAgo, 'OCCASIONAL'],
    // NEW: first shared within 30 days, frequency <= 2 (the first matching rule wins: a new peer sharing a lot is a fan)
    [5, 2, before(720), 'NEW'],
    [5, 1, lately, 'NEW'],
    [5, 2, before(720, 1), 'NEW'],
    [5, 2, before(720, -1), 'OCCASIONAL'],
    [5, 2, before(720 + 0.001), 'OCCASIONAL'],
    [5, 3, lately, 'LOYAL'],
    [5, 4, lately, 'SUPER_FAN'],
    // AT_RISK: frequency >= 3 and recency <= 2
    [2, 5, longAgo, 'AT_RISK'],
    [1, 3, longAgo, 'AT_RISK'],
    // LAPSED: frequency <= 2 and recency <= 2
    [2, 2, longAgo, 'LAPSED'],
    [1, 1, longAgo, 'LAPSED'],
    // OCCASIONAL: any other peer who shared the member
    [4, 1, longAgo, 'OCCASIONAL'],
    [3, 1, before(24 * 40), 'OCCASIONAL'],
    // NOT_YET: the peer never shared the member
    [null, 1, null, 'NOT_YET'],
  ])('puts recency %s, frequency %s, first received %s in %s', async (r, f, first, expected) => {
    expect(await segment(r, f, first)).toBe(expected);
  });

  it('finds every segment only at the recency scores that readers look in', async () => {
    const { rows } = await sql.query<{ segment: RelationshipSegment; recency: number }>(
      `SELECT DISTINCT relationship_segment(r, f, $1::timestamptz - make_interval(hours => h), $1::timestamptz) AS segment, coalesce(r, 0) AS recency
         FROM (SELECT NULL::int AS r UNION ALL SELECT generate_series(1, 5)) rs,
              generate_series(1, 5) f, unnest(ARRAY[0, 719, 720, 721, 5000, 10000]) h
        WHERE r IS NULL OR NOT (h <= 720 AND r < 4)`,
      [AT],
    );
    for (const name of RELATIONSHIP_SEGMENTS) {
      const seen = rows.filter((row) => row.segment === name).map((row) => row.recency);
      expect(seen.length).toBeGreaterThan(0);
      for (const score of seen) expect(SEGMENT_RECENCIES[name]).toContain(score);
    }
  });
});
