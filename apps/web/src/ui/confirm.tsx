import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { Dialog } from './dialog';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** red confirm button for what cannot be undone */
  danger?: boolean;
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | null>(null);

/** Confirmation for destructive actions: `if (await confirm({...})) …`. Focus starts on Cancel. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<(answer: boolean) => void>(undefined);

  const confirm = useCallback<Confirm>((options) => {
    resolver.current?.(false);
    setPending(options);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const answer = (value: boolean) => {
    resolver.current?.(value);
    resolver.current = undefined;
    setPending(null);
  };

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Dialog open={pending !== null} title={pending?.title} onClose={() => answer(false)} size="small">
        <div className="dialog__message">{pending?.message}</div>
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" data-autofocus onClick={() => answer(false)}>
            Cancel
          </button>
          <button type="button" className={`button ${pending?.danger ? 'button--danger' : 'button--primary'}`} onClick={() => answer(true)}>
            {pending?.confirmLabel}
          </button>
        </div>
      </Dialog>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm needs a <ConfirmProvider>');
  return confirm;
}
