import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { MODERATION_QUEUE as QUEUE } from '../pages/moderation/moderation-operations';
import { MY_SHARES } from '../pages/shares/share-operations';
import { connectionHoldsNode, removeConnectionNode, replaceConnectionNode } from './cache-updates';
import { graphqlKey } from './graphql-queries';

/** The key a list of shares is cached under, with these variables. */
const sharesKey = (variables: { status: 'SCHEDULED' | null }) => graphqlKey(MY_SHARES, { first: 2, after: null, ...variables });

type Page = {
  viewer: { shares: { nodes: { id: string; status: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
};

function sharesPage(nodes: { id: string; status: string }[], endCursor: string | null): Page {
  return { viewer: { shares: { nodes, pageInfo: { hasNextPage: endCursor !== null, endCursor } } } };
}

function cachedPages(client: QueryClient, variables: { status: 'SCHEDULED' | null }): Page[] | undefined {
  return client.getQueryData<InfiniteData<Page>>(sharesKey(variables))?.pages;
}

describe('cache updates', () => {
  it('shows a node as a mutation answered it on every loaded page of every variant of the list', () => {
    const client = new QueryClient();
    const all = { status: null };
    const scheduled = { status: 'SCHEDULED' as const };
    client.setQueryData(sharesKey(all), {
      pages: [
        sharesPage(
          [
            { id: 's1', status: 'POSTED' },
            { id: 's2', status: 'SCHEDULED' },
          ],
          'c2',
        ),
        sharesPage([{ id: 's3', status: 'SCHEDULED' }], null),
      ],
      pageParams: [null, 'c2'],
    });
    client.setQueryData(sharesKey(scheduled), {
      pages: [sharesPage([{ id: 's3', status: 'SCHEDULED' }], null)],
      pageParams: [null],
    });
    const untouched = cachedPages(client, all)![0];

    replaceConnectionNode(client, MY_SHARES, { id: 's3', status: 'CANCELLED' });

    expect(cachedPages(client, all)![1].viewer.shares.nodes).toEqual([{ id: 's3', status: 'CANCELLED' }]);
    expect(cachedPages(client, scheduled)![0].viewer.shares.nodes).toEqual([{ id: 's3', status: 'CANCELLED' }]);
    // A page without the node keeps its identity, so what shows it does not render again.
    expect(cachedPages(client, all)![0]).toBe(untouched);
  });

  it('takes a node out of the list and counts it out of the total', () => {
    const client = new QueryClient();
    client.setQueryData(graphqlKey(QUEUE, { first: 10, after: null }), {
      pages: [
        {
          moderationQueue: {
            totalCount: 2,
            nodes: [
              { id: 'p1', title: 'One' },
              { id: 'p2', title: 'Two' },
            ],
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      ],
      pageParams: [null],
    });
    expect(connectionHoldsNode(client, QUEUE, 'p1')).toBe(true);

    removeConnectionNode(client, QUEUE, 'p1');

    const queue = client.getQueryData<InfiniteData<{ moderationQueue: { totalCount: number; nodes: unknown[] } }>>(
      graphqlKey(QUEUE, { first: 10, after: null }),
    )!.pages[0].moderationQueue;
    expect(queue).toMatchObject({ totalCount: 1, nodes: [{ id: 'p2', title: 'Two' }] });
    expect(connectionHoldsNode(client, QUEUE, 'p1')).toBe(false);
  });

  it('leaves other operations’ lists alone', () => {
    const client = new QueryClient();
    client.setQueryData(['Ledger', {}], { viewer: { ledger: { nodes: [{ id: 's1', amount: 5 }], pageInfo: { hasNextPage: false } } } });
    replaceConnectionNode(client, MY_SHARES, { id: 's1', status: 'POSTED' });
    expect(client.getQueryData(['Ledger', {}])).toEqual({
      viewer: { ledger: { nodes: [{ id: 's1', amount: 5 }], pageInfo: { hasNextPage: false } } },
    });
  });
});
