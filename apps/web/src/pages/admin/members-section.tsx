import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { replaceConnectionNode } from '../../api/cache-updates';
import { useConnectionQuery } from '../../api/connection-query';
import { errorText } from '../../api/error-text';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { MEMBER_STATUSES, ROLES } from '../../app/route-search';
import { isAdmin } from '../../session/session-viewer';
import { useViewer } from '../../session/session';
import { StatusBadge } from '../../ui/badge';
import { useConfirm } from '../../ui/confirm';
import { formatDate } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { MEMBERS, REINSTATE_MEMBER, SET_ROLE, SUSPEND_MEMBER, type AdminMember } from './admin-operations';
import { ReasonDialog } from './reason-dialog';

type Role = (typeof ROLES)[number];
const route = getRouteApi('/member/admin/$section');

/** Waits until typing pauses before searching, so each keystroke is not a request. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function MembersSection() {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const params = route.useSearch();
  const navigate = route.useNavigate();
  const setParams = (next: Partial<typeof params>) =>
    void navigate({ search: (previous) => ({ ...previous, ...next }), replace: true, resetScroll: false });
  const [search, setSearch] = useState(params.q ?? '');
  const query = useDebounced(search.trim(), 300);
  const { status, role } = params;
  const members = useConnectionQuery(
    MEMBERS,
    { first: 25, after: null, search: query || null, status: status ?? null, role: role ?? null },
    (data) => data.members,
  );
  const [acting, setActing] = useState<{ kind: 'suspend' | 'reinstate'; member: AdminMember }>();
  const showMember = (member: AdminMember) => replaceConnectionNode(queryClient, MEMBERS, member);
  const setRole = useGraphqlMutation(SET_ROLE, { onSuccess: (result) => showMember(result.setRole) });
  const suspendMember = useGraphqlMutation(SUSPEND_MEMBER, { onSuccess: (result) => showMember(result.suspendMember) });
  const reinstateMember = useGraphqlMutation(REINSTATE_MEMBER, { onSuccess: (result) => showMember(result.reinstateMember) });

  const changeRole = async (member: AdminMember, next: Role) => {
    const ok = await confirm({
      title: `Make @${member.handle} ${next === 'MEMBER' ? 'a member' : next === 'MODERATOR' ? 'a moderator' : 'an admin'}?`,
      message: next === 'ADMIN' ? 'Admins can change roles, credits and pause all sharing.' : 'Their permissions change at once.',
      confirmLabel: 'Change role',
      danger: next === 'ADMIN',
    });
    if (!ok) return;
    try {
      await setRole.mutateAsync({ input: { memberId: member.id, role: next } });
      toast.success(`@${member.handle} is now ${next.toLowerCase()}`);
    } catch (error) {
      toast.error(errorText(error));
    }
  };

  return (
    <section aria-label="Members" className="section">
      <div className="filters">
        <div className="field">
          <label htmlFor="member-search" className="field__label">
            Search members
          </label>
          <input
            id="member-search"
            type="search"
            className="input"
            placeholder="Handle, email or name"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setParams({ q: event.target.value || undefined });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="member-status" className="field__label">
            Status
          </label>
          <select
            id="member-status"
            className="input select"
            value={status ?? ''}
            onChange={(e) => setParams({ status: MEMBER_STATUSES.find((s) => s === e.target.value) })}
          >
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="SUSPENDED">Suspended</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="member-role" className="field__label">
            Role
          </label>
          <select
            id="member-role"
            className="input select"
            value={role ?? ''}
            onChange={(e) => setParams({ role: ROLES.find((r) => r === e.target.value) })}
          >
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.charAt(0) + r.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
      </div>

      {members.loading ? (
        <SkeletonList count={4} variant="row" label="Loading members" />
      ) : members.error ? (
        <QueryError error={members.error} retry={() => void members.refetch()} />
      ) : members.nodes.length === 0 ? (
        <EmptyState title="No members match">Try another search or filter.</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.nodes.map((member) => (
                  <tr key={member.id}>
                    <th scope="row">
                      {member.displayName} <span className="muted">@{member.handle}</span>
                    </th>
                    <td>
                      {isAdmin(viewer) && member.id !== viewer.member.id ? (
                        <select
                          className="input select input--compact"
                          aria-label={`Role of @${member.handle}`}
                          value={member.role}
                          onChange={(e) => void changeRole(member, e.target.value as Role)}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r.charAt(0) + r.slice(1).toLowerCase()}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <StatusBadge status={member.role} />
                      )}
                    </td>
                    <td>
                      <StatusBadge status={member.status} />
                      {member.suspendedReason && <p className="muted small">{member.suspendedReason}</p>}
                    </td>
                    <td>{formatDate(member.createdAt)}</td>
                    <td className="actions-cell">
                      {member.id !== viewer.member.id &&
                        (member.status === 'SUSPENDED' ? (
                          <button
                            type="button"
                            className="button button--secondary button--small"
                            onClick={() => setActing({ kind: 'reinstate', member })}
                          >
                            Reinstate <span className="visually-hidden">@{member.handle}</span>
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="button button--danger-outline button--small"
                            onClick={() => setActing({ kind: 'suspend', member })}
                          >
                            Suspend <span className="visually-hidden">@{member.handle}</span>
                          </button>
                        ))}
                      {isAdmin(viewer) && (
                        <Link
                          to="/admin/$section"
                          params={{ section: 'credits' }}
                          search={{ handle: member.handle }}
                          className="button button--ghost button--small"
                        >
                          Credits <span className="visually-hidden">of @{member.handle}</span>
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore
            hasMore={members.hasMore}
            loading={members.loadingMore}
            error={members.loadMoreError}
            onLoadMore={() => void members.loadMore()}
          />
        </>
      )}

      {acting?.kind === 'suspend' && (
        <ReasonDialog
          title={`Suspend @${acting.member.handle}?`}
          description="They can no longer log in, submit or share; their scheduled shares are not sent."
          confirmLabel="Suspend member"
          danger
          onClose={() => setActing(undefined)}
          onConfirm={async (reason) => {
            await suspendMember.mutateAsync({ input: { memberId: acting.member.id, reason } });
            toast.success(`@${acting.member.handle} suspended`);
            setActing(undefined);
          }}
        />
      )}
      {acting?.kind === 'reinstate' && (
        <ReasonDialog
          title={`Reinstate @${acting.member.handle}?`}
          description="They can log in and take part again."
          confirmLabel="Reinstate member"
          onClose={() => setActing(undefined)}
          onConfirm={async (reason) => {
            await reinstateMember.mutateAsync({ input: { memberId: acting.member.id, reason } });
            toast.success(`@${acting.member.handle} reinstated`);
            setActing(undefined);
          }}
        />
      )}
    </section>
  );
}
