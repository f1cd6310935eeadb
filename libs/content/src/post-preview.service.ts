import { Injectable } from '@nestjs/common';
import { OutboundError, OutboundHttp, OutboundNetworkError, OutboundTimeoutError } from '@sharepool/outbound';
import { fetchPagePreview, PageUnavailableError } from './page-preview.js';
import { PostsService } from './posts.service.js';

/** Reads a submitted page's preview and keeps it with the post (the `post.unfurl` job). */
@Injectable()
export class PostPreviewService {
  constructor(
    private readonly posts: PostsService,
    private readonly http: OutboundHttp,
  ) {}

  /**
   * Fetches the page through the SSRF guard and fills the post's empty fields.
   * A failure that may pass (timeout, connection, a 5xx) is thrown so the job is
   * tried again, unless this is the last attempt; any other is recorded.
   */
  async refresh(postId: string, lastAttempt: boolean): Promise<void> {
    const url = await this.posts.previewTarget(postId);
    if (!url) return;
    try {
      await this.posts.applyPreview(postId, await fetchPagePreview(this.http, url));
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      const mayPass =
        error instanceof OutboundTimeoutError ||
        error instanceof OutboundNetworkError ||
        (error instanceof PageUnavailableError && error.status >= 500);
      if (mayPass && !lastAttempt) throw error;
      await this.posts.applyPreview(postId, { error: error.message });
    }
  }
}
