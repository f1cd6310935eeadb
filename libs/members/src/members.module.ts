import { Module } from '@nestjs/common';
import { AuditModule } from '@sharepool/audit';
import { LedgerModule } from '@sharepool/ledger';
import { MembersService } from './members.service.js';
import { NichesService } from './niches.service.js';

@Module({ imports: [AuditModule, LedgerModule], providers: [MembersService, NichesService], exports: [MembersService, NichesService] })
export class MembersModule {}
