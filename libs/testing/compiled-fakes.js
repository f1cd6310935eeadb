// The compiled fakes (tsc -p tsconfig.json); TypeScript and tests read ./src/fakes instead.
export * from '../../dist/libs/testing/src/fakes/index.js';
