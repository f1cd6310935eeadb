import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { ApiKey } from '@sharepool/auth';
import type { ApiScope } from '@sharepool/kernel';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';
import { Viewer } from '../viewer/viewer.model.js';

export const ApiScopeEnum = { READ: 'READ', SUBMIT: 'SUBMIT', SHARE: 'SHARE' } as const satisfies Record<ApiScope, ApiScope>;
registerEnumType(ApiScopeEnum, {
  name: 'ApiScope',
  valuesMap: {
    READ: { description: "read the viewer's data, the feed and public members" },
    SUBMIT: { description: 'submit and withdraw posts' },
    SHARE: { description: 'share posts and cancel shares' },
  },
});

@ObjectType('ApiKey', { implements: () => [Node] })
export class ApiKeyModel implements Omit<ApiKey, 'memberId'> {
  @NodeIdField('ApiKey') id: string;
  @Field() name: string;
  @Field({ description: 'the first characters of the secret, to recognise it' }) prefix: string;
  @Field(() => [ApiScopeEnum]) scopes: ApiScope[];
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType()
export class AuthPayload {
  @Field() accessToken: string;
  @Field() refreshToken: string;
  @Field(() => Int, { description: 'seconds until accessToken expires' }) expiresIn: number;
  @Field(() => Viewer) viewer: Viewer;
}

@ObjectType({ description: 'What a sign-up answers: a session, or, where addresses are verified, that a link is on its way' })
export class SignUpPayload {
  @Field({
    description: 'true: a link went to the address (or, if it already has an account, its owner was told); confirm it, then sign in',
  })
  verificationRequired: boolean;
  @Field(() => AuthPayload, { nullable: true, description: 'the new session, when addresses are not verified' })
  auth: AuthPayload | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKeyModel) apiKey: ApiKeyModel;
  @Field({ description: 'shown once' }) secret: string;
}

@InputType()
export class RegisterInput {
  @Field({
    defaultValue: false,
    description:
      'true for the web client: the refresh token is set as an HttpOnly cookie for /auth/session (renewed with POST /auth/session/refresh) and refreshToken is answered empty',
  })
  sessionCookie?: boolean;

  @Field() email: string;
  @Field() password: string;
  @Field() handle: string;
  @Field() displayName: string;
}

@InputType()
export class LoginInput {
  @Field({
    defaultValue: false,
    description:
      'true for the web client: the refresh token is set as an HttpOnly cookie for /auth/session (renewed with POST /auth/session/refresh) and refreshToken is answered empty',
  })
  sessionCookie?: boolean;

  @Field() email: string;
  @Field() password: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field() name: string;
  @Field(() => [ApiScopeEnum]) scopes: ApiScope[];
}

@ObjectType()
export class QueueBoardTicket {
  @Field({ description: 'open this address (relative to the API) within expiresIn seconds; it works once' }) url: string;
  @Field(() => Int) expiresIn: number;
}
