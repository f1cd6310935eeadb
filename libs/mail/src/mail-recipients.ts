import { Injectable } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { type Member, MembersService } from '@sharepool/members';

/** Whom Sharepool may email about their notifications. */
@Injectable()
export class MailRecipients {
  constructor(
    private readonly members: MembersService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The member, if their notifications may be emailed: active, and with an
   * address they proved where EMAIL_VERIFICATION=required (nobody else's
   * mailbox gets their news).
   */
  async notifiable(memberId: string): Promise<Member | null> {
    const [member] = await this.members.findByIds([memberId]);
    if (!member || member.status !== 'ACTIVE') return null;
    if (this.config.emailVerificationRequired && !member.emailVerifiedAt) return null;
    return member;
  }
}
