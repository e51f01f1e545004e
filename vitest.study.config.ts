/**
 * `npm run study:digits`: issue 13's claims at the prototype's full settings (1,500 steps
 * of 256, 5 seeds, about ten minutes of WASM on two cores). Too long for CI's run on every
 * stop; `digitsScience.test.ts` in `npm test` checks the same claims at a shorter budget.
 */
import { defineConfig } from 'vitest/config';
import base from './vite.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['src/**/*.study.ts'],
    testTimeout: 3_600_000,
  },
});
