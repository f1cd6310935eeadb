import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Post, PostStatus, PreviewStatus } from '@sharepool/content';
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

export const PostPreviewStatusEnum = { PENDING: 'PENDING', DONE: 'DONE', FAILED: 'FAILED' } as const satisfies Record<
  PreviewStatus,
  PreviewStatus
>;
registerEnumType(PostPreviewStatusEnum, {
  name: 'PostPreviewStatus',
  description: "whether the page's title, summary and image were read after submission",
  valuesMap: {
    PENDING: { description: 'not read yet: the page is fetched shortly after submission, and again after a passing failure' },
    DONE: { description: 'read: what the author left empty was filled from the page' },
    FAILED: { description: 'the page could not be read (previewError says why); the author can give a title and summary' },
  },
});

@ObjectType('Post', {
  implements: () => [Node],
  description: 'A piece of content a member submitted for peers to share, with the credits it pays per share.',
})
export class PostModel implements Pick<
  Post,
  | 'id'
  | 'url'
  | 'summary'
  | 'imageUrl'
  | 'creditsPerShare'
  | 'budgetRemaining'
  | 'status'
  | 'postedShareCount'
  | 'previewStatus'
  | 'createdAt'
> {
  @NodeIdField('Post') id: string;
  @Field() url: string;
  @Field(() => String, { nullable: true }) summary: string | null;
  @Field(() => String, { nullable: true }) imageUrl: string | null;
  @Field(() => Int) creditsPerShare: number;
  @Field(() => Int, { description: 'credits still held for future shares of this post' }) budgetRemaining: number;
  @Field(() => PostStatusEnum) status: PostStatus;
  @Field(() => Int, { name: 'shareCount', description: 'shares that reached POSTED' }) postedShareCount: number;
  @Field(() => PostPreviewStatusEnum) previewStatus: PreviewStatus;
  @Field() createdAt: Date;
  // author, niche, title, suggestedMessage, rejectionReason, previewError, viewerHasShared, shares, sharingPaused: PostResolver.
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

@InputType({ description: 'a field left out stays as it is' })
export class EditPostInput {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true, description: "null or empty: the page's own title" }) title?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
}

export const PostConnection = Connection(PostModel, 'Post');
