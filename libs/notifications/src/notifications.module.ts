import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationPreferenceEntity } from './notification-preference.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { NotificationsService } from './notifications.service.js';

/** The notifications lib's tables. */
export const NOTIFICATIONS_ENTITIES = [NotificationEntity, NotificationPreferenceEntity];

@Module({
  imports: [TypeOrmModule.forFeature(NOTIFICATIONS_ENTITIES)],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
