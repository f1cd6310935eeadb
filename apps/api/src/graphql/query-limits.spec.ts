import { buildSchema, parse, validate } from 'graphql';
import { aliasLimit, depthLimit, operationCost } from './query-limits.js';

const schema = buildSchema(`
  type Item { id: ID! child: Item items(first: Int): [Item!]! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type ItemConnection { nodes: [Item!]! pageInfo: PageInfo! totalCount: Int! }
  type Query { item: Item items(first: Int): [Item!]! connection(first: Int): ItemConnection! }
`);

const nested = (levels: number) => `{ ${'item { '.repeat(levels - 1)}id${' }'.repeat(levels - 1)} }`;
const errorsOf = (query: string, rule: ReturnType<typeof depthLimit>) => validate(schema, parse(query), [rule]).map((e) => e.message);

describe('query limits', () => {
  it('accepts a query nested 10 levels deep', () => {
    expect(errorsOf(nested(10), depthLimit(10))).toEqual([]);
  });

  it('refuses a query nested 11 levels deep', () => {
    expect(errorsOf(nested(11), depthLimit(10))).toEqual(['Query is nested 11 levels deep; the limit is 10']);
  });

  it('counts depth through fragments', () => {
    const query = `{ item { ...A } } fragment A on Item { child { child { child { child { child { child { child { child { child { id } } } } } } } } } }`;
    expect(errorsOf(query, depthLimit(10))).toHaveLength(1);
  });

  it('does not count introspection against the depth limit', () => {
    const query = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }`;
    expect(errorsOf(query, depthLimit(10))).toEqual([]);
  });

  it('accepts 15 aliases and refuses 16', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: item { id }`).join(' ')} }`;
    expect(errorsOf(aliased(15), aliasLimit(15))).toEqual([]);
    expect(errorsOf(aliased(16), aliasLimit(15))).toEqual(['Query uses 16 aliases; the limit is 15']);
  });

  it('costs a paginated field its children times the page size', () => {
    expect(operationCost(schema, parse('{ items(first: 10) { id } }'), undefined, {})).toBe(11);
    expect(operationCost(schema, parse('{ items(first: 10) { id items(first: 100) { id } } }'), undefined, {})).toBe(1 + 10 * (1 + 101));
  });

  it('costs a page no more than the largest page served, since a larger first is refused', () => {
    expect(operationCost(schema, parse('{ items(first: 1000) { id } }'), undefined, {})).toBe(101);
  });

  it("costs a connection's pageInfo and totalCount once per page, not once per item", () => {
    const query = '{ connection(first: 100) { nodes { id child { id } } pageInfo { hasNextPage endCursor } totalCount } }';
    // 1 for the connection, 3 + 1 for pageInfo and totalCount, 100 × 4 for nodes and what each item selects.
    expect(operationCost(schema, parse(query), undefined, {})).toBe(1 + 4 + 100 * 4);
  });

  it('counts pageInfo per item when a fragment hides its fields', () => {
    const query = '{ connection(first: 10) { nodes { id } pageInfo { ...P } } } fragment P on PageInfo { hasNextPage }';
    expect(operationCost(schema, parse(query), undefined, {})).toBe(1 + 10 * (2 + 2));
  });

  it('reads the page size from variables', () => {
    expect(operationCost(schema, parse('query($n: Int) { items(first: $n) { id } }'), undefined, { n: 50 })).toBe(51);
  });
});
