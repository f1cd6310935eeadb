import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../../api/error-text';
import { operationKey, useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import { SHARE_FEED } from '../feed/feed-operations';
import { useSession, useViewer } from '../../session/session';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { ALL_NICHES, JOIN_NICHE, LEAVE_NICHE } from './niche-operations';

/** Every niche as a toggle: joined niches fill the member's feed. */
export function NicheMembership() {
  const viewer = useViewer();
  const { updateViewer } = useSession();
  const toast = useToast();
  const queryClient = useQueryClient();
  const niches = useGraphqlQuery(ALL_NICHES);
  const joinNiche = useGraphqlMutation(JOIN_NICHE);
  const leaveNiche = useGraphqlMutation(LEAVE_NICHE);
  const [busy, setBusy] = useState<string>();
  const joined = new Set(viewer.member.niches.map((n) => n.id));

  const toggle = async (id: string, name: string) => {
    setBusy(id);
    try {
      const member = joined.has(id)
        ? (await leaveNiche.mutateAsync({ nicheId: id })).leaveNiche.member
        : (await joinNiche.mutateAsync({ nicheId: id })).joinNiche.member;
      updateViewer((v) => ({ ...v, member: { ...v.member, niches: member.niches } }));
      // Another niche, other posts: the feed reads again.
      void queryClient.invalidateQueries({ queryKey: operationKey(SHARE_FEED) });
      toast.success(joined.has(id) ? `You left ${name}` : `You joined ${name}`);
    } catch (error) {
      toast.error(errorText(error));
    } finally {
      setBusy(undefined);
    }
  };

  if (niches.isPending) return <SkeletonList count={1} variant="row" label="Loading niches" />;
  if (niches.error) return <QueryError error={niches.error} retry={() => void niches.refetch()} />;
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
