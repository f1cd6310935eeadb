import { useState } from 'react';
import { useApi, useQuery } from '../../api/api-context';
import { errorText } from '../../api/error-text';
import { useSession, useViewer } from '../../session/session';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { ALL_NICHES, JOIN_NICHE, LEAVE_NICHE } from './niche-operations';

/** Every niche as a toggle: joined niches fill the member's feed. */
export function NicheMembership() {
  const client = useApi();
  const viewer = useViewer();
  const { updateViewer } = useSession();
  const toast = useToast();
  const niches = useQuery(ALL_NICHES);
  const [busy, setBusy] = useState<string>();
  const joined = new Set(viewer.member.niches.map((n) => n.id));

  const toggle = async (id: string, name: string) => {
    setBusy(id);
    try {
      const member = joined.has(id)
        ? (await client.request(LEAVE_NICHE, { nicheId: id })).leaveNiche.member
        : (await client.request(JOIN_NICHE, { nicheId: id })).joinNiche.member;
      updateViewer((v) => ({ ...v, member: { ...v.member, niches: member.niches } }));
      toast.success(joined.has(id) ? `You left ${name}` : `You joined ${name}`);
    } catch (error) {
      toast.error(errorText(error));
    } finally {
      setBusy(undefined);
    }
  };

  if (niches.loading) return <SkeletonList count={1} variant="row" label="Loading niches" />;
  if (niches.error) return <QueryError error={niches.error} retry={niches.refetch} />;
  if (niches.data!.niches.length === 0) return <p className="muted">No niches yet: an admin creates them.</p>;
  return (
    <ul className="chip-list" aria-label="Niches">
      {niches.data!.niches.map((niche) => (
        <li key={niche.id}>
          <button
            type="button"
            className="chip"
            aria-pressed={joined.has(niche.id)}
            disabled={busy === niche.id}
            onClick={() => void toggle(niche.id, niche.name)}
          >
            {joined.has(niche.id) && <span aria-hidden="true">✓ </span>}
            {niche.name}
          </button>
        </li>
      ))}
    </ul>
  );
}
