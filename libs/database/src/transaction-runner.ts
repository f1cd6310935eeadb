import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { pgConnectionSettings } from './data-source-options.js';
import { isRetryableTransactionError } from './postgres-errors.js';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** One open transaction, passed explicitly down a use case. */
export interface Tx {
  readonly manager: EntityManager;
  /** Rows of a statement (SELECT, or INSERT/UPDATE/DELETE … RETURNING). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Rows and the number of rows a statement touched. */
  execute<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** Runs once the transaction has committed (events, enqueueing); never on rollback. */
  afterCommit(callback: () => unknown): void;
}

export interface TransactionOptions {
  readonly isolation?: IsolationLevel;
  /** Attempts in all, counting the first; serialization failures and deadlocks are retried. */
  readonly attempts?: number;
}

const DEFAULT_ATTEMPTS = 6;
/** Connections for queryPrepared: hot reads only, each one quick. */
const PLANNED_ONCE_CONNECTIONS = 6;
const BASE_BACKOFF_MS = 5;

/**
 * The one place that opens transactions and retries serialization failures and
 * deadlocks (40001, 40P01) with jittered exponential backoff, so those never
 * reach a caller as errors.
 */
@Injectable()
export class TransactionRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('TransactionRunner');
  private plannedOnce: pg.Pool | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** One statement on its own (autocommit): for reads that need no transaction. */
  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params as unknown[] | undefined, true);
      return (result.records ?? []) as T[];
    } finally {
      await runner.release();
    }
  }

  /**
   * A read that runs often with the same text, as a prepared statement planned
   * once per connection, whatever its parameters: worth it for a large query
   * such as the share feed, whose planning costs more than its execution and
   * whose plan does not depend on the values (Postgres's own choice between a
   * plan per call and one plan misjudges it at a million posts). These run on a
   * few connections of their own, set to keep one plan per statement.
   */
  async queryPrepared<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const name = `sp_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    return (await this.plannedOncePool().query({ name, text: sql, values: params as unknown[] })).rows as T[];
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.plannedOnce;
    this.plannedOnce = undefined;
    await pool?.end();
  }

  private plannedOncePool(): pg.Pool {
    if (!this.plannedOnce) {
      this.plannedOnce = new pg.Pool({
        ...pgConnectionSettings(this.dataSource.options),
        max: PLANNED_ONCE_CONNECTIONS,
        options: '-c plan_cache_mode=force_generic_plan',
      });
      this.plannedOnce.on('error', (error) => this.logger.warn(`an idle connection of the prepared-read pool failed: ${error.message}`));
    }
    return this.plannedOnce;
  }

  /**
   * One statement as a transaction of its own (autocommit: one round trip, no
   * BEGIN or COMMIT), retried like run(). For a use case that is a single
   * statement, such as a call to one of the database's functions.
   */
  async atomic<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options: TransactionOptions = {}): Promise<T[]> {
    return this.retrying(() => this.query<T>(sql, params), options.attempts);
  }

  async run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.retrying(() => this.runOnce(work, options.isolation), options.attempts);
  }

  private async retrying<T>(once: () => Promise<T>, attempts = DEFAULT_ATTEMPTS): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (error) {
        if (!isRetryableTransactionError(error) || attempt >= attempts) throw error;
        const delay = Math.random() * BASE_BACKOFF_MS * 2 ** attempt;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async runOnce<T>(work: (tx: Tx) => Promise<T>, isolation: IsolationLevel | undefined): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const callbacks: Array<() => unknown> = [];
    await runner.connect();
    try {
      await runner.startTransaction(isolation);
      const result = await work(createTx(runner, callbacks));
      await runner.commitTransaction();
      for (const callback of callbacks) {
        try {
          await callback();
        } catch (error) {
          this.logger.error(`after-commit callback failed: ${(error as Error).message}`, (error as Error).stack);
        }
      }
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

function createTx(runner: QueryRunner, callbacks: Array<() => unknown>): Tx {
  const execute = async <T>(sql: string, params?: readonly unknown[]) => {
    const result = await runner.query(sql, params as unknown[] | undefined, true);
    return { rows: (result.records ?? []) as T[], rowCount: result.affected ?? result.records?.length ?? 0 };
  };
  return {
    manager: runner.manager,
    execute,
    query: async <T>(sql: string, params?: readonly unknown[]) => (await execute<T>(sql, params)).rows,
    afterCommit: (callback) => callbacks.push(callback),
  };
}
