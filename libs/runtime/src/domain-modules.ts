import type { Type } from '@nestjs/common';
import { AuditModule } from '../../audit/src/index.js';
import { LedgerModule } from '../../ledger/src/index.js';

/** The domain libraries' Nest modules; the API and the worker both load all of them. */
export const DOMAIN_MODULES: Type[] = [AuditModule, LedgerModule];
