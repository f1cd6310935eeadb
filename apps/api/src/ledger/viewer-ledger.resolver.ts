import { Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { LedgerService } from '../../../../libs/ledger/src/index.js';
import { Viewer } from '../viewer/viewer.model.js';

/** The viewer's credits. */
@Resolver(() => Viewer)
export class ViewerLedgerResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Int, { description: 'credits available to spend' })
  creditBalance(@Parent() viewer: Viewer): Promise<number> {
    return this.ledger.availableCredits(viewer.actor);
  }
}
