// The compiled migrations (npm run build); TypeScript and tests read ./index.ts instead.
export * from '../dist/migrations/index.js';
