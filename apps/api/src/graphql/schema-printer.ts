import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory, type BuildSchemaOptions } from '@nestjs/graphql';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { ORPHAN_TYPES, RESOLVERS } from './schema-catalogue.js';

/** The options the served schema is built with; the printer uses the same. */
export const BUILD_SCHEMA_OPTIONS: BuildSchemaOptions = { orphanedTypes: ORPHAN_TYPES, numberScalarMode: 'integer' };

const HEADER = '# The served GraphQL schema, generated from the code by `npm run schema:print`. Do not edit.\n\n';

/** The schema as committed to apps/api/schema.graphql. */
export function renderSchema(schema: GraphQLSchema): string {
  return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}

/** Builds the schema from the resolver catalogue, without a database or Redis. */
export async function buildSchemaFromCode(): Promise<GraphQLSchema> {
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return await context.get(GraphQLSchemaFactory).create(RESOLVERS, BUILD_SCHEMA_OPTIONS);
  } finally {
    await context.close();
  }
}
