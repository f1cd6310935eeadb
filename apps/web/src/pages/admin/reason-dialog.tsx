import { useState, type FormEvent, type ReactNode } from 'react';
import { Dialog } from '../../ui/dialog';
import { FormAlert, TextAreaField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';

/**
 * A confirmation that asks why: suspending, reinstating, resuming. The reason goes to the audit
 * log; errors from the action are shown in the dialog.
 */
export function ReasonDialog({
  title,
  description,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
  children?: ReactNode;
}) {
  const [pending, setPending] = useState(false);
  const { formRef, errors, showInvalid, showError } = useFormErrors({ fields: ['reason'] });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    if (
      showInvalid({
        reason:
          reason.length < 3
            ? 'Give a reason of at least 3 characters'
            : reason.length > 500
              ? 'A reason is at most 500 characters'
              : undefined,
      })
    )
      return;
    setPending(true);
    try {
      await onConfirm(reason);
    } catch (error) {
      showError(error);
      setPending(false);
    }
  };

  return (
    <Dialog open title={title} description={description} onClose={onClose} size="small">
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert message={errors.message} />
        {children}
        <TextAreaField label="Reason" name="reason" rows={3} data-autofocus hint="Kept in the audit log." error={errors.fields.reason} />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={`button ${danger ? 'button--danger' : 'button--primary'}`} disabled={pending}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
