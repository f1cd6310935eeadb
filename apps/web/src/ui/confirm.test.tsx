import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ConfirmProvider, useConfirm } from './confirm';

function RevokeButton() {
  const confirm = useConfirm();
  const [answer, setAnswer] = useState('none');
  return (
    <main>
      <button
        type="button"
        onClick={async () =>
          setAnswer(
            String(await confirm({ title: 'Revoke “CMS”?', message: 'Apps stop working.', confirmLabel: 'Revoke key', danger: true })),
          )
        }
      >
        Revoke
      </button>
      <p>answer: {answer}</p>
    </main>
  );
}

function renderConfirm() {
  return render(
    <ConfirmProvider>
      <RevokeButton />
    </ConfirmProvider>,
  );
}

describe('confirm dialog', () => {
  it('starts on Cancel for a destructive action and keeps Tab inside the dialog', async () => {
    const user = userEvent.setup();
    renderConfirm();
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “CMS”?' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Revoke key' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Revoke key' })).toHaveFocus();
  });

  it('makes the page behind inert while open', async () => {
    const user = userEvent.setup();
    const { container } = renderConfirm();
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(container).toHaveAttribute('inert');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(container).not.toHaveAttribute('inert');
  });

  it('answers no on Escape and gives focus back to the button that opened it', async () => {
    const user = userEvent.setup();
    renderConfirm();
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByText('answer: false')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Revoke' })).toHaveFocus();
  });

  it('answers yes on confirm', async () => {
    const user = userEvent.setup();
    renderConfirm();
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    await user.click(screen.getByRole('button', { name: 'Revoke key' }));
    expect(await screen.findByText('answer: true')).toBeInTheDocument();
  });
});
