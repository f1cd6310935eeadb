import { useEffect, useRef, useState } from 'react';
import { NETWORK_NAMES, statusLabel } from '../../ui/badge';
import type { MyShare } from './share-operations';

/**
 * Tells screen-reader users when a share changes status while they watch (posting → posted),
 * without announcing the whole list on every poll.
 */
export function ShareStatusAnnouncer({ shares }: { shares: readonly MyShare[] }) {
  const previous = useRef<Map<string, string>>(undefined);
  const [message, setMessage] = useState('');

  useEffect(() => {
    const before = previous.current;
    const now = new Map(shares.map((s) => [s.id, s.status]));
    previous.current = now;
    if (!before) return;
    const changed = shares.filter((s) => before.has(s.id) && before.get(s.id) !== s.status);
    if (changed.length > 0) {
      setMessage(changed.map((s) => `“${s.post.title}” on ${NETWORK_NAMES[s.channel.network]}: ${statusLabel(s.status)}`).join('. '));
    }
  }, [shares]);

  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
