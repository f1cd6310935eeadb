import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/error-text';
import { graphqlKey, operationKey, useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import type { ResultOf } from '../../graphql/graphql';
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
import { ConnectChannel, type NetworkName } from './connect-channel';
import { SHARE_CHANNELS } from '../feed/feed-operations';
import { useStartConnection } from './use-start-connection';

type DialogState =
  { kind: 'connect'; initial?: { network: NetworkName; handle: string } } | { kind: 'secret'; channel: MyChannel; secret: string };

/** What the network's consent page sent the member back with (through the API's callback). */
type Returned = { kind: 'connected'; channelId: string } | { kind: 'error'; message: string };

function returnedFrom(search: { connected?: string; error?: string }): Returned | undefined {
  if (search.connected) return { kind: 'connected', channelId: search.connected };
  return search.error ? { kind: 'error', message: search.error } : undefined;
}

const route = getRouteApi('/member/channels');

/** The followers, and whether the network said so or the member did. */
function audienceText(channel: MyChannel): string | undefined {
  if (channel.audienceVerified) return `${formatNumber(channel.audienceSize)} followers, verified with ${NETWORK_NAMES[channel.network]}`;
  if (channel.audienceSize > 0) return `${formatNumber(channel.audienceSize)} followers, as you stated (not verified)`;
  return undefined;
}

export default function ChannelsPage() {
  const queryClient = useQueryClient();
  const channels = useGraphqlQuery(MY_CHANNELS);
  const confirm = useConfirm();
  const toast = useToast();
  const [dialog, setDialog] = useState<DialogState>();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  // Back from a network's consent page (the app loads afresh): keep what it said, and take it out of the address.
  const [returned, setReturned] = useState<Returned | undefined>(() => returnedFrom(search));
  const { start, leaving } = useStartConnection();
  const carriesOutcome = search.connected !== undefined || search.error !== undefined;
  useEffect(() => {
    if (carriesOutcome) void navigate({ search: {}, replace: true, resetScroll: false });
  }, [carriesOutcome, navigate]);

  /** Shows a channel as the server answered it, and has the share dialog read the channels again. */
  const showChannel = (channel: MyChannel) => {
    queryClient.setQueryData<ResultOf<typeof MY_CHANNELS>>(graphqlKey(MY_CHANNELS), (data) =>
      data
        ? {
            viewer: {
              ...data.viewer,
              channels: data.viewer.channels.some((c) => c.id === channel.id)
                ? data.viewer.channels.map((c) => (c.id === channel.id ? channel : c))
                : [...data.viewer.channels, channel],
            },
          }
        : data,
    );
    void queryClient.invalidateQueries({ queryKey: operationKey(SHARE_CHANNELS) });
  };
  const disconnectChannel = useGraphqlMutation(DISCONNECT_CHANNEL, { onSuccess: (result) => showChannel(result.disconnectChannel) });

  const list = (channels.data?.viewer.channels ?? []).filter((c) => c.status !== 'DISCONNECTED');
  const connectedChannel = returned?.kind === 'connected' ? list.find((c) => c.id === returned.channelId) : undefined;

  const reconnect = async (channel: MyChannel) => {
    if (channel.network !== 'X' && channel.network !== 'LINKEDIN') {
      setDialog({ kind: 'connect', initial: { network: channel.network, handle: channel.handle } });
      return;
    }
    setReturned(undefined);
    try {
      await start(channel.network);
    } catch (error) {
      setReturned({ kind: 'error', message: errorText(error) });
    }
  };

  const onConnected = (channel: MyChannel, secret: string | null) => {
    showChannel(channel);
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
      await disconnectChannel.mutateAsync({ id: channel.id });
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
      {returned?.kind === 'error' && (
        <div className="alert alert--danger returned-alert" role="alert">
          <p>
            <strong>The channel was not connected.</strong> {returned.message}
          </p>
          <button type="button" className="button button--ghost button--small" onClick={() => setReturned(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      {returned?.kind === 'connected' && connectedChannel && (
        <div className="alert alert--success returned-alert" role="status">
          <p>
            <strong>
              {NETWORK_NAMES[connectedChannel.network]} connected: {connectedChannel.handle}.
            </strong>{' '}
            {audienceText(connectedChannel) ? `${audienceText(connectedChannel)}. ` : ''}Shares to it go out from now on.
          </p>
          <button type="button" className="button button--ghost button--small" onClick={() => setReturned(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      {channels.isPending ? (
        <SkeletonList count={2} variant="row" label="Loading your channels" />
      ) : channels.error ? (
        <QueryError error={channels.error} retry={() => void channels.refetch()} />
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
                    {audienceText(channel) && `${audienceText(channel)} · `}connected {formatDate(channel.createdAt)}
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
                      disabled={leaving !== undefined}
                      onClick={() => void reconnect(channel)}
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
          <ConnectChannel initial={dialog.initial} onConnected={onConnected} onCancel={() => setDialog(undefined)} />
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
