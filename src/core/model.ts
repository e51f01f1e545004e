/**
 * Facts about the toy network that pure code needs too: the shape of the embedding and
 * the numeric guards of the margin head. The tf model (src/train/model.ts) and its
 * plain-array twin (src/train/fused/marginMath.ts) both read them from here, so the
 * twin needs no TensorFlow.js.
 */

export const EMBEDDING_DIM = 2;
export const HIDDEN_UNITS = [64, 64] as const;

/** Clamp before acos: its gradient −1/√(1−x²) is infinite at ±1. */
export const COS_CLAMP = 1 - 1e-6;
/** Normalisation guard: a zero feature gives 0/0 without it. */
export const NORM_EPSILON = 1e-12;
