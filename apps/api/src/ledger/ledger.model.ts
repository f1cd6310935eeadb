import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { LedgerEntry, TransferKind } from '@sharepool/ledger';
import { Connection } from '../graphql/connection.js';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';

export const LedgerEntryKindEnum = {
  SIGNUP_GRANT: 'SIGNUP_GRANT',
  CAMPAIGN_FUNDING: 'CAMPAIGN_FUNDING',
  CAMPAIGN_REFUND: 'CAMPAIGN_REFUND',
  SHARE_REWARD: 'SHARE_REWARD',
  ADJUSTMENT: 'ADJUSTMENT',
} as const satisfies Record<TransferKind, TransferKind>;
registerEnumType(LedgerEntryKindEnum, { name: 'LedgerEntryKind' });

@ObjectType('LedgerEntry', { implements: () => [Node], description: "A change to the viewer's credit balance." })
export class LedgerEntryModel implements Pick<LedgerEntry, 'id' | 'kind' | 'amount' | 'balanceAfter' | 'memo' | 'createdAt'> {
  @NodeIdField('LedgerEntry') id: string;
  @Field(() => LedgerEntryKindEnum) kind: TransferKind;
  @Field(() => Int, { description: 'signed change to the balance' }) amount: number;
  @Field(() => Int) balanceAfter: number;
  @Field(() => String, { nullable: true }) memo: string | null;
  @Field() createdAt: Date;
  // post, share: LedgerEntryResolver.
}

@ObjectType('DailyBalance', { description: "The viewer's available balance at the end of one day." })
export class DailyBalanceModel {
  @Field() day: Date;
  @Field(() => Int) balance: number;
}

@InputType()
export class AdjustCreditsInput {
  @Field(() => ID) memberId: string;
  @Field(() => Int, { description: 'signed' }) amount: number;
  @Field() reason: string;
}

export const LedgerEntryConnection = Connection(LedgerEntryModel, 'LedgerEntry');
