/** One ledger line as the statement shows it. */
export interface StatementEntry {
  kind: string;
  amount: number;
  memo?: string | null;
  post?: { title: string } | null;
  share?: { post: { title: string } } | null;
}

/** A bank-statement description for a ledger entry. */
export function describeEntry(entry: StatementEntry): string {
  const title = entry.post?.title ?? entry.share?.post.title;
  const about = title ? ` “${title}”` : '';
  switch (entry.kind) {
    case 'SIGNUP_GRANT':
      return 'Welcome credits';
    case 'CAMPAIGN_FUNDING':
      return `Budget set aside for${about || ' a post'}`;
    case 'CAMPAIGN_REFUND':
      return `Unused budget returned from${about || ' a post'}`;
    case 'SHARE_REWARD':
      return entry.amount >= 0 ? `Earned for sharing${about}` : `Paid for a share of${about}`;
    case 'ADJUSTMENT':
      return entry.memo ? `Adjustment: ${entry.memo}` : 'Adjustment by an admin';
    default:
      return entry.memo ?? entry.kind;
  }
}
