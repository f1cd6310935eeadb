import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { EmailChoice, NotificationKind, NotificationRecord } from '@sharepool/notifications';
import { Connection } from '../graphql/connection.js';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';

export const NotificationKindEnum = {
  POST_APPROVED: 'POST_APPROVED',
  POST_REJECTED: 'POST_REJECTED',
  POST_SHARED: 'POST_SHARED',
  SHARE_POSTED: 'SHARE_POSTED',
  SHARE_FAILED: 'SHARE_FAILED',
  CHANNEL_NEEDS_REAUTH: 'CHANNEL_NEEDS_REAUTH',
  CREDITS_ADJUSTED: 'CREDITS_ADJUSTED',
  BUDGET_LOW: 'BUDGET_LOW',
  TRUST_LEVEL_CHANGED: 'TRUST_LEVEL_CHANGED',
} as const satisfies Record<NotificationKind, NotificationKind>;
registerEnumType(NotificationKindEnum, {
  name: 'NotificationKind',
  valuesMap: {
    POST_SHARED: { description: "a peer's share of the viewer's post went live" },
    BUDGET_LOW: { description: "a post's budget covers fewer than 3 more shares" },
    TRUST_LEVEL_CHANGED: { description: "the viewer's trust level went up or down" },
  },
});

export const EmailChoiceEnum = { INSTANT: 'INSTANT', DAILY: 'DAILY', NEVER: 'NEVER' } as const satisfies Record<EmailChoice, EmailChoice>;
registerEnumType(EmailChoiceEnum, {
  name: 'EmailChoice',
  description: 'How a member wants a kind of notification by email',
  valuesMap: {
    INSTANT: { description: 'an email at once' },
    DAILY: { description: 'in the daily digest' },
    NEVER: { description: 'in the app only' },
  },
});

@ObjectType('Notification', { implements: () => [Node], description: 'Something that happened to the viewer.' })
export class NotificationModel implements Pick<NotificationRecord, 'id' | 'kind' | 'message' | 'createdAt' | 'readAt'> {
  @NodeIdField('Notification') id: string;
  @Field(() => NotificationKindEnum) kind: NotificationKind;
  @Field({ description: 'one sentence a member understands' }) message: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) readAt: Date | null;
  // post, share, peer: NotificationResolver.
}

@ObjectType('NotificationPreference', { description: 'How the viewer wants one kind of notification by email.' })
export class NotificationPreferenceModel {
  @Field(() => NotificationKindEnum) kind: NotificationKind;
  @Field(() => EmailChoiceEnum) email: EmailChoice;
}

export const NotificationConnection = Connection(NotificationModel, 'Notification');
