import { describe, expect, it } from 'vitest';
import { COMPARE_RUN_STYLES } from '../core/compare';
import { IDENTITY_COLOURS } from './palette';
import { isCompare, runColour, runDash, runDashArray, runFigureName, subfigureTitle } from './runStyle';
import { testRuns } from './testFixtures';
import { DARK_THEME, LIGHT_THEME, PROJECTOR_THEME } from './types';

describe('run styles', () => {
  it('picks the dark-paper colour only on the dark theme, and never an identity colour', () => {
    expect(runColour(1, LIGHT_THEME)).toBe('#332288');
    expect(runColour(1, PROJECTOR_THEME)).toBe('#332288');
    expect(runColour(1, DARK_THEME)).toBe('#e6edff');
    for (let index = 0; index < COMPARE_RUN_STYLES.length; index++) {
      for (const theme of [LIGHT_THEME, DARK_THEME, PROJECTOR_THEME]) {
        expect(IDENTITY_COLOURS.map((colour) => colour.toLowerCase())).not.toContain(runColour(index, theme).toLowerCase());
      }
    }
  });

  it('scales the dash pattern by the line width; run A is solid', () => {
    expect(runDash(0, 2.5)).toEqual([]);
    expect(runDashArray(0, 2.5)).toBeUndefined();
    expect(runDash(3, 2.5)).toEqual([10, 5, 2.5, 5]);
    expect(runDashArray(1, 1.5)).toBe('6 3');
  });

  it('names a preset run by its family, as the paper’s sub-figures, and keeps any other label whole', () => {
    const [softmax, arcface] = testRuns(['softmax', 'arcface']);
    expect(arcface.label).toBe('ArcFace (0.5)');
    expect(subfigureTitle(0, runFigureName(softmax.label, softmax.params))).toBe('(a) Softmax');
    expect(subfigureTitle(1, runFigureName(arcface.label, arcface.params))).toBe('(b) ArcFace');
    expect(runFigureName('ArcFace (m2 = 0.3)', { head: 'margin', m1: 1, m2: 0.3, m3: 0 })).toBe('ArcFace (m2 = 0.3)');
    expect(runFigureName('ArcFace (0.5), s = 32', { head: 'margin', m1: 1, m2: 0.5, m3: 0 })).toBe('ArcFace (0.5), s = 32');
    expect(subfigureTitle(3, 'CM1')).toBe('(d) CM1');
  });

  it('is compare mode from two runs on', () => {
    expect(isCompare(testRuns(['arcface']))).toBe(false);
    expect(isCompare(testRuns(['softmax', 'arcface']))).toBe(true);
  });
});
