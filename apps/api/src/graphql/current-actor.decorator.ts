import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphqlContext } from './request-context.js';

/** The actor of the current GraphQL request (anonymous if none authenticated). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return GqlExecutionContext.create(context).getContext<GraphqlContext>().actor;
});
