import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { PostPreviewService } from '../../../../libs/content/src/index.js';
import type { JobPayload } from '../../../../libs/queue/src/index.js';

/** Reads a submitted page's preview (title, summary, image). */
@Processor('post.unfurl')
export class PostUnfurlProcessor {
  constructor(private readonly previews: PostPreviewService) {}

  @Process({ concurrency: 4 })
  unfurl(job: Job<JobPayload<'post.unfurl'>>): Promise<void> {
    return this.previews.refresh(job.data.postId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }
}
