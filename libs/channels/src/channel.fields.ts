import { entityFields, type FieldsOf } from '@sharepool/database';
import { ChannelEntity } from './channel.entity.js';

/** A member's social account as the domain reads it; its credentials never leave the database sealed. */
export const CHANNEL_FIELDS = entityFields(ChannelEntity, [
  'id',
  'memberId',
  'network',
  'handle',
  'audienceSize',
  'audienceVerified',
  'audienceCheckedAt',
  'status',
  'statusReason',
  'createdAt',
]);
export type Channel = FieldsOf<typeof CHANNEL_FIELDS>;
