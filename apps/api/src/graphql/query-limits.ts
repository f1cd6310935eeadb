import type { ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  getVariableValues,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '@sharepool/kernel';

export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxCost: 1000 } as const;

const isIntrospection = (name: string) => name === '__schema' || name === '__type';

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) map.set(def.name.value, def);
  return map;
}

/** Walks a selection set with fragments inlined (each fragment once per path). */
function walk(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visit: (field: { name: string; alias?: string }, depth: number) => boolean,
  depth = 1,
  seen: ReadonlySet<string> = new Set(),
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const descend = visit({ name: selection.name.value, alias: selection.alias?.value }, depth);
      if (descend && selection.selectionSet) walk(selection.selectionSet, fragments, visit, depth + 1, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(selection.selectionSet, fragments, visit, depth, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment && !seen.has(name)) walk(fragment.selectionSet, fragments, visit, depth, new Set([...seen, name]));
    }
  }
}

/** Refuses operations nested deeper than `maxDepth` fields (introspection excepted). */
export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      let deepest = 0;
      walk(node.selectionSet, fragmentsOf(context), (field, depth) => {
        if (isIntrospection(field.name)) return false;
        deepest = Math.max(deepest, depth);
        return true;
      });
      if (deepest > maxDepth) {
        context.reportError(
          new GraphQLError(`Query is nested ${deepest} levels deep; the limit is ${maxDepth}`, {
            extensions: { code: 'BAD_USER_INPUT', limit: maxDepth },
          }),
        );
      }
    },
  });
}

/** Refuses operations with more than `maxAliases` aliased fields. */
export function aliasLimit(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      let aliases = 0;
      walk(node.selectionSet, fragmentsOf(context), (field) => {
        if (field.alias && field.alias !== field.name) aliases++;
        return true;
      });
      if (aliases > maxAliases) {
        context.reportError(
          new GraphQLError(`Query uses ${aliases} aliases; the limit is ${maxAliases}`, {
            extensions: { code: 'BAD_USER_INPUT', limit: maxAliases },
          }),
        );
      }
    },
  });
}

/** What a connection answers once, however long its page: counted once, not per item. */
const ONCE_PER_PAGE = new Set(['pageInfo', 'totalCount']);

/** Fields in `set`, all levels, 1 each (what the simple estimator charges them); undefined when a fragment spread hides some. */
function fieldCount(set: SelectionSetNode | undefined): number | undefined {
  let count = 0;
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) return undefined;
    const inner = fieldCount(selection.selectionSet);
    if (inner === undefined) return undefined;
    count += (selection.kind === Kind.FIELD ? 1 : 0) + inner;
  }
  return count;
}

/**
 * A list field with `first` costs its items' selections `first` times over;
 * what a connection answers once per page (`pageInfo`, `totalCount`) counts
 * once. No page is larger than MAX_PAGE_SIZE (a larger `first` is refused as
 * BAD_USER_INPUT on `first`), so a larger one costs no more than that.
 */
const paginatedEstimator: ComplexityEstimator = ({ args, childComplexity, node }) => {
  if (typeof args.first !== 'number') return undefined;
  const first = Math.min(Math.max(args.first, 1), MAX_PAGE_SIZE);
  const once = fieldCount({
    kind: Kind.SELECTION_SET,
    selections: (node.selectionSet?.selections ?? []).filter((s) => s.kind === Kind.FIELD && ONCE_PER_PAGE.has(s.name.value)),
  });
  // A fragment spread under pageInfo hides its fields: then everything counts per item, as before.
  const perPage = once ?? 0;
  return 1 + perPage + (childComplexity - perPage) * first;
};

/** Cost of an operation: 1 per field, list fields times their page size. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName,
    variables,
    estimators: [paginatedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** Refuses operations costing more than `maxCost`; reports the cost in `extensions.cost`. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ schema, document, request, operation }) {
          const onlyIntrospection =
            !operation ||
            operation.selectionSet.selections.every(
              (s) => s.kind === Kind.FIELD && (isIntrospection(s.name.value) || s.name.value === '__typename'),
            );
          if (onlyIntrospection) return;
          // Variables that do not fit the operation make the cost unknowable; nothing
          // runs with them, and execution reports them as BAD_USER_INPUT on their field.
          if (getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          cost = operationCost(schema, document, request.operationName ?? undefined, request.variables);
          if (cost > maxCost) {
            throw new GraphQLError(`Query costs ${cost}; the limit is ${maxCost}. Ask for smaller pages or fewer fields.`, {
              extensions: { code: 'BAD_USER_INPUT', cost, limit: maxCost },
            });
          }
        },
        async willSendResponse({ response }) {
          if (cost !== undefined && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
        },
      };
    },
  };
}
