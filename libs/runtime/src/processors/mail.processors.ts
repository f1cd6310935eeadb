import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Mailbox, NotificationMailer } from '@sharepool/mail';
import { NotificationsService } from '@sharepool/notifications';
import type { JobPayload } from '@sharepool/queue';

/** Writes the email of a notification its member wants at once. */
@Processor('notification.email')
export class NotificationEmailProcessor {
  constructor(private readonly mailer: NotificationMailer) {}

  @Process({ concurrency: 4 })
  mail(job: Job<JobPayload<'notification.email'>>) {
    return this.mailer.mailInstant(job.data.notificationId);
  }
}

/** Sends one queued email. */
@Processor('mail.send')
export class MailSendProcessor {
  constructor(private readonly mailbox: Mailbox) {}

  @Process({ concurrency: 4 })
  send(job: Job<JobPayload<'mail.send'>>) {
    return this.mailbox.send(job.data.emailId);
  }
}

/** Periodic mail work: lost send jobs, due daily digests, and forgetting what is past its time. */
@Processor('mail.tick')
export class MailTickProcessor {
  private readonly logger = new Logger('MailTick');
  private runs = 0;

  constructor(
    private readonly mailbox: Mailbox,
    private readonly mailer: NotificationMailer,
    private readonly notifications: NotificationsService,
  ) {}

  @Process()
  async tick(): Promise<{ swept: number; digests: number }> {
    const swept = await this.mailbox.sweep();
    const digests = await this.mailer.mailDueDigests();
    // About once an hour (a tick a minute).
    if (this.runs++ % 60 === 0) {
      const pruned = (await this.notifications.prune()) + (await this.mailbox.prune());
      if (pruned) this.logger.log(`forgot ${pruned} old notifications and emails`);
    }
    return { swept, digests };
  }
}
