import { Module } from '@nestjs/common';
import { AuditModule } from '@sharepool/audit';
import { LedgerStatementService } from './ledger-statement.service.js';
import { LedgerService } from './ledger.service.js';

@Module({ imports: [AuditModule], providers: [LedgerService, LedgerStatementService], exports: [LedgerService, LedgerStatementService] })
export class LedgerModule {}
