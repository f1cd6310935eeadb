import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogEntity } from './audit-log.entity.js';
import { AuditLog } from './audit-log.service.js';

/** The audit lib's tables. */
export const AUDIT_ENTITIES = [AuditLogEntity];

@Module({ imports: [TypeOrmModule.forFeature(AUDIT_ENTITIES)], providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
