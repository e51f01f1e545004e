/**
 * Numerics sweep, file 3 of 4 (the files run in parallel; see numericsSweep.ts). No
 * case may produce NaN or Infinity in the loss (read every step), the features or W.
 */
import { sweepFileTests } from './sweepFile';

sweepFileTests(2);
