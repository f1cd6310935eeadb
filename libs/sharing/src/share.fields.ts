import { entityFields, type FieldsOf } from '@sharepool/database';
import { ShareEntity } from './share.entity.js';

/** One peer's sharing of one post to one of its channels, as the domain reads it. */
export const SHARE_FIELDS = entityFields(ShareEntity, [
  'id',
  'postId',
  'authorId',
  'sharerId',
  'channelId',
  'nicheId',
  'network',
  'message',
  'credits',
  'holdId',
  'status',
  'scheduledFor',
  'attempts',
  'ambiguous',
  'postedAt',
  'externalUrl',
  'failureReason',
  'createdAt',
]);
export type Share = FieldsOf<typeof SHARE_FIELDS>;

export const readShare = (row: Readonly<Record<string, unknown>>): Share => SHARE_FIELDS.read(row);
