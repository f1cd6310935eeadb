import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { removeConnectionNode } from '../../api/cache-updates';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { Dialog } from '../../ui/dialog';
import { FormAlert, TextAreaField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { MODERATE_POST, MODERATION_QUEUE, type QueuedPost } from './moderation-operations';

/** Rejecting with a reason the author can act on. */
export function RejectPostDialog({ post, onClose, onRejected }: { post: QueuedPost; onClose: () => void; onRejected: () => void }) {
  const queryClient = useQueryClient();
  const { mutateAsync: moderate, isPending: pending } = useGraphqlMutation(MODERATE_POST, {
    onSuccess: () => removeConnectionNode(queryClient, MODERATION_QUEUE, post.id),
  });
  const { formRef, errors, showInvalid, showError } = useFormErrors({ fields: ['reason'] });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    if (
      showInvalid({
        reason:
          reason.length < 3
            ? 'Tell the author why, in a sentence they can act on'
            : reason.length > 500
              ? 'A reason is at most 500 characters'
              : undefined,
      })
    )
      return;
    try {
      await moderate({ input: { postId: post.id, action: 'REJECT', reason } });
      onRejected();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Dialog open title={`Reject “${post.title}”`} description="The author sees your reason and their budget is returned." onClose={onClose}>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert message={errors.message} />
        <TextAreaField
          label="Reason"
          name="reason"
          rows={3}
          data-autofocus
          placeholder="e.g. The page is behind a paywall; submit the free version."
          error={errors.fields.reason}
        />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={pending}>
            {pending ? 'Rejecting…' : 'Reject post'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
