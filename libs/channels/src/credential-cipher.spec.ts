import { randomBytes, randomUUID } from 'node:crypto';
import { parseEncryptionKeys } from '@sharepool/config';
import { CredentialCipher, CredentialDecryptionError } from './credential-cipher.js';
import type { ChannelCredentials } from './networks/network-adapter.js';

const key = (version: number) => ({ version, key: randomBytes(32) });
const secret: ChannelCredentials = { instanceUrl: 'https://social.example', accessToken: 'tok_9f8e7d6c5b4a39281706' };

/** The sealed value with one byte of part `index` flipped. */
function flipByte(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

function decryptionFailure(fn: () => unknown): CredentialDecryptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialDecryptionError);
    expect(String((error as Error).message)).not.toContain(secret.accessToken);
    return error as CredentialDecryptionError;
  }
  throw new Error('expected the credentials not to open');
}

describe('the credential cipher', () => {
  const channelId = randomUUID();

  it('opens what it sealed, and the sealed form shows no secret', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.encrypt(channelId, secret);
    expect(sealed).toMatch(/^cc1\.1\./);
    expect(sealed).not.toContain(secret.accessToken);
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('tok_');
    expect(cipher.decrypt(channelId, sealed)).toEqual(secret);
  });

  it('seals the same credentials differently each time (a fresh IV)', () => {
    const cipher = new CredentialCipher([key(1)]);
    expect(cipher.encrypt(channelId, secret)).not.toBe(cipher.encrypt(channelId, secret));
  });

  it('keeps only the known credential fields', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.encrypt(channelId, { ...secret, extra: 'x' } as ChannelCredentials);
    expect(cipher.decrypt(channelId, sealed)).toEqual(secret);
  });

  it('refuses a sealed value altered anywhere: iv, ciphertext, tag or key version', () => {
    const cipher = new CredentialCipher([key(2), key(1)]);
    const sealed = cipher.encrypt(channelId, secret);
    for (const part of [2, 3, 4]) decryptionFailure(() => cipher.decrypt(channelId, flipByte(sealed, part)));
    const otherVersion = sealed.replace(/^cc1\.2\./, 'cc1.1.');
    expect(decryptionFailure(() => cipher.decrypt(channelId, otherVersion)).message).toMatch(/altered or belong to another channel/);
    decryptionFailure(() => cipher.decrypt(channelId, 'not sealed at all'));
  });

  it('refuses to open one channel’s credentials as another’s', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.encrypt(channelId, secret);
    expect(decryptionFailure(() => cipher.decrypt(randomUUID(), sealed)).message).toBe(
      "The channel's credentials do not open: they were altered or belong to another channel",
    );
  });

  it('rotates keys: the newest seals, older ones still open and ask to be re-sealed', () => {
    const v1 = key(1);
    const old = new CredentialCipher([v1]);
    const sealedWithV1 = old.encrypt(channelId, secret);

    const rotated = new CredentialCipher([key(2), v1]);
    expect(rotated.decrypt(channelId, sealedWithV1)).toEqual(secret);
    expect(rotated.needsReencryption(sealedWithV1)).toBe(true);
    const resealed = rotated.encrypt(channelId, rotated.decrypt(channelId, sealedWithV1));
    expect(resealed).toMatch(/^cc1\.2\./);
    expect(rotated.needsReencryption(resealed)).toBe(false);
    expect(old.needsReencryption(sealedWithV1)).toBe(false);
  });

  it('says which key version is missing once a retired key is gone', () => {
    const sealed = new CredentialCipher([key(1)]).encrypt(channelId, secret);
    const failure = decryptionFailure(() => new CredentialCipher([key(2)]).decrypt(channelId, sealed));
    expect(failure.message).toBe("The channel's credentials were sealed with key version 1, which is not configured");
  });

  it('is built from ENCRYPTION_KEY as the configuration reads it', () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    const older = CredentialCipher.fromConfig({ encryptionKeys: parseEncryptionKeys(k1) });
    const newer = CredentialCipher.fromConfig({ encryptionKeys: parseEncryptionKeys(`2:${k2},1:${k1}`) });
    expect(newer.decrypt(channelId, older.encrypt(channelId, secret))).toEqual(secret);
  });

  it('refuses a key ring with a short key or a repeated version', () => {
    expect(() => new CredentialCipher([{ version: 1, key: randomBytes(16) }])).toThrow('Encryption key version 1 must be 32 bytes');
    expect(() => new CredentialCipher([key(1), key(1)])).toThrow('listed twice');
    expect(() => new CredentialCipher([])).toThrow();
  });
  it('keeps a refresh token with the credentials', () => {
    const cipher = new CredentialCipher([key(1)]);
    const withRefresh = { accessToken: 'access_123456', refreshToken: 'refresh_abcdef' };
    expect(cipher.decrypt(channelId, cipher.encrypt(channelId, withRefresh))).toEqual(withRefresh);
  });

  it('seals other secrets bound to their purpose and owner: a Mastodon app secret does not open as a PKCE verifier', () => {
    const cipher = new CredentialCipher([key(1)]);
    const owner = randomUUID();
    const sealed = cipher.sealSecret('mastodon-app-secret', owner, 'client-secret-xyz');
    expect(sealed).not.toContain('client-secret-xyz');
    expect(cipher.openSecret('mastodon-app-secret', owner, sealed)).toBe('client-secret-xyz');
    expect(() => cipher.openSecret('pkce-verifier', owner, sealed)).toThrow(
      'The stored secret does not open: it was altered or belongs to something else',
    );
    expect(() => cipher.openSecret('mastodon-app-secret', randomUUID(), sealed)).toThrow(CredentialDecryptionError);
    // Nor as a channel's credentials under the same id.
    expect(() => cipher.decrypt(owner, sealed)).toThrow(CredentialDecryptionError);
  });
});
