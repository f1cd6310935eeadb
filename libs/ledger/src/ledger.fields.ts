import { entityFields, type FieldsOf } from '@sharepool/database';
import { LedgerTransferEntity } from './ledger-transfer.entity.js';

/** A transfer as the ledger's callers see it: every column of its row. */
export const TRANSFER_FIELDS = entityFields(LedgerTransferEntity, [
  'id',
  'debitAccountId',
  'creditAccountId',
  'amount',
  'kind',
  'phase',
  'pendingId',
  'postId',
  'shareId',
  'memberId',
  'memo',
  'createdAt',
]);
export type Transfer = FieldsOf<typeof TRANSFER_FIELDS>;
