import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditLog } from '@sharepool/audit';
import { entityFields, isUniqueViolation, pgErrorCode, PG, TransactionRunner } from '@sharepool/database';
import { type Actor, InvalidInputError, NotFoundError, requireRole, requireSession } from '@sharepool/kernel';
import { type Niche, NICHE_FIELDS } from './member.fields.js';
import { MemberNicheEntity } from './member-niche.entity.js';
import { NicheSlugTakenError } from './members.errors.js';
import { NicheEntity } from './niche.entity.js';

const MEMBERSHIP = entityFields(MemberNicheEntity, ['memberId']);

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Niches are few and curated by admins; the list is bounded all the same. */
export const MAX_NICHES_LISTED = 500;

/** Niches: the topics members join and posts belong to. */
@Injectable()
export class NichesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    @InjectRepository(NicheEntity) private readonly niches: Repository<NicheEntity>,
    @InjectRepository(MemberNicheEntity) private readonly memberships: Repository<MemberNicheEntity>,
  ) {}

  /** Every niche, by name. */
  list(): Promise<Niche[]> {
    return this.niches.find({ select: NICHE_FIELDS.select, order: { name: 'ASC', id: 'ASC' }, take: MAX_NICHES_LISTED });
  }

  /** SQL, not the repository: every list of posts loads its niches here (see MembersService.findByIds). */
  async findByIds(ids: readonly string[]): Promise<Niche[]> {
    if (ids.length === 0) return [];
    return (await this.transactions.query(`SELECT ${NICHE_FIELDS.sql('n')} FROM niches n WHERE n.id = ANY($1::uuid[])`, [ids])).map((row) =>
      NICHE_FIELDS.read(row),
    );
  }

  /** The niches of many members in one query. */
  async ofMembers(memberIds: readonly string[]): Promise<Map<string, Niche[]>> {
    const rows = await this.transactions.query(
      `SELECT ${MEMBERSHIP.sql('mn')}, ${NICHE_FIELDS.sql('n')} FROM member_niches mn JOIN niches n ON n.id = mn.niche_id
        WHERE mn.member_id = ANY($1::uuid[]) ORDER BY n.name`,
      [memberIds],
    );
    const byMember = new Map<string, Niche[]>(memberIds.map((id) => [id, []]));
    for (const row of rows) byMember.get(MEMBERSHIP.read(row).memberId)!.push(NICHE_FIELDS.read(row));
    return byMember;
  }

  /** ADMIN: a new niche; its slug is unique. */
  async create(actor: Actor, input: { slug: string; name: string }): Promise<Niche> {
    const admin = requireRole(actor, 'ADMIN');
    const slug = input.slug.trim().toLowerCase();
    const name = input.name.trim();
    if (slug.length < 2 || slug.length > 40 || !SLUG.test(slug)) {
      throw new InvalidInputError('slug', 'A slug is 2 to 40 lower-case letters and digits, words joined by "-"');
    }
    if (name.length < 1 || name.length > 60) throw new InvalidInputError('name', 'A niche name is 1 to 60 characters');
    return this.transactions.run(async (tx) => {
      try {
        const [row] = await tx.query(
          `INSERT INTO niches AS n (slug, name, created_by) VALUES ($1, $2, $3) RETURNING ${NICHE_FIELDS.sql('n')}`,
          [slug, name, admin.memberId],
        );
        const niche = NICHE_FIELDS.read(row!);
        await this.audit.record(tx, admin, { action: 'NICHE_CREATED', targetType: 'Niche', targetId: niche.id, details: { slug, name } });
        return niche;
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
      await this.memberships.createQueryBuilder().insert().values({ memberId: me.memberId, nicheId }).orIgnore().execute();
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
    await this.memberships.delete({ memberId: me.memberId, nicheId });
  }
}
