import { useState } from 'react';
import { useApi, useQuery } from '../../api/api-context';
import { errorText } from '../../api/error-text';
import { NetworkBadge, NETWORK_NAMES, StatusBadge } from '../../ui/badge';
import { useConfirm } from '../../ui/confirm';
import { SecretReveal } from '../../ui/copy-button';
import { Dialog } from '../../ui/dialog';
import { formatDate, formatNumber } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { DISCONNECT_CHANNEL, MY_CHANNELS, type MyChannel } from './channel-operations';
import { ConnectChannelForm, type NetworkName } from './connect-channel-form';

type DialogState =
  { kind: 'connect'; initial?: { network: NetworkName; handle: string } } | { kind: 'secret'; channel: MyChannel; secret: string };

export default function ChannelsPage() {
  const client = useApi();
  const channels = useQuery(MY_CHANNELS);
  const confirm = useConfirm();
  const toast = useToast();
  const [dialog, setDialog] = useState<DialogState>();

  const list = (channels.data?.viewer.channels ?? []).filter((c) => c.status !== 'DISCONNECTED');

  const onConnected = (channel: MyChannel, secret: string | null) => {
    channels.update((data) => ({
      viewer: { ...data.viewer, channels: [...data.viewer.channels.filter((c) => c.id !== channel.id), channel] },
    }));
    toast.success(`${NETWORK_NAMES[channel.network]} connected`);
    setDialog(secret ? { kind: 'secret', channel, secret } : undefined);
  };

  const disconnect = async (channel: MyChannel) => {
    const ok = await confirm({
      title: `Disconnect ${NETWORK_NAMES[channel.network]}?`,
      message: `Sharepool forgets the credentials of ${channel.handle}. Shares still scheduled on it will not go out.`,
      confirmLabel: 'Disconnect',
      danger: true,
    });
    if (!ok) return;
    try {
      const result = await client.request(DISCONNECT_CHANNEL, { id: channel.id });
      channels.update((data) => ({
        viewer: { ...data.viewer, channels: data.viewer.channels.map((c) => (c.id === channel.id ? result.disconnectChannel : c)) },
      }));
      toast.success(`${channel.handle} disconnected`);
    } catch (error) {
      toast.error(errorText(error));
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="Channels"
        description="The accounts you share to. Each share goes out at a gentle pace, within each network's rules."
        actions={
          <button type="button" className="button button--primary" onClick={() => setDialog({ kind: 'connect' })}>
            Connect a channel
          </button>
        }
      />
      {channels.loading ? (
        <SkeletonList count={2} variant="row" label="Loading your channels" />
      ) : channels.error ? (
        <QueryError error={channels.error} retry={channels.refetch} />
      ) : list.length === 0 ? (
        <EmptyState
          title="No channels yet"
          action={
            <button type="button" className="button button--primary" onClick={() => setDialog({ kind: 'connect' })}>
              Connect your first channel
            </button>
          }
        >
          Connect Mastodon, Bluesky, X, LinkedIn or a webhook to start sharing.
        </EmptyState>
      ) : (
        <ul className="stack" aria-label="Your channels">
          {list.map((channel) => (
            <li key={channel.id}>
              <article className={`row-card ${channel.status === 'NEEDS_REAUTH' ? 'row-card--attention' : ''}`}>
                <div className="row-card__main">
                  <div className="row-card__title">
                    <NetworkBadge network={channel.network} /> {channel.handle} <StatusBadge status={channel.status} />
                  </div>
                  <p className="row-card__meta muted">
                    {channel.audienceSize > 0 && `${formatNumber(channel.audienceSize)} followers · `}connected{' '}
                    {formatDate(channel.createdAt)}
                  </p>
                  {channel.status === 'NEEDS_REAUTH' && (
                    <p className="alert alert--danger alert--compact">
                      <strong>Needs reconnecting:</strong> {channel.statusReason ?? 'the network no longer accepts the saved credentials.'}{' '}
                      Nothing is posted to it until you reconnect.
                    </p>
                  )}
                </div>
                <div className="row-card__side">
                  {channel.status === 'NEEDS_REAUTH' && (
                    <button
                      type="button"
                      className="button button--primary button--small"
                      onClick={() => setDialog({ kind: 'connect', initial: { network: channel.network, handle: channel.handle } })}
                    >
                      Reconnect <span className="visually-hidden">{channel.handle}</span>
                    </button>
                  )}
                  <button type="button" className="button button--secondary button--small" onClick={() => void disconnect(channel)}>
                    Disconnect <span className="visually-hidden">{channel.handle}</span>
                  </button>
                </div>
              </article>
            </li>
          ))}
        </ul>
      )}

      <Dialog
        open={dialog?.kind === 'connect'}
        title={dialog?.kind === 'connect' && dialog.initial ? 'Reconnect a channel' : 'Connect a channel'}
        onClose={() => setDialog(undefined)}
      >
        {dialog?.kind === 'connect' && (
          <ConnectChannelForm initial={dialog.initial} onConnected={onConnected} onCancel={() => setDialog(undefined)} />
        )}
      </Dialog>
      <Dialog open={dialog?.kind === 'secret'} title="Your webhook signing secret" onClose={() => setDialog(undefined)}>
        {dialog?.kind === 'secret' && (
          <>
            <p>
              Each delivery to {dialog.channel.handle} carries an HMAC-SHA256 signature made with this secret. Check it on your side to be
              sure the request came from Sharepool.
            </p>
            <SecretReveal label="Signing secret" value={dialog.secret} />
            <div className="dialog__actions">
              <button type="button" className="button button--primary" onClick={() => setDialog(undefined)}>
                I have saved it
              </button>
            </div>
          </>
        )}
      </Dialog>
    </div>
  );
}
