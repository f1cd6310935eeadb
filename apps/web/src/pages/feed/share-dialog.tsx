import { Link } from '@tanstack/react-router';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { NETWORK_NAMES } from '../../ui/badge';
import { Dialog } from '../../ui/dialog';
import { formatCredits, formatNumber } from '../../ui/display-format';
import { FormAlert, TextAreaField, TextField } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormErrors } from '../../ui/use-form-errors';
import { SHARE_POST, type FeedPost, type ShareChannel } from './feed-operations';
import { countsFor, limitFor } from './share-text';

export interface ShareDialogProps {
  post: FeedPost;
  channels: readonly ShareChannel[];
  onClose: () => void;
  onShared: (post: FeedPost, shareCount: number) => void;
}

/** A value for <input type="datetime-local"> in the browser's time zone. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Whether `date` is a valid time still to come (asked when the form is sent, not while rendering). */
function isInFuture(date: Date): boolean {
  return !Number.isNaN(date.getTime()) && date.getTime() > Date.now();
}

/**
 * Sharing one post: which channels, the message with a live count for each chosen network,
 * and an optional time. Channels that need reconnecting cannot be picked.
 */
export function ShareDialog({ post, channels, onClose, onShared }: ShareDialogProps) {
  const usable = channels.filter((c) => c.status === 'ACTIVE');
  const [selected, setSelected] = useState<Set<string>>(() => new Set(usable.map((c) => c.id)));
  const [message, setMessage] = useState(post.suggestedMessage);
  const [scheduleLater, setScheduleLater] = useState(false);
  const [scheduledFor, setScheduledFor] = useState(() => localInputValue(new Date(Date.now() + 60 * 60 * 1000)));
  const { mutateAsync: sharePost, isPending: pending } = useGraphqlMutation(SHARE_POST);
  const toast = useToast();
  const countsId = useId();
  const { formRef, errors, showInvalid, showError } = useFormErrors({
    fields: ['channelIds', 'message', 'scheduledFor'],
  });

  const networks = useMemo(() => channels.filter((c) => selected.has(c.id)).map((c) => c.network), [channels, selected]);
  const counts = countsFor(networks, message, post.url);
  const tooLong = counts.filter((c) => c.over);

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const when = scheduleLater ? new Date(scheduledFor) : undefined;
    const invalid = showInvalid({
      channelIds: selected.size === 0 ? 'Choose at least one channel' : undefined,
      message: tooLong.length
        ? `Too long for ${tooLong.map((c) => NETWORK_NAMES[c.network]).join(' and ')}: shorten the message`
        : message.trim() === ''
          ? 'Write a message'
          : undefined,
      scheduledFor: when && !isInFuture(when) ? 'Choose a time in the future' : undefined,
    });
    if (invalid) return;
    try {
      const result = await sharePost({
        input: { postId: post.id, channelIds: [...selected], message: message.trim(), scheduledFor: when?.toISOString() },
      });
      const n = result.sharePost.length;
      toast.success(
        when
          ? `Scheduled on ${n} ${n === 1 ? 'channel' : 'channels'}`
          : `Sharing on ${n} ${n === 1 ? 'channel' : 'channels'} — follow it in My shares`,
      );
      onShared(post, n);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Dialog
      open
      title={`Share “${post.title}”`}
      description={`You earn ${formatCredits(post.creditsPerShare)} for each channel once it is posted.`}
      onClose={onClose}
      size="large"
    >
      {channels.length === 0 ? (
        <div className="empty-inline">
          <p>Connect a social channel first, then come back to share.</p>
          <Link to="/channels" className="button button--primary">
            Connect a channel
          </Link>
        </div>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate className="form">
          <FormAlert message={errors.message} />
          <fieldset
            className={`fieldset ${errors.fields.channelIds ? 'field--invalid' : ''}`}
            aria-describedby={errors.fields.channelIds ? `${countsId}-channels-error` : undefined}
          >
            <legend className="field__label">Channels</legend>
            <ul className="choice-list">
              {channels.map((channel) => {
                const disabled = channel.status !== 'ACTIVE';
                return (
                  <li key={channel.id}>
                    <label className={`choice ${disabled ? 'choice--disabled' : ''}`}>
                      <input
                        type="checkbox"
                        checked={selected.has(channel.id)}
                        disabled={disabled}
                        aria-invalid={errors.fields.channelIds ? true : undefined}
                        onChange={() => toggle(channel.id)}
                      />
                      <span className={`network network--${channel.network.toLowerCase()}`}>{NETWORK_NAMES[channel.network]}</span>
                      <span className="choice__text">
                        {channel.handle}
                        {channel.audienceSize > 0 && <span className="muted"> · {formatNumber(channel.audienceSize)} followers</span>}
                        {disabled && <span className="muted"> · needs reconnecting</span>}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
            {errors.fields.channelIds && (
              <p id={`${countsId}-channels-error`} className="field__error">
                {errors.fields.channelIds}
              </p>
            )}
          </fieldset>

          <TextAreaField
            label="Message"
            name="message"
            rows={4}
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            hint="The link to the post is added at the end unless your message already contains it."
            describedBy={counts.length > 0 ? countsId : undefined}
            error={errors.fields.message}
          />
          <p className="visually-hidden" aria-live="polite">
            {tooLong.length > 0 ? `Too long for ${tooLong.map((c) => NETWORK_NAMES[c.network]).join(' and ')}` : ''}
          </p>
          {counts.length > 0 && (
            <ul className="char-counts" id={countsId} aria-label="Characters per network">
              {counts.map((c) => (
                <li key={c.network} className={c.over ? 'char-count char-count--over' : 'char-count'} title={limitFor(c.network)?.rule}>
                  {NETWORK_NAMES[c.network]}: {c.used} / {formatNumber(c.limit)}
                  {c.over && <span className="visually-hidden"> — too long</span>}
                </li>
              ))}
            </ul>
          )}

          <label className="choice">
            <input type="checkbox" checked={scheduleLater} onChange={(event) => setScheduleLater(event.target.checked)} />
            <span>Schedule for later</span>
          </label>
          {scheduleLater && (
            <TextField
              label="Post at"
              name="scheduledFor"
              type="datetime-local"
              value={scheduledFor}
              min={localInputValue(new Date())}
              onChange={(event) => setScheduledFor(event.target.value)}
              error={errors.fields.scheduledFor}
            />
          )}

          <div className="dialog__actions">
            <button type="button" className="button button--secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={pending}>
              {pending
                ? 'Sharing…'
                : scheduleLater
                  ? 'Schedule'
                  : `Share on ${selected.size} ${selected.size === 1 ? 'channel' : 'channels'}`}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
