/**
 * Vitest's own order, on a fresh clone with no timing cache, runs the largest files first,
 * which puts the short but slow 5-seed science files last, one worker finishing them alone
 * while the other idles (28 s of `npm test` on this 2-core machine). The slowest files go
 * first here, longest first, so the quick ones fill in around them.
 */
import type { TestSequencer, TestSpecification } from 'vitest/node';

/** The slow files by path, longest first (seconds on this machine, quiet, 2026-11-29). */
const SLOWEST_FIRST = [
  'src/train/science.test.ts', // 80
  'src/train/digitsScience.test.ts', // 55
  'src/train/lossTerms.science.test.ts', // 52
  'src/train/sweep/numerics-0.test.ts', // 25
  'src/train/trainer.test.ts', // 15
  'src/train/sweep/numerics-1.test.ts', // 23
  'src/train/sweep/numerics-2.test.ts', // 20
  'src/train/sweep/numerics-3.test.ts', // 19
];

function rank(moduleId: string): number {
  const index = SLOWEST_FIRST.findIndex((path) => moduleId.replaceAll('\\', '/').endsWith(path));
  return index < 0 ? SLOWEST_FIRST.length : index;
}

export class SlowestFirstSequencer implements TestSequencer {
  async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return files;
  }

  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}
