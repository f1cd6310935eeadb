import { Query, Resolver } from '@nestjs/graphql';
import { type Actor, requireMember } from '@sharepool/kernel';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { Viewer } from './viewer.model.js';

/** Builds a Viewer for an actor; UNAUTHENTICATED without one, FORBIDDEN for an API key without READ. */
export function viewerOf(actor: Actor): Viewer {
  return Object.assign(new Viewer(), { actor: requireMember(actor, 'READ') });
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'the authenticated member; UNAUTHENTICATED without a token or API key' })
  viewer(@CurrentActor() actor: Actor): Viewer {
    return viewerOf(actor);
  }
}
