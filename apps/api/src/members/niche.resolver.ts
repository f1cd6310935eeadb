import { type OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '@sharepool/kernel';
import { type Niche, NichesService } from '@sharepool/members';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import { Viewer } from '../viewer/viewer.model.js';
import { viewerOf } from '../viewer/viewer.resolver.js';
import { CreateNicheInput } from './member.inputs.js';
import { nicheLoader } from './member.loaders.js';
import { NicheModel } from './member.model.js';

@Resolver(() => NicheModel)
export class NicheResolver implements OnModuleInit {
  constructor(
    private readonly nicheService: NichesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Niche', (ctx, id) => nicheLoader(ctx, this.nicheService).load(id));
  }

  @Query(() => [NicheModel])
  niches(): Promise<Niche[]> {
    return this.nicheService.list();
  }

  @Mutation(() => NicheModel, { description: 'ADMIN' })
  createNiche(@CurrentActor() actor: Actor, @Args('input') input: CreateNicheInput): Promise<Niche> {
    return this.nicheService.create(actor, input);
  }

  @Mutation(() => Viewer)
  async joinNiche(@CurrentActor() actor: Actor, @Args('nicheId', { type: () => ID }) nicheId: string): Promise<Viewer> {
    await this.nicheService.join(actor, parseGlobalId(nicheId, 'Niche', 'nicheId'));
    return viewerOf(actor);
  }

  @Mutation(() => Viewer)
  async leaveNiche(@CurrentActor() actor: Actor, @Args('nicheId', { type: () => ID }) nicheId: string): Promise<Viewer> {
    await this.nicheService.leave(actor, parseGlobalId(nicheId, 'Niche', 'nicheId'));
    return viewerOf(actor);
  }
}
