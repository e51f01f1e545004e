/**
 * Issue 13's claims at the prototype's settings: 1,500 steps of 256 on 600 images per
 * digit, Adam at lr 0.003, a 300-step warm-up (`npm run test:numerics`; about 40 ms a
 * step on WASM, so some minutes). `digitsScience.test.ts` checks them at a shorter budget in `npm test`.
 */
import { describeDigitsClaims } from './digitsClaims';

describeDigitsClaims('handwritten digits at the prototype settings, seeds 1–5 (issue 13)', { steps: 1500, batch: 256, lr: 0.003, samplesPerIdentity: 600, warmup: 300 }, 3_600_000);
