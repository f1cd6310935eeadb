import { useState, type ReactNode } from 'react';

/** Copies a secret to the clipboard and says so, on screen and to screen readers. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2_500);
  };
  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={copy}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copying failed: select the text and copy it yourself' : ''}
      </span>
    </>
  );
}

/** A secret shown once: the value, a copy button and the warning that it will not be shown again. */
export function SecretReveal({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="secret">
      <p className="secret__label">{label}</p>
      <div className="secret__row">
        <code className="secret__value" aria-label={label} tabIndex={0}>
          {value}
        </code>
        <CopyButton value={value} label={`Copy ${lowerFirstWord(label)}`} />
      </div>
      <p className="secret__warning">{children ?? 'Copy it now: it will not be shown again.'}</p>
    </div>
  );
}

/** "Signing secret" → "signing secret", but an acronym stays: "API key secret". */
function lowerFirstWord(label: string): string {
  const [first = '', ...rest] = label.split(' ');
  return [first === first.toUpperCase() ? first : first.toLowerCase(), ...rest].join(' ');
}
