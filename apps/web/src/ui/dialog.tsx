import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
  /** wider panel for forms with previews */
  size?: 'small' | 'medium' | 'large';
}

/**
 * A modal dialog: focus moves in (to `[data-autofocus]` or the first control), Tab cycles
 * inside, Escape and the backdrop close it, the rest of the page is inert meanwhile, and
 * focus returns to what opened it.
 */
export function Dialog(props: DialogProps) {
  if (!props.open) return null;
  return createPortal(<DialogPanel {...props} />, document.body);
}

function DialogPanel({ title, description, onClose, children, size = 'medium' }: DialogProps) {
  const id = useId();
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const panel = panelRef.current!;
    const container = panel.closest('.dialog-backdrop')!;
    const opener = document.activeElement as HTMLElement | null;
    // Only what this dialog made inert is released, so a dialog over a dialog unwinds cleanly.
    const made = Array.from(document.body.children).filter(
      (el) => el !== container && !el.hasAttribute('inert') && !el.hasAttribute('data-stay-live'),
    );
    made.forEach((el) => el.setAttribute('inert', ''));
    const first = panel.querySelector<HTMLElement>('[data-autofocus]') ?? panel.querySelector<HTMLElement>(FOCUSABLE) ?? panel;
    first.focus();
    return () => {
      made.forEach((el) => el.removeAttribute('inert'));
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = Array.from(panelRef.current!.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (focusable.length === 0) {
      event.preventDefault();
      return;
    }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panelRef}
        className={`dialog dialog--${size}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={description ? `${id}-description` : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog__header">
          <h2 id={`${id}-title`} className="dialog__title">
            {title}
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={() => onClose()}>
            <span aria-hidden="true">×</span>
          </button>
        </header>
        {description && (
          <p id={`${id}-description`} className="dialog__description">
            {description}
          </p>
        )}
        <div className="dialog__body">{children}</div>
      </div>
    </div>
  );
}
