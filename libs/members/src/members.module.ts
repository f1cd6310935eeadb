import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/index.js';
import { LedgerModule } from '../../ledger/src/index.js';
import { MembersService } from './members.service.js';
import { NichesService } from './niches.service.js';

@Module({ imports: [AuditModule, LedgerModule], providers: [MembersService, NichesService], exports: [MembersService, NichesService] })
export class MembersModule {}
