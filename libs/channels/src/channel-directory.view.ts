import { ViewColumn, ViewEntity } from 'typeorm';

/**
 * What other libs' queries may read of a channel: the channels lib's published
 * read (deliveries: its handle, sealed credentials and last post; activity:
 * its audience), so only this lib knows how channels are laid out. The
 * credentials stay sealed here; ChannelsService.unseal opens them. Migration
 * 1764000840000; TypeORM leaves it alone (synchronize: false) and the drift
 * check compares this definition.
 */
@ViewEntity({
  name: 'channel_directory',
  synchronize: false,
  expression: `SELECT id, handle, audience_size, credentials_sealed, last_posted_at FROM channels`,
})
export class ChannelDirectoryView {
  @ViewColumn() id: string;
  @ViewColumn() handle: string;
  @ViewColumn() audienceSize: number;
  /** Empty once the channel is disconnected. */
  @ViewColumn() credentialsSealed: string;
  @ViewColumn() lastPostedAt: Date | null;
}
