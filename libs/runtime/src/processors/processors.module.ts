import { Module } from '@nestjs/common';
import { ChannelsModule } from '@sharepool/channels';
import { ContentModule } from '@sharepool/content';
import { MailModule } from '@sharepool/mail';
import { NotificationsModule } from '@sharepool/notifications';
import { RelationshipsModule } from '@sharepool/relationships';
import { SharingModule } from '@sharepool/sharing';
import { AudienceCheckProcessor, TokenRefreshProcessor } from './channel-maintenance.processor.js';
import { MailSendProcessor, MailTickProcessor, NotificationEmailProcessor } from './mail.processors.js';
import { OutboxRelayProcessor } from './outbox-relay.processor.js';
import { PostUnfurlProcessor } from './post-unfurl.processor.js';
import { ShareDeliveryProcessor } from './share-delivery.processor.js';
import { ShareSweepProcessor } from './share-sweep.processor.js';
import { TrustDailyProcessor, TrustReviewProcessor } from './trust-review.processor.js';
import { WorkerDrain } from './worker-drain.js';
import { WorkerTicker } from './worker-ticker.js';

/** The Bull processors: each job handler calls one domain service method. */
@Module({
  imports: [ChannelsModule, ContentModule, MailModule, NotificationsModule, RelationshipsModule, SharingModule],
  providers: [
    AudienceCheckProcessor,
    TokenRefreshProcessor,
    MailSendProcessor,
    MailTickProcessor,
    NotificationEmailProcessor,
    OutboxRelayProcessor,
    PostUnfurlProcessor,
    ShareDeliveryProcessor,
    ShareSweepProcessor,
    TrustReviewProcessor,
    TrustDailyProcessor,
    WorkerTicker,
    WorkerDrain,
  ],
})
export class ProcessorsModule {}
