import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.SHAREPOOL_API_URL ?? 'http://localhost:3000';

/**
 * The web client: two HTML entries (the app and GraphiQL, kept apart so GraphiQL's editor never
 * reaches the app's bundle), a dev server proxying the API's paths, and Vitest on jsdom.
 */
export default defineConfig({
  root,
  // Vite's dependency cache stays inside the web client's folder.
  cacheDir: `${root}node_modules/.vite`,
  // Vite 8 compiles TSX with Oxc; no React plugin is installed, so the automatic runtime is set here.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // GraphiQL's Monaco editor is megabytes by nature; it loads only on /graphiql, never with the app.
    chunkSizeWarningLimit: 3_000,
    rolldownOptions: {
      input: { main: `${root}index.html`, graphiql: `${root}graphiql.html` },
      onwarn(warning, warn) {
        // GraphiQL's dependencies mark modules "use client", which means nothing outside a React server.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  optimizeDeps: {
    // These modules import Monaco's workers with `?worker`, which only Vite's own transform understands,
    // not the dependency pre-bundler: serve them as they are.
    exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'],
  },
  server: {
    proxy: {
      '/graphql': api,
      '/health': api,
      '/admin/queues': api,
      // The networks send members back here after their consent page (set PUBLIC_URL to this dev server).
      '/oauth': api,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    // One jsdom per worker instead of per file halves the run; setup-tests.ts resets DOM, storage and URL.
    isolate: false,
  },
});
