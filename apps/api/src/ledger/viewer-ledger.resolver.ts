import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { pageRequest } from '@sharepool/kernel';
import { type DailyBalance, type LedgerEntry, LedgerService, LedgerStatementService } from '@sharepool/ledger';
import { type ConnectionSource, toConnection } from '../graphql/connection.js';
import { Viewer } from '../viewer/viewer.model.js';
import { DailyBalanceModel, LedgerEntryConnection } from './ledger.model.js';

/** The viewer's credits and statement. */
@Resolver(() => Viewer)
export class ViewerLedgerResolver {
  constructor(
    private readonly ledgerService: LedgerService,
    private readonly statements: LedgerStatementService,
  ) {}

  @ResolveField(() => Int, { description: 'credits available to spend' })
  creditBalance(@Parent() viewer: Viewer): Promise<number> {
    return this.ledgerService.availableCredits(viewer.actor);
  }

  @ResolveField(() => LedgerEntryConnection, { description: 'the statement, newest first' })
  async ledger(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ConnectionSource<LedgerEntry>> {
    return toConnection(await this.statements.statement(viewer.actor, pageRequest(first, after)));
  }

  @ResolveField(() => [DailyBalanceModel], { description: 'daily balances over the last `days` days (1-366), oldest first' })
  creditHistory(
    @Parent() viewer: Viewer,
    @Args('days', { type: () => Int, nullable: true, defaultValue: 30 }) days: number,
  ): Promise<DailyBalance[]> {
    return this.statements.creditHistory(viewer.actor, days);
  }
}
