import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** What a control needs to be tied to its label, hint and error for screen readers. */
export interface ControlProps {
  id: string;
  name?: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  label: ReactNode;
  name?: string;
  error?: string;
  hint?: ReactNode;
  /** shown after the label, e.g. a live character count */
  aside?: ReactNode;
  /** ids of more text that describes the control, e.g. a count shown below it */
  describedBy?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** A label, the control, a hint and the error under it, the last two announced with the control. */
export function Field({ label, name, error, hint, aside, describedBy: more, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId, more].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <div className="field__label-row">
        <label htmlFor={id} className="field__label">
          {label}
        </label>
        {aside}
      </div>
      {children({ id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'children'> & Omit<FieldProps, 'children'>;

export function TextField({ label, error, hint, aside, describedBy, className, name, ...input }: InputProps) {
  return (
    <Field label={label} error={error} hint={hint} aside={aside} describedBy={describedBy} className={className} name={name}>
      {(control) => <input className="input" {...input} {...control} />}
    </Field>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'children'> & Omit<FieldProps, 'children'>;

export function TextAreaField({ label, error, hint, aside, describedBy, className, name, ...textarea }: TextAreaProps) {
  return (
    <Field label={label} error={error} hint={hint} aside={aside} describedBy={describedBy} className={className} name={name}>
      {(control) => <textarea className="input textarea" {...textarea} {...control} />}
    </Field>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & Omit<FieldProps, 'children'> & { children: ReactNode };

export function SelectField({ label, error, hint, aside, describedBy, className, name, children, ...select }: SelectProps) {
  return (
    <Field label={label} error={error} hint={hint} aside={aside} describedBy={describedBy} className={className} name={name}>
      {(control) => (
        <select className="input select" {...select} {...control}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** A message for the whole form, read out as soon as it appears. */
export function FormAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div className="alert alert--danger" role="alert">
      {message}
    </div>
  );
}
