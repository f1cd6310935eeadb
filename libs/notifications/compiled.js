// The compiled library (npm run build); TypeScript and tests read ./src instead.
export * from '../../dist/libs/notifications/src/index.js';
