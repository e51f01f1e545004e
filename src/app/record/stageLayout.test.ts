import { describe, expect, it } from 'vitest';
import type { PanelName } from '../../core/urlState';
import { captionStripHeight, gridColumns, legendStripHeight, planStage, STAGE_GAP, type StageBox, type StagePlanRequest } from './stageLayout';

function overlaps(a: StageBox, b: StageBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function request(panels: readonly PanelName[], extra: Partial<StagePlanRequest> = {}): StagePlanRequest {
  return { panels, width: 1280, height: 720, wideCircle: false, legendHeight: 0, captionHeight: 0, ...extra };
}

describe('planStage', () => {
  it('gives one panel the whole frame inside the padding', () => {
    const plan = planStage(request(['circle']));
    expect(plan.cells).toEqual([{ panel: 'circle', x: 8, y: 8, width: 1264, height: 704 }]);
    expect(plan.pixelRatio).toBe(1);
  });

  it('lays 1080p out as 720p in CSS pixels, drawn at 1.5 device pixels each', () => {
    const at720 = planStage(request(['circle', 'logit', 'training']));
    const at1080 = planStage(request(['circle', 'logit', 'training'], { width: 1920, height: 1080 }));
    expect(at1080.pixelRatio).toBe(1.5);
    expect({ width: at1080.cssWidth, height: at1080.cssHeight }).toEqual({ width: 1280, height: 720 });
    expect(at1080.cells).toEqual(at720.cells);
  });

  it('keeps the order asked for, and no two cells, the legend or the caption overlap', () => {
    for (let count = 1; count <= 6; count++) {
      const panels = (['stats', 'circle', 'pairs', 'logit', 'margin', 'training'] as const).slice(0, count);
      for (const wideCircle of [false, true]) {
        const plan = planStage(request(panels, { wideCircle, legendHeight: 24, captionHeight: 40 }));
        expect(plan.cells.map((cell) => cell.panel)).toEqual(panels);
        const boxes = [...plan.cells, plan.legend, plan.caption];
        for (const [i, a] of boxes.entries()) {
          expect(a.x).toBeGreaterThanOrEqual(0);
          expect(a.y).toBeGreaterThanOrEqual(0);
          expect(a.x + a.width).toBeLessThanOrEqual(plan.cssWidth);
          expect(a.y + a.height).toBeLessThanOrEqual(plan.cssHeight);
          for (const b of boxes.slice(i + 1)) expect(overlaps(a, b), `${JSON.stringify(a)} and ${JSON.stringify(b)}`).toBe(false);
        }
      }
    }
  });

  it("gives a comparison's circle two cells, as the page does, and the legend its strip", () => {
    const plan = planStage(request(['circle', 'logit', 'training'], { wideCircle: true, legendHeight: 24 }));
    const [circle, logit, training] = plan.cells;
    // Two columns of cells and the gap between them (give or take a pixel of rounding).
    expect(Math.abs(circle.width - (2 * logit.width + STAGE_GAP))).toBeLessThanOrEqual(1);
    expect(training.x).toBeGreaterThan(logit.x);
    expect(logit.y).toBeGreaterThan(circle.y);
    expect(plan.legend).toEqual({ x: 8, y: 8, width: 1264, height: 24 });
    expect(circle.y).toBe(8 + 24);
  });

  it('refuses a recording of no panel', () => {
    expect(() => planStage(request([]))).toThrow(/at least one panel/);
  });
});

describe('gridColumns', () => {
  it('puts panels side by side on a wide frame and stacks them on a tall one', () => {
    expect(gridColumns(1, 1264, 704)).toBe(1);
    expect(gridColumns(2, 1264, 704)).toBe(2);
    expect(gridColumns(4, 1264, 704)).toBe(2);
    expect(gridColumns(6, 1264, 704)).toBe(3);
    expect(gridColumns(2, 400, 1000)).toBe(1);
  });
});

describe('strips', () => {
  it('has a legend only for two or more runs, and a caption only with lines', () => {
    expect(legendStripHeight(1, 12)).toBe(0);
    expect(legendStripHeight(2, 12)).toBe(24);
    expect(captionStripHeight(0, 12)).toBe(0);
    expect(captionStripHeight(2, 12)).toBe(2 * 16 + 8);
  });
});
