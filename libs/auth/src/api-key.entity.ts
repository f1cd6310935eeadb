import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { everyOneOf, IndexBySql } from '@sharepool/database';
import { API_SCOPES, type ApiScope } from '@sharepool/kernel';
import { MemberEntity } from '@sharepool/members';

/** A partner API key: the secret is kept only as a peppered HMAC, shown once on creation. */
@Entity('api_keys')
@Check('api_keys_name_check', `length(name) BETWEEN 1 AND 80`)
@Check('api_keys_scopes_check', `cardinality(scopes) > 0 AND scopes <@ ARRAY['READ', 'SUBMIT', 'SHARE']`)
@Unique('api_keys_secret_hmac_key', ['secretHmac'])
@IndexBySql(`CREATE INDEX api_keys_by_member ON api_keys (member_id, created_at DESC)`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'api_keys_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'api_keys_member_id_fkey' })
  member: Relation<MemberEntity>;

  @Column({ type: 'text' })
  name: string;

  /** The secret's first characters, so a member can tell keys apart. */
  @Column({ type: 'text' })
  prefix: string;

  @Column({ type: 'bytea' })
  secretHmac: Buffer;

  @Column({ type: 'text', array: true, transformer: everyOneOf(API_SCOPES, 'api_keys.scopes') })
  scopes: ApiScope[];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
