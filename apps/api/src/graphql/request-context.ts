import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { ANONYMOUS, type Actor } from '../../../../libs/kernel/src/index.js';
import { LoaderRegistry } from './loader-registry.js';

/** Everything a resolver knows about the request it serves. */
export interface GraphqlContext {
  readonly req: Request;
  readonly requestId: string;
  /** Set by the authentication guard before any resolver runs. */
  actor: Actor;
  readonly loaders: LoaderRegistry;
}

export function createGraphqlContext({ req }: { req: Request }): GraphqlContext {
  return {
    req,
    requestId: (req as Request & { id?: string }).id ?? randomUUID(),
    actor: ANONYMOUS,
    loaders: new LoaderRegistry(),
  };
}
