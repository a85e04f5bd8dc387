import { defineConfig } from 'vitest/config'

/**
 * One `npm test` runs every layer:
 * - unit tests beside the code they cover (`src/**\/*.test.ts`, `api/_lib` is never a test home:
 *   Vercel would deploy it), run in Node;
 * - integration, protocol and build tests under `test/`, each file starting its own real
 *   `redis-server` on a free port through `test/support/redis-server.ts`;
 * - browser tests under `test/e2e/`, driving Debian's Chromium through playwright-core.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // The personal-data sweep reads what this run leaves behind: `npm test` runs it afterwards.
    exclude: ['test/sweep/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 600_000,
    reporters: process.env.VITEST_JSON
      ? ['default', ['json', { outputFile: process.env.VITEST_JSON }]]
      : ['default'],
  },
})
