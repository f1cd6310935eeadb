import { Process, Processor } from '@nestjs/bull';
import { AudienceChecker, TokenRefresher } from '@sharepool/channels';

/** Keeps OAuth tokens alive (the database decides which worker refreshes which channel). */
@Processor('channel.refresh-tokens')
export class TokenRefreshProcessor {
  constructor(private readonly refresher: TokenRefresher) {}

  @Process()
  refresh() {
    return this.refresher.refreshDue();
  }
}

/** Reads channels' followers from their networks once a day. */
@Processor('channel.check-audience')
export class AudienceCheckProcessor {
  constructor(private readonly checker: AudienceChecker) {}

  @Process()
  check() {
    return this.checker.checkDue();
  }
}
