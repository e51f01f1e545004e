import { describe, expect, it } from 'vitest';
import { SnapshotBus } from '../../panels/snapshotBus';
import { testSnapshot } from '../../panels/testFixtures';
import { StageBus } from './stageBus';
import { withPreset } from '../../core/cliArgs';
import { defaultParams } from '../../core/schema';
import { paramsAsShown } from '../../panels/shownParams';
import type { PanelSnapshot } from '../../panels/types';

function trainedBus(steps: number): SnapshotBus {
  const bus = new SnapshotBus();
  for (let step = 0; step <= steps; step++) bus.publish(testSnapshot(step));
  return bus;
}

describe('StageBus', () => {
  it('shows the training history as it stood at the step it shows, and the step-0 ghost of the page bus', () => {
    const page = trainedBus(10);
    const stage = StageBus.of(page);
    stage.publish(testSnapshot(4));
    expect(stage.history.steps).toEqual([0, 1, 2, 3, 4]);
    expect(stage.latest?.step).toBe(4);
    expect(stage.initialThetaTarget).toBe(page.initialThetaTarget);
  });

  it('keeps the history it copied when the page trains on or starts again', () => {
    const page = trainedBus(5);
    const stage = StageBus.of(page);
    for (let step = 6; step <= 8; step++) page.publish(testSnapshot(step));
    page.publish(testSnapshot(0, 2));
    stage.publish(testSnapshot(5));
    expect(stage.history.steps).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('shows kept frames only, so the panels draw the margins each frame trained with', () => {
    const stage = StageBus.of(trainedBus(3));
    const trainedWith = { ...withPreset(defaultParams(), 'arcface'), m2: 0.2 };
    stage.publish({ ...testSnapshot(2), params: trainedWith } as PanelSnapshot);
    expect(stage.showingPast).toBe(true);
    expect(paramsAsShown(withPreset(defaultParams(), 'arcface'), stage)).toEqual(trainedWith);
  });
});
