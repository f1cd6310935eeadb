import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** Sharepool's OAuth app on one Mastodon instance, registered the first time a member of it connects. */
@Entity('mastodon_apps', { comment: "Sharepool's OAuth app on each Mastodon instance, registered on first use" })
@Unique('mastodon_apps_one_per_instance', ['instanceUrl', 'redirectUri', 'scopes'])
export class MastodonAppEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'mastodon_apps_pkey' })
  id: string;

  /** The instance's origin. */
  @Column({ type: 'text' })
  instanceUrl: string;

  /** PUBLIC_URL/oauth/callback when it was registered. */
  @Column({ type: 'text' })
  redirectUri: string;

  @Column({ type: 'text' })
  scopes: string;

  @Column({ type: 'text' })
  clientId: string;

  /** Sealed with the app's id as associated data (CredentialCipher.sealSecret). */
  @Column({ type: 'text' })
  clientSecretSealed: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
