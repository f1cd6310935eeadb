import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './generated/graphql-env';

/**
 * The typed `graphql` tag. Its types come from the introspection output that
 * `npx gql.tada generate-output --tsconfig apps/web/tsconfig.json` writes from the schema
 * named in apps/web/tsconfig.json, so a schema change that breaks a page breaks the build.
 * Fragments are unmasked: pages read fragment fields directly.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; ID: string };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf, TadaDocumentNode } from 'gql.tada';
