import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { serverAudits } from 'graphql-http';
import { renderSchema } from '../apps/api/src/graphql/schema-printer.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('the API foundation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /health while the process is alive', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports /ready only when Postgres and Redis answer', async () => {
    const res = await t.http.get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
  });

  it('serves Prometheus metrics with HTTP and GraphQL latency', async () => {
    await t.gql('query Ping { __typename }');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('sharepool_http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/sharepool_graphql_operation_duration_seconds_count\{operation="Ping",type="query",outcome="ok"\} \d+/);
  });

  it('reports the cost of each operation in extensions.cost', async () => {
    const res = await t.gql('{ node(id: "x") { id } }');
    expect(res.extensions?.cost).toBeGreaterThanOrEqual(1);
  });

  it('returns null from node() for an id that is not one of ours', async () => {
    const res = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: 'not-an-id' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ node: null });
  });

  it('hides an unexpected failure behind INTERNAL_SERVER_ERROR with the id of its request', async () => {
    // A table gone from under the API: an error nobody planned for.
    await t.sql.query(`ALTER TABLE niches RENAME TO niches_away`);
    try {
      const res = await t.gql('{ niches { id } }', {}, { headers: { 'x-request-id': 'req-unplanned-0001' } });
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: 'Internal server error (request id req-unplanned-0001)',
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-unplanned-0001' },
        }),
      ]);
      expect(JSON.stringify(res.errors)).not.toMatch(/relation|does not exist|SELECT/);
    } finally {
      await t.sql.query(`ALTER TABLE niches_away RENAME TO niches`);
    }
  });

  it('answers a body over 100 kB with 413 and a GraphQL error', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: `{ __typename } # ${'x'.repeat(110_000)}` });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers malformed JSON with 400 and a GraphQL error', async () => {
    const res = await t.http.post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers a query that does not parse with 400 and BAD_USER_INPUT', async () => {
    const res = await t.gql('{ node(id: ');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses batched request arrays', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('passes every MUST audit of the GraphQL-over-HTTP specification', async () => {
    const failures: string[] = [];
    for (const audit of serverAudits({ url: `${t.url}/graphql` })) {
      if (!audit.name.startsWith('MUST')) continue;
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });

  it('serves exactly the schema committed in apps/api/schema.graphql', () => {
    const served = renderSchema(t.app.get(GraphQLSchemaHost).schema);
    expect(readFileSync('apps/api/schema.graphql', 'utf8')).toBe(served);
  });
});
