import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AppConfig, EncryptionKey } from '@sharepool/config';
import type { ChannelCredentials } from './networks/network-adapter.js';

/** Format tag of a sealed value; a new layout gets a new tag. */
const FORMAT = 'cc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FIELDS = [
  'webhookUrl',
  'signingSecret',
  'instanceUrl',
  'accessToken',
  'refreshToken',
  'appPassword',
] as const satisfies readonly (keyof ChannelCredentials)[];

const CHANNEL_CREDENTIALS = 'channel-credentials';
/** What a failure to open says, for channel credentials and for other secrets. */
interface OpenFailureWords {
  unknownKey(version: number): string;
  readonly altered: string;
}
const CREDENTIAL_WORDS: OpenFailureWords = {
  unknownKey: (version) => `The channel's credentials were sealed with key version ${version}, which is not configured`,
  altered: "The channel's credentials do not open: they were altered or belong to another channel",
};
const SECRET_WORDS: OpenFailureWords = {
  unknownKey: (version) => `The stored secret was sealed with key version ${version}, which is not configured`,
  altered: 'The stored secret does not open: it was altered or belongs to something else',
};

/** What else than channel credentials is sealed: each kind opens only as itself. */
export type SecretPurpose = 'mastodon-app-secret' | 'pkce-verifier';

/** Sealed credentials that cannot be opened. The message names no secret and no plaintext. */
export class CredentialDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialDecryptionError';
  }
}

/**
 * Seals a channel's credentials with AES-256-GCM for storage: a random 96-bit IV
 * per seal, the channel id as associated data (a sealed value copied onto another
 * channel does not open), and the key version in the clear so ENCRYPTION_KEY can
 * rotate: the first key seals, every listed key opens.
 *
 * Sealed form: `cc1.<key version>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class CredentialCipher {
  private readonly keys: ReadonlyMap<number, Buffer>;
  private readonly current: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('CredentialCipher needs at least one encryption key');
    const byVersion = new Map<number, Buffer>();
    for (const { version, key } of keys) {
      if (key.length !== 32) throw new Error(`Encryption key version ${version} must be 32 bytes`);
      if (byVersion.has(version)) throw new Error(`Encryption key version ${version} is listed twice`);
      byVersion.set(version, key);
    }
    this.keys = byVersion;
    this.current = keys[0]!;
  }

  static fromConfig(config: Pick<AppConfig, 'encryptionKeys'>): CredentialCipher {
    return new CredentialCipher(config.encryptionKeys);
  }

  encrypt(channelId: string, credentials: ChannelCredentials): string {
    return this.seal(CHANNEL_CREDENTIALS, channelId, JSON.stringify(pickFields(credentials)));
  }

  decrypt(channelId: string, sealed: string): ChannelCredentials {
    return pickFields(JSON.parse(this.open(CHANNEL_CREDENTIALS, channelId, sealed, CREDENTIAL_WORDS)) as ChannelCredentials);
  }

  /**
   * Seals another secret than a channel's credentials (a Mastodon app's client
   * secret, a PKCE verifier), bound to what it belongs to: `purpose` and `id`.
   */
  sealSecret(purpose: SecretPurpose, id: string, secret: string): string {
    return this.seal(purpose, id, secret);
  }

  openSecret(purpose: SecretPurpose, id: string, sealed: string): string {
    return this.open(purpose, id, sealed, SECRET_WORDS);
  }

  private seal(purpose: string, id: string, text: string): string {
    const { version, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(purpose, version, id));
    const ciphertext = Buffer.concat([cipher.update(Buffer.from(text, 'utf8')), cipher.final()]);
    return [FORMAT, String(version), b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
  }

  private open(purpose: string, id: string, sealed: string, words: OpenFailureWords): string {
    const { version, iv, ciphertext, tag } = parse(sealed);
    const key = this.keys.get(version);
    if (!key) throw new CredentialDecryptionError(words.unknownKey(version));
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(purpose, version, id));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // GCM says only "does not authenticate": altered, another channel's, or another key under the same version.
      throw new CredentialDecryptionError(words.altered);
    }
  }

  /** True when `sealed` was not sealed with the newest key: decrypt and encrypt it again. */
  needsReencryption(sealed: string): boolean {
    return parse(sealed).version !== this.current.version;
  }
}

function associatedData(purpose: string, version: number, id: string): Buffer {
  // The version is bound too, so the clear-text version cannot be edited to pick another key.
  return Buffer.from(`sharepool:${purpose}:${FORMAT}:${version}:${id}`, 'utf8');
}

function parse(sealed: string): { version: number; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = sealed.split('.');
  const [format, version, iv, ciphertext, tag] = parts;
  const malformed = new CredentialDecryptionError("The channel's credentials are not in a known sealed format");
  if (parts.length !== 5 || format !== FORMAT || !/^\d{1,9}$/.test(version!)) throw malformed;
  const decoded = { version: Number(version), iv: unb64(iv!), ciphertext: unb64(ciphertext!), tag: unb64(tag!) };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) throw malformed;
  return decoded;
}

/** Only the known fields, only strings: nothing else is sealed or returned. */
function pickFields(credentials: ChannelCredentials): ChannelCredentials {
  const picked: ChannelCredentials = {};
  for (const field of FIELDS) {
    const value = credentials[field];
    if (typeof value === 'string') picked[field] = value;
  }
  return picked;
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');
const unb64 = (text: string) => Buffer.from(text, 'base64url');
