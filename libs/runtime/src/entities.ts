import { AUDIT_ENTITIES } from '@sharepool/audit';
import { AUTH_ENTITIES } from '@sharepool/auth';
import { CHANNELS_ENTITIES } from '@sharepool/channels';
import { CONTENT_ENTITIES } from '@sharepool/content';
import { LEDGER_ENTITIES } from '@sharepool/ledger';
import { LINKS_ENTITIES } from '@sharepool/links';
import { MAIL_ENTITIES } from '@sharepool/mail';
import { MEMBERS_ENTITIES } from '@sharepool/members';
import { MODERATION_ENTITIES } from '@sharepool/moderation';
import { NOTIFICATIONS_ENTITIES } from '@sharepool/notifications';
import { QUEUE_ENTITIES } from '@sharepool/queue';
import { RELATIONSHIPS_ENTITIES } from '@sharepool/relationships';
import { SHARING_ENTITIES } from '@sharepool/sharing';
import { TRUST_ENTITIES } from '@sharepool/trust';

/**
 * Every entity (and view entity) of every lib: the schema as code. The app
 * registers them per domain module (TypeOrmModule.forFeature); this list is
 * for what runs outside the app: the migration CLI and the schema drift check.
 */
export const ENTITIES = [
  ...AUDIT_ENTITIES,
  ...QUEUE_ENTITIES,
  ...LEDGER_ENTITIES,
  ...MEMBERS_ENTITIES,
  ...TRUST_ENTITIES,
  ...AUTH_ENTITIES,
  ...CONTENT_ENTITIES,
  ...MODERATION_ENTITIES,
  ...CHANNELS_ENTITIES,
  ...RELATIONSHIPS_ENTITIES,
  ...SHARING_ENTITIES,
  ...LINKS_ENTITIES,
  ...NOTIFICATIONS_ENTITIES,
  ...MAIL_ENTITIES,
];
