/**
 * `npm run test:numerics`: the long numerics, run by CI after `npm test`. The numerics
 * sweep trains 300 steps past each case's warm-up instead of `npm test`'s 25 to 50, and
 * Table 3 runs at the CLI's full 3,000 steps.
 */
import { defineConfig } from 'vitest/config';
import base from './vite.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // Replaces the base include (mergeConfig would append to it).
    include: ['src/train/sweep/numerics-*.test.ts', 'src/**/*.numerics.ts'],
    env: { SWEEP_FULL_STEPS: '300' },
    testTimeout: 3_600_000,
  },
});
