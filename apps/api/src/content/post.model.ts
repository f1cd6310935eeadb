import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { PostRecord, PostStatus } from '@sharepool/content';
import { Connection } from '../graphql/connection.js';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';

export const PostStatusEnum = {
  PENDING_REVIEW: 'PENDING_REVIEW',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  WITHDRAWN: 'WITHDRAWN',
} as const satisfies Record<PostStatus, PostStatus>;
registerEnumType(PostStatusEnum, { name: 'PostStatus' });

@ObjectType('Post', {
  implements: () => [Node],
  description: 'A piece of content a member submitted for peers to share, with the credits it pays per share.',
})
export class PostModel implements Pick<
  PostRecord,
  'id' | 'url' | 'summary' | 'imageUrl' | 'creditsPerShare' | 'budgetRemaining' | 'status' | 'shareCount' | 'createdAt'
> {
  @NodeIdField('Post') id: string;
  @Field() url: string;
  @Field(() => String, { nullable: true }) summary: string | null;
  @Field(() => String, { nullable: true }) imageUrl: string | null;
  @Field(() => Int) creditsPerShare: number;
  @Field(() => Int, { description: 'credits still held for future shares of this post' }) budgetRemaining: number;
  @Field(() => PostStatusEnum) status: PostStatus;
  @Field(() => Int, { description: 'shares that reached POSTED' }) shareCount: number;
  @Field() createdAt: Date;
  // author, niche, title, suggestedMessage, rejectionReason, viewerHasShared, shares, sharingPaused: PostResolver.
}

@InputType()
export class SubmitPostInput {
  @Field() url: string;
  @Field(() => ID) nicheId: string;
  @Field(() => String, { nullable: true, description: "default: the page's own title" }) title?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => String, { nullable: true, description: 'default: the title' }) suggestedMessage?: string | null;
  @Field(() => Int) creditsPerShare: number;
  @Field(() => Int, { description: "credits moved from the author's balance to hold for shares" }) budget: number;
}

export const PostConnection = Connection(PostModel, 'Post');
