import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembersModule } from '@sharepool/members';
import { NotificationsModule } from '@sharepool/notifications';
import { AccountMail } from './account-mail.service.js';
import { EmailEntity } from './email.entity.js';
import { MailLinks } from './mail-links.js';
import { MailRecipients } from './mail-recipients.js';
import { MailTransport } from './mail-transport.js';
import { Mailbox } from './mailbox.service.js';
import { NotificationMailer } from './notification-mailer.service.js';
import { Unsubscribe } from './unsubscribe.service.js';

/** The mail lib's tables. */
export const MAIL_ENTITIES = [EmailEntity];

@Module({
  imports: [MembersModule, NotificationsModule, TypeOrmModule.forFeature(MAIL_ENTITIES)],
  providers: [AccountMail, MailLinks, MailRecipients, MailTransport, Mailbox, NotificationMailer, Unsubscribe],
  exports: [AccountMail, MailLinks, MailTransport, Mailbox, NotificationMailer, Unsubscribe],
})
export class MailModule {}
