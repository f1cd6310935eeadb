import { AuthenticationError, PermissionDeniedError } from './domain-errors.js';

export const ROLES = ['MEMBER', 'MODERATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const API_SCOPES = ['READ', 'SUBMIT', 'SHARE'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * Who is acting. Every domain method takes the actor first and checks permission
 * itself, so GraphQL, partner API keys, the CLI and jobs all share one rule.
 */
export type Actor = MemberActor | SystemActor | AnonymousActor;

export interface MemberActor {
  readonly kind: 'member';
  readonly memberId: string;
  readonly role: Role;
  /** `null` for a member's own session (all scopes); the key's scopes for an API key. */
  readonly scopes: readonly ApiScope[] | null;
  readonly apiKeyId: string | null;
}

/** Sharepool itself: jobs, the sweeper, start-up tasks. */
export interface SystemActor {
  readonly kind: 'system';
  readonly reason: string;
}

export interface AnonymousActor {
  readonly kind: 'anonymous';
  /** Why credentials that came with the request were refused (expired token, suspended member…). */
  readonly failure?: AuthenticationError | PermissionDeniedError;
}

export const ANONYMOUS: AnonymousActor = Object.freeze({ kind: 'anonymous' });

export function systemActor(reason: string): SystemActor {
  return { kind: 'system', reason };
}

/** The acting member, or UNAUTHENTICATED; with `scope`, an API key must hold it. */
export function requireMember(actor: Actor, scope?: ApiScope): MemberActor {
  if (actor.kind === 'anonymous' && actor.failure) throw actor.failure;
  if (actor.kind !== 'member') throw new AuthenticationError();
  if (scope && actor.scopes && !actor.scopes.includes(scope)) {
    throw new PermissionDeniedError(`This API key lacks the ${scope} scope`);
  }
  return actor;
}

/**
 * The acting member in a signed-in session. Partner API keys act only within
 * their scopes; anything no scope covers (profile, channels, keys, moderation)
 * needs the member's own session.
 */
export function requireSession(actor: Actor): MemberActor {
  const member = requireMember(actor);
  if (member.scopes) throw new PermissionDeniedError('This needs a signed-in session; API keys cannot do it');
  return member;
}

const RANK: Record<Role, number> = { MEMBER: 0, MODERATOR: 1, ADMIN: 2 };

/** The acting member if their role is at least `role`, else FORBIDDEN; without `scope`, a session is needed. */
export function requireRole(actor: Actor, role: Role, scope?: ApiScope): MemberActor {
  const member = scope ? requireMember(actor, scope) : requireSession(actor);
  if (RANK[member.role] < RANK[role]) {
    throw new PermissionDeniedError(`This needs the ${role} role`);
  }
  return member;
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.kind === 'system' || (actor.kind === 'member' && RANK[actor.role] >= RANK[role]);
}
