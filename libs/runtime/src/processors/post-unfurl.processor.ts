import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { PostPreviewService } from '@sharepool/content';
import type { JobPayload } from '@sharepool/queue';

/** Reads a submitted page's preview (title, summary, image). */
@Processor('post.unfurl')
export class PostUnfurlProcessor {
  constructor(private readonly previews: PostPreviewService) {}

  @Process({ concurrency: 4 })
  unfurl(job: Job<JobPayload<'post.unfurl'>>): Promise<void> {
    return this.previews.refresh(job.data.postId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }
}
