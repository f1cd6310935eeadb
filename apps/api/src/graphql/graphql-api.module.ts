import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AppConfig } from '@sharepool/config';
import { DatabaseChanges } from '@sharepool/database';
import { Clock } from '@sharepool/kernel';
import { Metrics } from '@sharepool/observability';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { formatGraphqlError, requestErrorsPlugin } from './error-formatter.js';
import { feedCachePlugin } from './feed-cache.plugin.js';
import { metricsPlugin } from './metrics.plugin.js';
import { ownChangesPlugin } from './own-changes.plugin.js';
import { NodeRegistry } from './node.js';
import { aliasLimit, costLimitPlugin, depthLimit, QUERY_LIMITS } from './query-limits.js';
import { createGraphqlContext } from './request-context.js';
import { BUILD_SCHEMA_OPTIONS } from './schema-printer.js';

export const GRAPHQL_PATH = '/graphql';

/** Apollo on Express, code-first, with the contract's error shape and the query limits. */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, Metrics, DatabaseChanges, Clock],
      useFactory: (config: AppConfig, metrics: Metrics, changes: DatabaseChanges, clock: Clock) => ({
        path: GRAPHQL_PATH,
        autoSchemaFile: true,
        sortSchema: true,
        buildSchemaOptions: BUILD_SCHEMA_OPTIONS,
        // Both are configuration (GRAPHQL_INTROSPECTION, GRAPHQL_SUGGESTIONS): the contract is public, so
        // introspection stays on by default; "Did you mean …" hints are off in production by default.
        introspection: config.graphqlIntrospection,
        hideSchemaDetailsFromClientErrors: !config.graphqlSuggestions,
        graphiql: false,
        playground: false,
        allowBatchedHttpRequests: false,
        includeStacktraceInErrorResponses: false,
        csrfPrevention: true,
        context: createGraphqlContext,
        formatError: formatGraphqlError,
        // Compact JSON: Apollo would indent every answer, which costs time and bytes on each request.
        stringifyResult: (result) => JSON.stringify(result),
        validationRules: [depthLimit(QUERY_LIMITS.maxDepth), aliasLimit(QUERY_LIMITS.maxAliases)],
        plugins: [
          costLimitPlugin(QUERY_LIMITS.maxCost),
          metricsPlugin(metrics),
          requestErrorsPlugin(),
          feedCachePlugin(changes, config.feedCacheSeconds, metrics, clock),
          ownChangesPlugin(changes),
          // No cache hints are served: without this plugin Apollo would time every field of every answer.
          ApolloServerPluginCacheControlDisabled(),
        ],
      }),
    }),
  ],
  providers: [NodeRegistry],
  exports: [NodeRegistry],
})
export class GraphqlApiModule {}
