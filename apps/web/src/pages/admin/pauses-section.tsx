import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { graphqlKey, useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import type { ResultOf } from '../../graphql/graphql';
import { useConfirm } from '../../ui/confirm';
import { formatDateTime } from '../../ui/display-format';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../ui/field';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { useFormErrors } from '../../ui/use-form-errors';
import { PAUSE_SHARING, RESUME_SHARING, SHARING_PAUSES, type SharingPause } from './admin-operations';
import { ReasonDialog } from './reason-dialog';

type Scope = 'EVERYTHING' | 'NICHE' | 'POST';

function describePause(pause: SharingPause): string {
  if (pause.scope === 'EVERYTHING') return 'All sharing';
  if (pause.scope === 'NICHE') return `Niche “${pause.niche?.name ?? 'unknown'}”`;
  return `Post “${pause.post?.title ?? 'unknown'}”`;
}

/** The disaster switch: stop delivering and accepting shares in a scope, and lift it again. */
export function PausesSection() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const pauses = useGraphqlQuery(SHARING_PAUSES);
  const updatePauses = (change: (pauses: readonly SharingPause[]) => SharingPause[]) =>
    queryClient.setQueryData<ResultOf<typeof SHARING_PAUSES>>(graphqlKey(SHARING_PAUSES), (data) =>
      data ? { ...data, sharingPauses: change(data.sharingPauses) } : data,
    );
  const pauseSharing = useGraphqlMutation(PAUSE_SHARING, {
    onSuccess: ({ pauseSharing: pause }) => updatePauses((list) => [pause, ...list.filter((p) => p.id !== pause.id)]),
  });
  const resumeSharing = useGraphqlMutation(RESUME_SHARING);
  const pending = pauseSharing.isPending;
  const [scope, setScope] = useState<Scope>('EVERYTHING');
  const [resuming, setResuming] = useState<SharingPause>();
  const { formRef, errors, showInvalid, showError, clear } = useFormErrors({ fields: ['scope', 'nicheId', 'postId', 'reason'] });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const nicheId = String(data.get('nicheId') ?? '') || undefined;
    const postId = String(data.get('postId') ?? '').trim() || undefined;
    const reason = String(data.get('reason') ?? '').trim();
    const invalid = showInvalid({
      nicheId: scope === 'NICHE' && !nicheId ? 'Choose the niche to pause' : undefined,
      postId: scope === 'POST' && !postId ? 'Paste the id of the post to pause' : undefined,
      reason: reason.length < 3 ? 'Say why, in a few words: it is kept in the audit log' : undefined,
    });
    if (invalid) return;
    if (
      scope === 'EVERYTHING' &&
      !(await confirm({
        title: 'Pause all sharing?',
        message: 'Nothing is posted anywhere and no new shares are accepted until an admin resumes.',
        confirmLabel: 'Pause everything',
        danger: true,
      }))
    )
      return;
    try {
      const result = await pauseSharing.mutateAsync({
        input: { scope, nicheId: scope === 'NICHE' ? nicheId : undefined, postId: scope === 'POST' ? postId : undefined, reason },
      });
      form.reset();
      clear();
      toast.success(`${describePause(result.pauseSharing)} paused`);
    } catch (error) {
      showError(error);
    }
  };

  const everything = pauses.data?.sharingPauses.some((p) => p.scope === 'EVERYTHING');

  return (
    <div className="two-column">
      <section aria-labelledby="pauses-title" className="section">
        <h2 id="pauses-title">Pauses in force</h2>
        {everything && (
          <p className="alert alert--danger" role="status">
            All sharing is paused.
          </p>
        )}
        {pauses.isPending ? (
          <SkeletonList count={2} variant="row" label="Loading pauses" />
        ) : pauses.error ? (
          <QueryError error={pauses.error} retry={() => void pauses.refetch()} />
        ) : pauses.data!.sharingPauses.length === 0 ? (
          <p className="muted">None: shares are flowing normally.</p>
        ) : (
          <ul className="stack">
            {pauses.data!.sharingPauses.map((pause) => (
              <li key={pause.id} className="row-card row-card--attention">
                <div className="row-card__main">
                  <div className="row-card__title">{describePause(pause)}</div>
                  <p className="row-card__meta muted">
                    {pause.reason} · {pause.pausedBy ? `@${pause.pausedBy.handle}` : 'Sharepool'}, {formatDateTime(pause.createdAt)}
                  </p>
                </div>
                <div className="row-card__side">
                  <button type="button" className="button button--primary button--small" onClick={() => setResuming(pause)}>
                    Resume <span className="visually-hidden">{describePause(pause)}</span>
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <form ref={formRef} onSubmit={submit} noValidate className="form card" aria-labelledby="pause-title">
        <h2 id="pause-title" className="card__title">
          Pause sharing
        </h2>
        <FormAlert message={errors.message} />
        <SelectField
          label="What to pause"
          name="scope"
          value={scope}
          onChange={(e) => setScope(e.target.value as Scope)}
          error={errors.fields.scope}
        >
          <option value="EVERYTHING">Everything</option>
          <option value="NICHE">One niche</option>
          <option value="POST">One post</option>
        </SelectField>
        {scope === 'NICHE' && (
          <SelectField label="Niche" name="nicheId" defaultValue="" error={errors.fields.nicheId}>
            <option value="" disabled>
              Choose a niche
            </option>
            {pauses.data?.niches.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </SelectField>
        )}
        {scope === 'POST' && (
          <TextField label="Post id" name="postId" autoCapitalize="none" spellCheck={false} error={errors.fields.postId} />
        )}
        <TextAreaField label="Reason" name="reason" rows={2} error={errors.fields.reason} />
        <div className="form__actions">
          <button type="submit" className="button button--danger" disabled={pending}>
            {scope === 'EVERYTHING' ? 'Pause everything' : 'Pause'}
          </button>
        </div>
      </form>

      {resuming && (
        <ReasonDialog
          title={`Resume ${describePause(resuming).toLowerCase()}?`}
          description="Scheduled shares in this scope then go out."
          confirmLabel="Resume sharing"
          onClose={() => setResuming(undefined)}
          onConfirm={async (reason) => {
            await resumeSharing.mutateAsync({
              input: { scope: resuming.scope, nicheId: resuming.niche?.id, postId: resuming.post?.id, reason },
            });
            updatePauses((list) => list.filter((p) => p.id !== resuming.id));
            toast.success(`${describePause(resuming)} resumed`);
            setResuming(undefined);
          }}
        />
      )}
    </div>
  );
}
