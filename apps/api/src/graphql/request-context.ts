import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { ANONYMOUS, type Actor } from '@sharepool/kernel';
import type { AuthenticatedRequest } from '../auth/authentication.middleware.js';
import { LoaderRegistry } from './loader-registry.js';

/** Everything a resolver knows about the request it serves. */
export interface GraphqlContext {
  readonly req: Request;
  /** The HTTP answer, for the headers a mutation sets (the web client's session cookies, the channel connection's). */
  readonly res: Response;
  readonly requestId: string;
  /** Set by the authentication middleware before any resolver runs. */
  readonly actor: Actor;
  readonly loaders: LoaderRegistry;
}

/** The loader key of members by id; authentication primes it with the acting member. */
export const MEMBER_LOADER = 'member';

export function createGraphqlContext({ req, res }: { req: AuthenticatedRequest; res: Response }): GraphqlContext {
  const loaders = new LoaderRegistry();
  if (req.authenticated) loaders.prime(MEMBER_LOADER, req.authenticated.member.id, req.authenticated.member);
  return {
    req,
    res,
    requestId: (req as Request & { id?: string }).id ?? randomUUID(),
    actor: req.actor ?? ANONYMOUS,
    loaders,
  };
}
