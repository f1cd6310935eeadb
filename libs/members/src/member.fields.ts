import { entityFields, type FieldsOf } from '@sharepool/database';
import { MemberEntity } from './member.entity.js';
import { NicheEntity } from './niche.entity.js';

/** What a member is to the rest of Sharepool (never the password hash). */
export const MEMBER_FIELDS = entityFields(MemberEntity, [
  'id',
  'email',
  'handle',
  'displayName',
  'bio',
  'role',
  'status',
  'suspendedReason',
  'emailVerifiedAt',
  'createdAt',
]);
export type Member = FieldsOf<typeof MEMBER_FIELDS>;

export const NICHE_FIELDS = entityFields(NicheEntity, ['id', 'slug', 'name', 'createdAt']);
export type Niche = FieldsOf<typeof NICHE_FIELDS>;
