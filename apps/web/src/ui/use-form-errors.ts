import { useCallback, useEffect, useRef, useState } from 'react';
import { formErrors, type FormErrorOptions, type FormErrors } from '../api/error-text';

/**
 * The errors a form shows. Setting them moves focus to the first invalid field in the form
 * (or to the form-level alert), so keyboard and screen-reader users land on what to fix.
 */
export function useFormErrors(options: FormErrorOptions) {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (version === 0) return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]');
    if (target) {
      if (target.getAttribute('role') === 'alert' && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }, [version]);

  const show = useCallback((next: FormErrors) => {
    setErrors(next);
    if (Object.keys(next.fields).length > 0 || next.message) setVersion((v) => v + 1);
  }, []);

  return {
    formRef,
    errors,
    /** errors found before sending: field → message */
    showInvalid: useCallback(
      (fields: Record<string, string | undefined>) => {
        const present = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => Boolean(entry[1])));
        show({ fields: present });
        return Object.keys(present).length > 0;
      },
      [show],
    ),
    /** an API error sorted into the form's fields */
    showError: (error: unknown) => show(formErrors(error, options)),
    clear: useCallback(() => setErrors({ fields: {} }), []),
  };
}
