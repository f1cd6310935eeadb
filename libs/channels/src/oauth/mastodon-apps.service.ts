import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { entityFields, type FieldsOf, TransactionRunner } from '@sharepool/database';
import { CredentialCipher } from '../credential-cipher.js';
import { MastodonAppEntity } from './mastodon-app.entity.js';
import { MASTODON_SCOPES } from './mastodon-oauth.provider.js';
import type { OAuthApp } from './oauth-provider.js';
import { OAuthProviders } from './oauth-providers.js';

const APP_FIELDS = entityFields(MastodonAppEntity, ['id', 'instanceUrl', 'clientId', 'clientSecretSealed']);
type AppRow = FieldsOf<typeof APP_FIELDS>;

/**
 * Sharepool's app on each Mastodon instance: registered the first time a member
 * of the instance connects, then kept (its secret sealed) for everyone there.
 * A new PUBLIC_URL or scope set registers again, since the app is bound to both.
 */
@Injectable()
export class MastodonApps {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cipher: CredentialCipher,
    private readonly providers: OAuthProviders,
  ) {}

  /** The app on `instanceUrl` (an origin), registering it there first if there is none (OAuthError when that fails). */
  async forInstance(instanceUrl: string): Promise<{ id: string; app: OAuthApp }> {
    const redirectUri = this.providers.redirectUri;
    const find = async () =>
      (
        await this.transactions.query(
          `SELECT ${APP_FIELDS.sql('a')} FROM mastodon_apps a WHERE a.instance_url = $1 AND a.redirect_uri = $2 AND a.scopes = $3`,
          [instanceUrl, redirectUri, MASTODON_SCOPES],
        )
      ).map((row) => APP_FIELDS.read(row));
    const [known] = await find();
    if (known) return this.opened(known);
    const registered = await this.providers.mastodon.registerApp(instanceUrl, redirectUri, this.providers.publicUrl);
    const id = randomUUID();
    // Two members of a new instance at once: both register, the first row stays (the other app is simply unused).
    await this.transactions.query(
      `INSERT INTO mastodon_apps (id, instance_url, redirect_uri, scopes, client_id, client_secret_sealed)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT mastodon_apps_one_per_instance DO NOTHING`,
      [
        id,
        instanceUrl,
        redirectUri,
        MASTODON_SCOPES,
        registered.clientId,
        this.cipher.sealSecret('mastodon-app-secret', id, registered.clientSecret),
      ],
    );
    const [kept] = await find();
    return this.opened(kept!);
  }

  async byId(id: string): Promise<OAuthApp | undefined> {
    const [row] = await this.transactions.query(`SELECT ${APP_FIELDS.sql('a')} FROM mastodon_apps a WHERE a.id = $1`, [id]);
    return row ? this.opened(APP_FIELDS.read(row)).app : undefined;
  }

  private opened(row: AppRow): { id: string; app: OAuthApp } {
    return {
      id: row.id,
      app: {
        clientId: row.clientId,
        clientSecret: this.cipher.openSecret('mastodon-app-secret', row.id, row.clientSecretSealed),
        instanceUrl: row.instanceUrl,
      },
    };
  }
}
