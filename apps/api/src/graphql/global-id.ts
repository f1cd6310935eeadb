import { Field, ID } from '@nestjs/graphql';
import { InvalidInputError } from '@sharepool/kernel';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque, type-tagged global id: base64url of `Type:uuid`. */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** The type and database id of a global id, or null if it is not one. */
export function fromGlobalId(globalId: string): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0) return null;
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  return /^[A-Z][A-Za-z]*$/.test(type) && UUID.test(id) ? { type, id } : null;
}

/** The database id of an input that must be a `type` id; BAD_USER_INPUT on `field` otherwise. */
export function parseGlobalId(globalId: string, type: string, field: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw new InvalidInputError(field, `${field} is not a ${type} id`);
  return parsed.id;
}

/** The database id if `globalId` is a `type` id, else null (for lookups, which never fail on shape). */
export function globalIdOf(globalId: string, type: string): string | null {
  const parsed = fromGlobalId(globalId);
  return parsed && parsed.type === type ? parsed.id : null;
}

/** The `id: ID!` field of a Node type: the entity's uuid, served as a global id. */
export function NodeIdField(type: string): PropertyDecorator {
  return Field(() => ID, {
    middleware: [
      async (_ctx, next) => {
        const value = await next();
        return typeof value === 'string' ? toGlobalId(type, value) : value;
      },
    ],
  });
}
