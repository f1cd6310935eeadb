import { useQueryClient } from '@tanstack/react-query';
import { graphqlKey, useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import type { ResultOf } from '../../graphql/graphql';
import { errorText } from '../../api/error-text';
import { Badge } from '../../ui/badge';
import { useConfirm } from '../../ui/confirm';
import { formatDate, formatRelative } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { MY_API_KEYS, REVOKE_API_KEY, type ApiKeyRow } from './api-key-operations';
import { CreateApiKeyForm } from './create-api-key-form';

export default function ApiKeysPage() {
  const queryClient = useQueryClient();
  const keys = useGraphqlQuery(MY_API_KEYS);
  const confirm = useConfirm();
  const toast = useToast();

  /** Shows a key as the server answered it (created, or revoked), first in the list. */
  const replace = (key: ApiKeyRow) =>
    queryClient.setQueryData<ResultOf<typeof MY_API_KEYS>>(graphqlKey(MY_API_KEYS), (data) =>
      data ? { viewer: { ...data.viewer, apiKeys: [key, ...data.viewer.apiKeys.filter((k) => k.id !== key.id)] } } : data,
    );
  const revokeApiKey = useGraphqlMutation(REVOKE_API_KEY, { onSuccess: (result) => replace(result.revokeApiKey) });

  const revoke = async (key: ApiKeyRow) => {
    const ok = await confirm({
      title: `Revoke “${key.name}”?`,
      message: 'Apps using this key stop working at once. This cannot be undone.',
      confirmLabel: 'Revoke key',
      danger: true,
    });
    if (!ok) return;
    try {
      await revokeApiKey.mutateAsync({ id: key.id });
      toast.success(`“${key.name}” revoked`);
    } catch (error) {
      toast.error(errorText(error));
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="API keys"
        description={
          <>
            Let a partner app (a CMS plugin, a browser extension) act for you through the GraphQL API, limited to the permissions you
            choose.
          </>
        }
      />
      <CreateApiKeyForm onCreated={replace} />
      <section className="section" aria-labelledby="keys-title">
        <h2 id="keys-title">Your keys</h2>
        {keys.isPending ? (
          <SkeletonList count={2} variant="row" label="Loading your keys" />
        ) : keys.error ? (
          <QueryError error={keys.error} retry={() => void keys.refetch()} />
        ) : keys.data!.viewer.apiKeys.length === 0 ? (
          <EmptyState title="No API keys yet">Create one above when an app asks for a Sharepool key.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Permissions</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data!.viewer.apiKeys.map((key) => (
                  <tr key={key.id} className={key.revokedAt ? 'row--muted' : undefined}>
                    <th scope="row">{key.name}</th>
                    <td>
                      <code>{key.prefix}…</code>
                    </td>
                    <td>
                      {key.scopes.map((scope) => (
                        <Badge key={scope}>{scope.toLowerCase()}</Badge>
                      ))}
                    </td>
                    <td>{formatDate(key.createdAt)}</td>
                    <td>{key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'Never'}</td>
                    <td className="actions-cell">
                      {key.revokedAt ? (
                        <Badge tone="danger">Revoked</Badge>
                      ) : (
                        <button type="button" className="button button--secondary button--small" onClick={() => void revoke(key)}>
                          Revoke <span className="visually-hidden">{key.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
