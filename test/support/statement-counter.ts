import pg from 'pg';

/**
 * Counts the SQL statements the app sends while `work` runs, by watching every
 * pg client's `query`. Use it around one request at a time.
 */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]) {
    const config = args[0];
    statements.push(typeof config === 'string' ? config : String(config?.text ?? config));
    return (original as (...a: any[]) => any).apply(this, args);
  } as typeof original;
  try {
    return { result: await work(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
