import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

const STATUS: Record<string, [string, BadgeTone]> = {
  PENDING_REVIEW: ['In review', 'info'],
  APPROVED: ['Approved', 'success'],
  REJECTED: ['Rejected', 'danger'],
  WITHDRAWN: ['Withdrawn', 'neutral'],
  SCHEDULED: ['Scheduled', 'info'],
  POSTING: ['Posting…', 'warning'],
  POSTED: ['Posted', 'success'],
  FAILED: ['Failed', 'danger'],
  CANCELLED: ['Cancelled', 'neutral'],
  ACTIVE: ['Active', 'success'],
  NEEDS_REAUTH: ['Needs reconnecting', 'danger'],
  DISCONNECTED: ['Disconnected', 'neutral'],
  SUSPENDED: ['Suspended', 'danger'],
  MEMBER: ['Member', 'neutral'],
  MODERATOR: ['Moderator', 'info'],
  ADMIN: ['Admin', 'warning'],
};

/** The words and colour for any status of the API. */
export function statusLabel(status: string): string {
  return STATUS[status]?.[0] ?? status;
}

export function StatusBadge({ status }: { status: string }) {
  const [label, tone] = STATUS[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

export const NETWORK_NAMES: Record<string, string> = {
  WEBHOOK: 'Webhook',
  MASTODON: 'Mastodon',
  BLUESKY: 'Bluesky',
  X: 'X',
  LINKEDIN: 'LinkedIn',
};

export function NetworkBadge({ network }: { network: string }) {
  return <span className={`network network--${network.toLowerCase()}`}>{NETWORK_NAMES[network] ?? network}</span>;
}
