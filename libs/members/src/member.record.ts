import type { Role } from '@sharepool/kernel';

import type { MemberStatus } from './member.entity.js';

/** A member as the domain sees it (never the password hash). */
export interface MemberRecord {
  readonly id: string;
  readonly email: string;
  readonly handle: string;
  readonly displayName: string;
  readonly bio: string | null;
  readonly role: Role;
  readonly status: MemberStatus;
  readonly suspendedReason: string | null;
  readonly createdAt: Date;
}

export interface NicheRecord {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: Date;
}

/** The columns of MemberRecord, for SELECTs on `members m`. */
export const MEMBER_COLUMNS = `m.id, m.email, m.handle, m.display_name AS "displayName", m.bio, m.role, m.status,
  m.suspended_reason AS "suspendedReason", m.created_at AS "createdAt"`;

export const NICHE_COLUMNS = `n.id, n.slug, n.name, n.created_at AS "createdAt"`;
