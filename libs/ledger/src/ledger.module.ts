import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sharepool/audit';
import { NotificationsModule } from '@sharepool/notifications';
import { LedgerAccountEntity } from './ledger-account.entity.js';
import { LedgerBalanceView } from './ledger-balance.view.js';
import { LedgerEntryEntity } from './ledger-entry.entity.js';
import { LedgerStatementService } from './ledger-statement.service.js';
import { LedgerTransferEntity } from './ledger-transfer.entity.js';
import { LedgerService } from './ledger.service.js';

/** The ledger's tables. */
export const LEDGER_ENTITIES = [LedgerAccountEntity, LedgerTransferEntity, LedgerEntryEntity, LedgerBalanceView];

@Module({
  imports: [AuditModule, NotificationsModule, TypeOrmModule.forFeature(LEDGER_ENTITIES)],
  providers: [LedgerService, LedgerStatementService],
  exports: [LedgerService, LedgerStatementService],
})
export class LedgerModule {}
