import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@sharepool/config';
import { dataSourceOptions } from './data-source-options.js';
import { DatabaseChanges } from './database-changes.js';
import { LiveEvents } from './live-events.js';
import { TransactionRunner } from './transaction-runner.js';

/** The app's DataSource (entities registered by each domain module), the transaction runner and the change listener. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions({ url: requireUrl(config.databaseUrl), applicationName: 'sharepool' }),
        autoLoadEntities: true,
      }),
    }),
  ],
  providers: [TransactionRunner, DatabaseChanges, LiveEvents],
  exports: [TransactionRunner, DatabaseChanges, LiveEvents],
})
export class DatabaseModule {}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('The database URL is not resolved yet: start the embedded services first');
  return url;
}
