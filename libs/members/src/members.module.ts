import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sharepool/audit';
import { LedgerModule } from '@sharepool/ledger';
import { MemberNicheEntity } from './member-niche.entity.js';
import { MemberDirectoryView, NicheMembershipView } from './member-reads.view.js';
import { MemberEntity } from './member.entity.js';
import { MembersService } from './members.service.js';
import { NicheEntity } from './niche.entity.js';
import { NichesService } from './niches.service.js';

/** The members lib's tables. */
export const MEMBERS_ENTITIES = [MemberEntity, NicheEntity, MemberNicheEntity, MemberDirectoryView, NicheMembershipView];

@Module({
  imports: [AuditModule, LedgerModule, TypeOrmModule.forFeature(MEMBERS_ENTITIES)],
  providers: [MembersService, NichesService],
  exports: [MembersService, NichesService],
})
export class MembersModule {}
