/**
 * The divergence watchdog's test, shared by the worker's sessions and the numerics sweep:
 * a run stops at the first loss, feature or class weight that is not a finite number.
 */

/** What the watchdog reads of a moment of training. */
export interface WatchedValues {
  step: number;
  /** NaN before the first step is expected, not a divergence. */
  loss: number;
  embeddings: ArrayLike<number>;
  weights: ArrayLike<number>;
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** True when every number a panel would draw is finite. */
export function isFiniteSnapshot(values: WatchedValues): boolean {
  if (values.step > 0 && !Number.isFinite(values.loss)) return false;
  return allFinite(values.embeddings) && allFinite(values.weights);
}
