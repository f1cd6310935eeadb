import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { ApiError } from '../../api/api-error';
import { graphqlQueryOptions, useGraphqlMutation } from '../../api/graphql-queries';
import { useApi } from '../../api/api-context';
import { SESSION_VIEWER_KEY, useViewer } from '../../session/session';
import { useConfirm } from '../../ui/confirm';
import { formatCredits, formatSigned } from '../../ui/display-format';
import { FormAlert, TextAreaField, TextField } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormErrors } from '../../ui/use-form-errors';
import { ADJUST_CREDITS, MEMBER_BY_HANDLE } from './admin-operations';

/** A signed correction to a member's balance, recorded in their ledger with the reason. */
const route = getRouteApi('/member/admin/$section');

export function CreditAdjustmentSection() {
  const client = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const { handle: givenHandle } = route.useSearch();
  const viewer = useViewer();
  const adjustCredits = useGraphqlMutation(ADJUST_CREDITS, {
    // An admin may correct their own balance.
    onSuccess: (_result, { input }) => {
      if (input.memberId === viewer.member.id) void queryClient.invalidateQueries({ queryKey: SESSION_VIEWER_KEY });
    },
  });
  const [pending, setPending] = useState(false);
  const { formRef, errors, showInvalid, showError, clear } = useFormErrors({
    fields: ['handle', 'amount', 'reason'],
    codeFields: { INSUFFICIENT_CREDITS: 'amount' },
  });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const handle = String(data.get('handle') ?? '')
      .trim()
      .replace(/^@/, '')
      .toLowerCase();
    const amountText = String(data.get('amount') ?? '').trim();
    const amount = Number(amountText);
    const reason = String(data.get('reason') ?? '').trim();
    const invalid = showInvalid({
      handle: !handle ? 'Enter the member’s handle' : undefined,
      amount:
        amountText === '' || !Number.isInteger(amount) || amount === 0
          ? 'Enter a whole number other than 0: negative to take credits away'
          : undefined,
      reason: reason.length < 3 ? 'Give a reason of at least 3 characters' : undefined,
    });
    if (invalid) return;
    setPending(true);
    try {
      // Asked afresh each time: the member may have changed since the last adjustment.
      const found = await queryClient.fetchQuery({ ...graphqlQueryOptions(client, MEMBER_BY_HANDLE, { handle }), staleTime: 0 });
      if (!found.member) {
        showInvalid({ handle: `No member has the handle @${handle}` });
        return;
      }
      const ok = await confirm({
        title: `${formatSigned(amount)} credits for @${found.member.handle}?`,
        message: `${found.member.displayName}'s balance changes by ${formatCredits(amount)}. The reason is shown in their statement.`,
        confirmLabel: 'Adjust credits',
        danger: amount < 0,
      });
      if (!ok) return;
      const result = await adjustCredits.mutateAsync({ input: { memberId: found.member.id, amount, reason } });
      form.reset();
      clear();
      toast.success(`@${found.member.handle}: ${formatSigned(amount)} credits, balance now ${result.adjustCredits.balanceAfter}`);
    } catch (error) {
      // The server names `memberId`; the form knows the member by handle.
      if (error instanceof ApiError && error.first.extensions?.field === 'memberId') showInvalid({ handle: error.message });
      else showError(error);
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form card narrow" aria-labelledby="adjust-title">
      <h2 id="adjust-title" className="card__title">
        Adjust a member's credits
      </h2>
      <FormAlert message={errors.message} />
      <TextField label="Member handle" name="handle" defaultValue={givenHandle ?? ''} autoCapitalize="none" error={errors.fields.handle} />
      <TextField
        label="Amount"
        name="amount"
        type="number"
        inputMode="numeric"
        step={1}
        hint="Positive adds credits, negative takes them away."
        error={errors.fields.amount}
      />
      <TextAreaField
        label="Reason"
        name="reason"
        rows={2}
        hint="Shown in the member's statement and the audit log."
        error={errors.fields.reason}
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Adjusting…' : 'Adjust credits'}
        </button>
      </div>
    </form>
  );
}
