import { useState, type FormEvent } from 'react';
import { useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import { useSession, useViewer } from '../../session/session';
import { formatCredits } from '../../ui/display-format';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormErrors } from '../../ui/use-form-errors';
import { SUBMIT_NICHES, SUBMIT_POST, type MyPost } from './post-operations';

export interface SubmitPostValues {
  url: string;
  nicheId: string;
  creditsPerShare: string;
  budget: string;
}

/** The checks made before sending; the balance itself is the server's to judge. */
export function validateSubmitPost(values: SubmitPostValues): Record<string, string | undefined> {
  const perShare = Number(values.creditsPerShare);
  const budget = Number(values.budget);
  return {
    url: !values.url
      ? 'Paste the address of the page to share'
      : !isWebAddress(values.url)
        ? 'Enter a full web address, starting with https://'
        : undefined,
    nicheId: !values.nicheId ? 'Choose a niche' : undefined,
    creditsPerShare:
      values.creditsPerShare === '' || !Number.isInteger(perShare) || perShare < 1
        ? 'Offer a whole number of credits, at least 1'
        : undefined,
    budget:
      values.budget === '' || !Number.isInteger(budget) || budget < 1
        ? 'Set a whole number of credits'
        : Number.isInteger(perShare) && perShare >= 1 && budget < perShare
          ? `The budget must pay for at least one share (${formatCredits(perShare)})`
          : undefined,
  };
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Submitting a page for peers to share: what it pays per share and the budget held for it. */
export function SubmitPostForm({ onSubmitted }: { onSubmitted: (post: MyPost) => void }) {
  const viewer = useViewer();
  const session = useSession();
  const toast = useToast();
  const niches = useGraphqlQuery(SUBMIT_NICHES);
  const { mutateAsync: submitPost, isPending: pending } = useGraphqlMutation(SUBMIT_POST);
  const [perShare, setPerShare] = useState('5');
  const [budget, setBudget] = useState('50');
  const [showOptional, setShowOptional] = useState(false);
  const { formRef, errors, showInvalid, showError, clear } = useFormErrors({
    fields: ['url', 'nicheId', 'title', 'summary', 'suggestedMessage', 'creditsPerShare', 'budget'],
    codeFields: { INSUFFICIENT_CREDITS: 'budget' },
  });

  const joined = new Set(viewer.member.niches.map((n) => n.id));
  const nicheOptions = [...(niches.data?.niches ?? viewer.member.niches)].sort(
    (a, b) => Number(joined.has(b.id)) - Number(joined.has(a.id)),
  );
  // An error on an optional field opens them, so the field can be seen and focused.
  const optionalOpen = showOptional || Boolean(errors.fields.title || errors.fields.summary || errors.fields.suggestedMessage);
  const shares = Number(perShare) > 0 ? Math.floor(Number(budget) / Number(perShare)) : 0;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const values = { url: text('url'), nicheId: text('nicheId'), creditsPerShare: perShare.trim(), budget: budget.trim() };
    if (showInvalid(validateSubmitPost(values))) return;
    try {
      const result = await submitPost({
        input: {
          url: values.url,
          nicheId: values.nicheId,
          title: text('title') || undefined,
          summary: text('summary') || undefined,
          suggestedMessage: text('suggestedMessage') || undefined,
          creditsPerShare: Number(values.creditsPerShare),
          budget: Number(values.budget),
        },
      });
      clear();
      form.reset();
      toast.success('Submitted — a moderator will review it shortly');
      onSubmitted(result.submitPost);
      void session.reload();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form card" aria-labelledby="submit-post-title">
      <h2 id="submit-post-title" className="card__title">
        Submit a post
      </h2>
      <FormAlert message={errors.message} />
      <TextField
        label="Page address"
        name="url"
        type="url"
        inputMode="url"
        placeholder="https://"
        required
        hint="We fetch the page's title, summary and image for the preview."
        error={errors.fields.url}
      />
      <SelectField label="Niche" name="nicheId" required defaultValue={viewer.member.niches[0]?.id ?? ''} error={errors.fields.nicheId}>
        <option value="" disabled>
          Choose a niche
        </option>
        {nicheOptions.map((niche) => (
          <option key={niche.id} value={niche.id}>
            {niche.name}
          </option>
        ))}
      </SelectField>
      <div className="form__row">
        <TextField
          label="Credits per share"
          name="creditsPerShare"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={perShare}
          onChange={(event) => setPerShare(event.target.value)}
          error={errors.fields.creditsPerShare}
        />
        <TextField
          label="Budget"
          name="budget"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={budget}
          onChange={(event) => setBudget(event.target.value)}
          hint={`You have ${formatCredits(viewer.creditBalance)}.${shares > 0 ? ` Pays for ${shares} ${shares === 1 ? 'share' : 'shares'}.` : ''}`}
          error={errors.fields.budget}
        />
      </div>
      <button type="button" className="link-button" aria-expanded={optionalOpen} onClick={() => setShowOptional(!optionalOpen)}>
        {optionalOpen ? 'Hide' : 'Add'} title, summary and suggested message
      </button>
      <div hidden={!optionalOpen} className="form">
        <TextField label="Title" name="title" hint="Leave empty to use the page's own title." error={errors.fields.title} />
        <TextAreaField label="Summary" name="summary" rows={2} error={errors.fields.summary} />
        <TextAreaField
          label="Suggested message"
          name="suggestedMessage"
          rows={2}
          hint="What sharers start from; they can edit it."
          error={errors.fields.suggestedMessage}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Submitting…' : 'Submit for review'}
        </button>
      </div>
    </form>
  );
}
