/**
 * The one entry to TensorFlow.js. tfjs-core alone ships no gradients; without
 * register_all_gradients, training fails with "gradient function not found".
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export { tf };
