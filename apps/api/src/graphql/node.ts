import { Injectable } from '@nestjs/common';
import { Args, Context, Field, ID, InterfaceType, Query, Resolver } from '@nestjs/graphql';
import { requireMember } from '@sharepool/kernel';
import { fromGlobalId } from './global-id.js';
import type { GraphqlContext } from './request-context.js';

const NODE_TYPE = Symbol('nodeType');

@InterfaceType('Node', {
  resolveType: (value: { [NODE_TYPE]?: string }) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID) id: string;
}

/** Loads one object of a Node type for `node(id)`, applying the type's visibility rule. */
export type NodeLoader = (ctx: GraphqlContext, id: string) => Promise<object | null>;

/**
 * Which loader serves each Node type. Every type implementing Node registers
 * here; the authorization test walks the schema and fails on a type without one.
 */
@Injectable()
export class NodeRegistry {
  private readonly loaders = new Map<string, NodeLoader>();

  register(type: string, loader: NodeLoader): void {
    if (this.loaders.has(type)) throw new Error(`Node type ${type} registered twice`);
    this.loaders.set(type, loader);
  }

  types(): string[] {
    return [...this.loaders.keys()];
  }

  async load(ctx: GraphqlContext, globalId: string): Promise<object | null> {
    // Reading anything is the READ scope's, as for every other read: a key
    // without it must not reach the member's objects through node(id).
    if (ctx.actor.kind === 'member') requireMember(ctx.actor, 'READ');
    const parsed = fromGlobalId(globalId);
    const loader = parsed && this.loaders.get(parsed.type);
    if (!parsed || !loader) return null;
    const value = await loader(ctx, parsed.id);
    return value ? Object.assign(Object.create(Object.getPrototypeOf(value) as object), value, { [NODE_TYPE]: parsed.type }) : null;
  }
}

@Resolver()
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @Query(() => Node, {
    nullable: true,
    description: 'any object by its global id; null if it does not exist or is not visible to the viewer',
  })
  node(@Context() ctx: GraphqlContext, @Args('id', { type: () => ID }) id: string): Promise<object | null> {
    return this.registry.load(ctx, id);
  }
}
