import type { Type } from '@nestjs/common';

/** The domain libraries' Nest modules; the API and the worker both load all of them. */
export const DOMAIN_MODULES: Type[] = [];
