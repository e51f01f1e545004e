/**
 * A session asked for data=digits: it waits for the asset without training, builds its
 * runs on 784 inputs once the asset is here, and falls back to the synthetic data, with
 * one notice, when the asset cannot be loaded. The loader is a stub: the fetch itself is
 * digitsLoader.test.ts's subject.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIGIT_PIXELS, type DigitImages } from '../core/digits';
import { fakeDigitImages } from '../core/digitsFixture';
import { defaultParams, type Params } from '../core/schema';
import type { SessionFrame } from '../core/snapshot';
import { useNodeBackend } from './headless';
import { TrainingSession, type SessionMessage } from './session';

const digitsParams = (overrides: Partial<Params> = {}): Params => ({ ...defaultParams(), data: 'digits', samplesPerIdentity: 20, ...overrides });

interface Pending {
  resolve(digits: DigitImages): void;
  reject(error: Error): void;
}

function harness(runs: Params[]) {
  const messages: SessionMessage[] = [];
  const frames: SessionFrame[] = [];
  const loads: Pending[] = [];
  let wakes = 0;
  const session = new TrainingSession({
    runs,
    post: (message) => {
      messages.push(message);
      if (message.type === 'snapshot') frames.push(message.frame);
    },
    now: () => 0,
    trainer: { hiddenUnits: [8, 8] },
    loadDigits: () => new Promise<DigitImages>((resolve, reject) => loads.push({ resolve, reject })),
    wake: () => {
      wakes++;
    },
  });
  session.start();
  return { session, messages, frames, loads, wakes: () => wakes };
}

/** The worker's loop until the session waits. */
async function drive(session: TrainingSession): Promise<void> {
  for (let guard = 0; guard < 20; guard++) {
    const action = session.nextAction();
    if (action.kind === 'wait') return;
    await session.perform(action);
    session.receive({ type: 'frameReady' });
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const sessions: TrainingSession[] = [];

describe('a session on the digits', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });
  afterEach(() => {
    for (const session of sessions.splice(0)) session.dispose();
  });

  it('waits for the asset, then trains 8 digits on 784 inputs; the test and unseen parts come along', async () => {
    const h = harness([digitsParams()]);
    sessions.push(h.session);
    await flush();
    expect(h.session.loadingData).toBe(true);
    expect(h.session.nextAction().kind).toBe('wait');
    expect(h.session.trainers).toHaveLength(0);
    h.loads[0].resolve(fakeDigitImages());
    await flush();
    expect(h.wakes()).toBe(1);
    expect(h.messages.find((message) => message.type === 'dataset')).toEqual({ type: 'dataset', status: { state: 'ready', images: fakeDigitImages().count } });
    const trainer = h.session.trainers[0];
    expect(trainer.dataset.inputDim).toBe(DIGIT_PIXELS);
    expect([trainer.dataset.train.count, trainer.dataset.test.count, trainer.dataset.heldout.count]).toEqual([8 * 20, 8 * 180, 2 * 300]);
    h.session.receive({ type: 'step', count: 3 });
    await drive(h.session);
    const last = h.frames.at(-1);
    expect(last?.step).toBe(3);
    expect(last?.runs[0].params.data).toBe('digits');
    expect(last?.runs[0].heldoutClasses).toBe(2);
  });

  it('loads the asset once: a reset or a switch back to digits reuses it', async () => {
    const h = harness([digitsParams()]);
    sessions.push(h.session);
    await flush();
    h.loads[0].resolve(fakeDigitImages());
    await flush();
    h.session.reset();
    h.session.setParams(0, { ...digitsParams(), data: 'synthetic' });
    expect(h.session.trainers[0].dataset.inputDim).toBe(32);
    h.session.setParams(0, digitsParams());
    expect(h.session.trainers[0].dataset.inputDim).toBe(DIGIT_PIXELS);
    expect(h.loads).toHaveLength(1);
  });

  it('a missing or damaged asset: one notice, the runs go on with the synthetic data', async () => {
    const h = harness([digitsParams(), { ...digitsParams(), m2: 0 }]);
    sessions.push(h.session);
    await flush();
    h.loads[0].reject(new Error('the file was not found (HTTP 404)'));
    await flush();
    const notices = h.messages.filter((message) => message.type === 'notice');
    expect(notices).toEqual([{ type: 'notice', message: 'The handwritten digits could not be loaded (the file was not found (HTTP 404)), so training goes on with the synthetic data.' }]);
    expect(h.messages.some((message) => message.type === 'dataset' && message.status.state === 'failed')).toBe(true);
    expect(h.session.trainers).toHaveLength(2);
    for (const trainer of h.session.trainers) expect(trainer.dataset.inputDim).toBe(32);
    expect([h.session.paramsOf(0).data, h.session.paramsOf(1).data]).toEqual(['synthetic', 'synthetic']);
    h.session.receive({ type: 'step', count: 2 });
    await drive(h.session);
    expect(h.frames.at(-1)?.step).toBe(2);
    // Asked again later, it tries again.
    h.session.setParams(0, digitsParams());
    await flush();
    expect(h.loads).toHaveLength(2);
  });
});
