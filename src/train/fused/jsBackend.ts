/**
 * Reading inputs and making outputs for the JS twins of the fused kernels, which run
 * on backends whose tensors live in CPU memory (cpu, and wasm's heap). Kernel functions
 * get the backend as `{}`, so the two methods needed are looked up and checked here.
 */
import type { tf } from '../tf';

type Values = Float32Array | Int32Array | Uint8Array;

function hasMethod<K extends string>(value: object, key: K): value is Record<K, (...args: never[]) => unknown> {
  return typeof (value as Partial<Record<K, unknown>>)[key] === 'function';
}

function readValues(backend: object, info: tf.TensorInfo): Values {
  if (!hasMethod(backend, 'readSync')) throw new Error('this backend cannot read tensors synchronously');
  const read = backend.readSync as (dataId: object) => unknown;
  const values = read.call(backend, info.dataId);
  if (values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array) return values;
  throw new Error(`unexpected storage for a ${info.dtype} tensor`);
}

export function readFloats(backend: object, info: tf.TensorInfo): Float32Array {
  const values = readValues(backend, info);
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

export function readInts(backend: object, info: tf.TensorInfo): Int32Array {
  const values = readValues(backend, info);
  return values instanceof Int32Array ? values : Int32Array.from(values);
}

/** A float32 output holding `values`: `makeTensorInfo` on the CPU, `makeOutput` on WASM (it copies into the heap). */
export function floatOutput(backend: object, shape: number[], values: Float32Array): tf.TensorInfo {
  // makeTensorInfo first: the CPU backend also has a makeOutput, with other arguments.
  if (hasMethod(backend, 'makeTensorInfo')) {
    const make = backend.makeTensorInfo as (shape: number[], dtype: tf.DataType, values: Float32Array) => tf.TensorInfo;
    return make.call(backend, shape, 'float32', values);
  }
  if (hasMethod(backend, 'makeOutput')) {
    const make = backend.makeOutput as (shape: number[], dtype: tf.DataType, memoryOffset: number | undefined, values: Float32Array) => tf.TensorInfo;
    return make.call(backend, shape, 'float32', undefined, values);
  }
  throw new Error('this backend cannot make tensors from values');
}
