import { type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { graphqlKey, operationKey, useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import type { ResultOf } from '../../graphql/graphql';
import { SUBMIT_NICHES } from '../posts/post-operations';
import { ALL_NICHES } from '../profile/niche-operations';
import { EmptyState } from '../../ui/empty-state';
import { FormAlert, TextField } from '../../ui/field';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { useFormErrors } from '../../ui/use-form-errors';
import { ADMIN_NICHES, CREATE_NICHE } from './admin-operations';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "Growth Marketing" → "growth-marketing": a slug suggestion from the name. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function NichesSection() {
  const queryClient = useQueryClient();
  const niches = useGraphqlQuery(ADMIN_NICHES);
  const { mutateAsync: createNiche, isPending: pending } = useGraphqlMutation(CREATE_NICHE, {
    onSuccess: ({ createNiche: niche }) => {
      queryClient.setQueryData<ResultOf<typeof ADMIN_NICHES>>(graphqlKey(ADMIN_NICHES), (data) =>
        data ? { niches: [...data.niches, niche] } : data,
      );
      // The other lists of niches (joining one, submitting to one) read again when next shown.
      void queryClient.invalidateQueries({ queryKey: operationKey(ALL_NICHES) });
      void queryClient.invalidateQueries({ queryKey: operationKey(SUBMIT_NICHES) });
    },
  });
  const toast = useToast();
  const { formRef, errors, showInvalid, showError, clear } = useFormErrors({ fields: ['name', 'slug'] });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const slug = String(data.get('slug') ?? '').trim() || slugify(name);
    const invalid = showInvalid({
      name: !name ? 'Name the niche' : undefined,
      slug: !SLUG.test(slug) ? 'Use lower-case letters, digits and single hyphens' : undefined,
    });
    if (invalid) return;
    try {
      await createNiche({ input: { name, slug } });
      form.reset();
      clear();
      toast.success(`Niche “${name}” created`);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div className="two-column">
      <section aria-labelledby="niche-list-title" className="section">
        <h2 id="niche-list-title">Niches</h2>
        {niches.isPending ? (
          <SkeletonList count={3} variant="row" label="Loading niches" />
        ) : niches.error ? (
          <QueryError error={niches.error} retry={() => void niches.refetch()} />
        ) : niches.data!.niches.length === 0 ? (
          <EmptyState title="No niches yet">Create the first one: members join niches to see each other's posts.</EmptyState>
        ) : (
          <ul className="plain-list">
            {niches.data!.niches.map((niche) => (
              <li key={niche.id}>
                <strong>{niche.name}</strong> <code className="muted">{niche.slug}</code>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form ref={formRef} onSubmit={submit} noValidate className="form card" aria-labelledby="create-niche-title">
        <h2 id="create-niche-title" className="card__title">
          Create a niche
        </h2>
        <FormAlert message={errors.message} />
        <TextField label="Name" name="name" placeholder="e.g. Growth marketing" error={errors.fields.name} />
        <TextField label="Slug" name="slug" hint="Leave empty to make one from the name." error={errors.fields.slug} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={pending}>
            Create niche
          </button>
        </div>
      </form>
    </div>
  );
}
