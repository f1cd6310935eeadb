import { type Type } from '@nestjs/common';
import { Field, type FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';
import type { Page } from '@sharepool/kernel';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/** What a connection resolves from: a page, with its total counted only if asked. */
export interface ConnectionSource<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: readonly T[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/**
 * Runs the page's count when `totalCount` is asked for. Nest resolves a class
 * field by reading the property, so without this the function itself would
 * reach graphql-js and fail as a non-integer.
 */
const countOnDemand: FieldMiddleware = async (_ctx, next) => {
  const count: unknown = await next();
  return typeof count === 'function' ? (count as () => Promise<number>)() : count;
};

/**
 * The Relay connection type of `node` (`XConnection` with `XEdge`), with
 * `edges`, `nodes`, `pageInfo` and `totalCount`.
 */
export function Connection<T>(node: Type<T>, name = node.name): Type<ConnectionSource<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => [node]) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'how many items the whole list holds', middleware: [countOnDemand] })
    totalCount: () => Promise<number>;
  }
  return ConnectionType as unknown as Type<ConnectionSource<T>>;
}

/** A domain page as a GraphQL connection, mapping each item with `map`. */
export function toConnection<T, N = T>(page: Page<T>, map: (item: T) => N = (item) => item as unknown as N): ConnectionSource<N> {
  const nodes = page.items.map(map);
  return {
    nodes,
    edges: nodes.map((node, i) => ({ cursor: page.cursors[i]!, node })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors[page.cursors.length - 1] ?? null,
    },
    totalCount: page.totalCount,
  };
}
