import { Process, Processor } from '@nestjs/bull';
import { ShareSweeper } from '@sharepool/sharing';

/** Resumes shares whose job was lost or whose worker died. */
@Processor('share.sweep')
export class ShareSweepProcessor {
  constructor(private readonly sweeper: ShareSweeper) {}

  @Process()
  sweep() {
    return this.sweeper.sweep();
  }
}
