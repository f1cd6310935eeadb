import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { isUniqueViolation, pgErrorCode, PG, TransactionRunner } from '@sharepool/database';
import { type Actor, InvalidInputError, NotFoundError, requireRole, requireSession } from '@sharepool/kernel';
import { NICHE_COLUMNS, type NicheRecord } from './member.record.js';
import { NicheSlugTakenError } from './members.errors.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Niches are few and curated by admins; the list is bounded all the same. */
export const MAX_NICHES_LISTED = 500;

/** Niches: the topics members join and posts belong to. */
@Injectable()
export class NichesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /** Every niche, by name. */
  list(): Promise<NicheRecord[]> {
    return this.transactions.query<NicheRecord>(`SELECT ${NICHE_COLUMNS} FROM niches n ORDER BY n.name, n.id LIMIT ${MAX_NICHES_LISTED}`);
  }

  findByIds(ids: readonly string[]): Promise<NicheRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.transactions.query<NicheRecord>(`SELECT ${NICHE_COLUMNS} FROM niches n WHERE n.id = ANY($1::uuid[])`, [ids]);
  }

  /** The niches of many members in one query. */
  async ofMembers(memberIds: readonly string[]): Promise<Map<string, NicheRecord[]>> {
    const rows = await this.transactions.query<NicheRecord & { memberId: string }>(
      `SELECT mn.member_id AS "memberId", ${NICHE_COLUMNS} FROM member_niches mn JOIN niches n ON n.id = mn.niche_id
        WHERE mn.member_id = ANY($1::uuid[]) ORDER BY n.name`,
      [memberIds],
    );
    const byMember = new Map<string, NicheRecord[]>(memberIds.map((id) => [id, []]));
    for (const { memberId, ...niche } of rows) byMember.get(memberId)!.push(niche);
    return byMember;
  }

  /** ADMIN: a new niche; its slug is unique. */
  async create(actor: Actor, input: { slug: string; name: string }): Promise<NicheRecord> {
    const admin = requireRole(actor, 'ADMIN');
    const slug = input.slug.trim().toLowerCase();
    const name = input.name.trim();
    if (slug.length < 2 || slug.length > 40 || !SLUG.test(slug)) {
      throw new InvalidInputError('slug', 'A slug is 2 to 40 lower-case letters and digits, words joined by "-"');
    }
    if (name.length < 1 || name.length > 60) throw new InvalidInputError('name', 'A niche name is 1 to 60 characters');
    return this.transactions.run(async (tx) => {
      try {
        const [niche] = await tx.query<NicheRecord>(
          `INSERT INTO niches AS n (slug, name, created_by) VALUES ($1, $2, $3) RETURNING ${NICHE_COLUMNS}`,
          [slug, name, admin.memberId],
        );
        await this.audit.record(tx, admin, { action: 'NICHE_CREATED', targetType: 'Niche', targetId: niche!.id, details: { slug, name } });
        return niche!;
      } catch (error) {
        if (isUniqueViolation(error)) throw new NicheSlugTakenError(slug);
        throw error;
      }
    });
  }

  /** Joins a niche; joining one already joined changes nothing. */
  async join(actor: Actor, nicheId: string): Promise<void> {
    const me = requireSession(actor);
    try {
      await this.transactions.query(`INSERT INTO member_niches (member_id, niche_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        me.memberId,
        nicheId,
      ]);
    } catch (error) {
      if (pgErrorCode(error) === PG.foreignKeyViolation) throw new NotFoundError('Niche');
      throw error;
    }
  }

  /** Leaves a niche; leaving one not joined changes nothing, an unknown niche is NOT_FOUND. */
  async leave(actor: Actor, nicheId: string): Promise<void> {
    const me = requireSession(actor);
    const [niche] = await this.findByIds([nicheId]);
    if (!niche) throw new NotFoundError('Niche');
    await this.transactions.query(`DELETE FROM member_niches WHERE member_id = $1 AND niche_id = $2`, [me.memberId, nicheId]);
  }
}
