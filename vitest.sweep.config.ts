import { defineConfig } from 'vitest/config'

/**
 * The second half of `npm test`: checks what the whole suite left behind (Redis dumps and logs
 * under test-results/pii-sweep/) for plaintext personal data. It must run after every other file.
 */
export default defineConfig({
  test: {
    include: ['test/sweep/**/*.test.ts'],
    environment: 'node',
    reporters: process.env.VITEST_SWEEP_JSON
      ? ['default', ['json', { outputFile: process.env.VITEST_SWEEP_JSON }]]
      : ['default'],
  },
})
