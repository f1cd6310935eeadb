import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { replaceConnectionNode } from '../../api/cache-updates';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { Dialog } from '../../ui/dialog';
import { FormAlert, TextAreaField, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { EDIT_POST, MY_POSTS, type MyPost } from './post-operations';

/** Until a title is given, the server shows the page's address without its scheme (see postTitle). */
function ownTitle(post: MyPost): string {
  return post.title === post.url.replace(/^https?:\/\//, '').slice(0, 200) ? '' : post.title;
}

/** The title and summary peers will see, written by the author (e.g. when the page could not be read). */
export function EditPostDialog({ post, onClose, onSaved }: { post: MyPost; onClose: () => void; onSaved: (post: MyPost) => void }) {
  const queryClient = useQueryClient();
  const { mutateAsync: editPost, isPending: pending } = useGraphqlMutation(EDIT_POST, {
    onSuccess: (result) => replaceConnectionNode(queryClient, MY_POSTS, result.editPost),
  });
  const { formRef, errors, showInvalid, showError } = useFormErrors({ fields: ['title', 'summary'] });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const title = String(data.get('title') ?? '').trim();
    const summary = String(data.get('summary') ?? '').trim();
    if (
      showInvalid({
        title: title.length > 200 ? 'A title is at most 200 characters' : undefined,
        summary: summary.length > 500 ? 'A summary is at most 500 characters' : undefined,
      })
    )
      return;
    try {
      const result = await editPost({ input: { id: post.id, title: title || null, summary: summary || null } });
      onSaved(result.editPost);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Dialog open title="Edit title and summary" description="Peers see these on the post once it is approved." onClose={onClose}>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert message={errors.message} />
        <TextField
          label="Title"
          name="title"
          defaultValue={ownTitle(post)}
          data-autofocus
          hint="Leave empty to use the page's own title, or its address."
          error={errors.fields.title}
        />
        <TextAreaField label="Summary" name="summary" rows={3} defaultValue={post.summary ?? ''} error={errors.fields.summary} />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
