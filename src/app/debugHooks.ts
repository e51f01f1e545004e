/**
 * Hooks for the end-to-end tests and the benchmark, installed only with ?debug=1:
 * window.__arcfaceDebug.measure / loseDevice / memory ask the worker directly.
 */
import type { FusedParityReport } from '../train/fused/parity';
import type { DebugMeasurement, DebugMemory } from '../train/protocol';
import type { RecordTestRequest, RecordTestResult } from './record/selfTest';
import type { TrainingClient } from './trainingClient';

export interface ArcfaceDebug {
  measure(options: { steps: number }): Promise<DebugMeasurement>;
  loseDevice(): Promise<void>;
  memory(): Promise<DebugMemory>;
  poison(): Promise<void>;
  parity(): Promise<FusedParityReport>;
  /** Records synthetic frames through the real encoder (src/app/record); loaded only when called. */
  recordTest(request: RecordTestRequest): Promise<RecordTestResult>;
}

declare global {
  interface Window {
    __arcfaceDebug?: ArcfaceDebug;
  }
}

export function installDebugHooks(client: TrainingClient): void {
  // Counting starts now, so that `measure` covers every frame the run has drawn.
  void client.debug({ kind: 'countReadbacks' });
  window.__arcfaceDebug = {
    measure: async ({ steps }) => (await client.debug({ kind: 'measure', steps })) as DebugMeasurement,
    loseDevice: async () => {
      await client.debug({ kind: 'loseDevice' });
    },
    memory: async () => (await client.debug({ kind: 'memory' })) as DebugMemory,
    poison: async () => {
      await client.debug({ kind: 'poison' });
    },
    parity: async () => (await client.debug({ kind: 'parity' })) as FusedParityReport,
    recordTest: async (request) => (await import('./record/selfTest')).recordSynthetic(request),
  };
}
