import { InvalidInputError } from '@sharepool/kernel';
import type { ChannelCredentials, Network } from './networks/network-adapter.js';
import { newWebhookSecret } from './networks/webhook.adapter.js';

export const NETWORK_NAMES: Record<Network, string> = {
  WEBHOOK: 'The webhook',
  MASTODON: 'Mastodon',
  BLUESKY: 'Bluesky',
  X: 'X',
  LINKEDIN: 'LinkedIn',
};

/** The credential field a member must fix when the network refuses the credentials. */
export const SECRET_FIELD: Record<Network, string> = {
  WEBHOOK: 'webhookUrl',
  MASTODON: 'accessToken',
  BLUESKY: 'appPassword',
  X: 'accessToken',
  LINKEDIN: 'accessToken',
};

export interface ConnectChannelInput {
  readonly network: Network;
  readonly handle: string;
  readonly webhookUrl?: string | null;
  readonly instanceUrl?: string | null;
  readonly accessToken?: string | null;
  readonly appPassword?: string | null;
  readonly audienceSize?: number | null;
}

function required(value: string | null | undefined, field: string, network: Network): string {
  const text = value?.trim() ?? '';
  if (!text) throw new InvalidInputError(field, `${NETWORK_NAMES[network]} channel needs ${field}`);
  if (text.length > 4096) throw new InvalidInputError(field, `${field} is too long`);
  return text;
}

function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(field, `${field} is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || value.length > 2048) {
    throw new InvalidInputError(field, `${field} must be an http(s) URL without a user name or password`);
  }
  return url.toString();
}

/** The credentials a network needs, from pasted input; a webhook gets a new signing secret. */
export function credentialsFor(input: ConnectChannelInput): { credentials: ChannelCredentials; signingSecret: string | null } {
  switch (input.network) {
    case 'WEBHOOK': {
      const signingSecret = newWebhookSecret();
      return {
        credentials: { webhookUrl: httpUrl(required(input.webhookUrl, 'webhookUrl', 'WEBHOOK'), 'webhookUrl'), signingSecret },
        signingSecret,
      };
    }
    case 'MASTODON':
      return {
        credentials: {
          instanceUrl: httpUrl(required(input.instanceUrl, 'instanceUrl', 'MASTODON'), 'instanceUrl'),
          accessToken: required(input.accessToken, 'accessToken', 'MASTODON'),
        },
        signingSecret: null,
      };
    case 'BLUESKY':
      return {
        credentials: {
          appPassword: required(input.appPassword, 'appPassword', 'BLUESKY'),
          ...(input.instanceUrl?.trim() ? { instanceUrl: httpUrl(input.instanceUrl.trim(), 'instanceUrl') } : {}),
        },
        signingSecret: null,
      };
    case 'X':
    case 'LINKEDIN':
      return { credentials: { accessToken: required(input.accessToken, 'accessToken', input.network) }, signingSecret: null };
  }
}
