import { describe, expect, it } from 'vitest';
import { COMPARE_RUN_STYLES } from '../core/compare';
import { IDENTITY_COLOURS } from './palette';
import { isCompare, runColour, runDash, runDashArray, runFigureName, subfigureTitle } from './runStyle';
import { testRuns } from './testFixtures';
import { DARK_THEME, LIGHT_THEME, PROJECTOR_THEME } from './types';

/** CIE L* (lightness) and chroma of an sRGB hex colour. */
function lightnessAndChroma(hex: string): { lightness: number; chroma: number } {
  const linear = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255).map((value) => (value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = linear;
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return { lightness: 116 * f(y) - 16, chroma: Math.hypot(500 * (f(x) - f(y)), 200 * (f(y) - f(z))) };
}

describe('run styles', () => {
  it('cannot be taken for an identity colour: far darker on light paper, near-white and grey on dark', () => {
    // The run palette is data in core; the identity palette lives here, so the check does too.
    const identities = IDENTITY_COLOURS.map(lightnessAndChroma);
    const darkestIdentity = Math.min(...identities.map((colour) => colour.lightness));
    const lightestIdentity = Math.max(...identities.map((colour) => colour.lightness));
    expect(darkestIdentity).toBeGreaterThan(45);
    for (const style of COMPARE_RUN_STYLES) {
      expect(lightnessAndChroma(style.onLight).lightness).toBeLessThan(darkestIdentity - 15);
      const onDark = lightnessAndChroma(style.onDark);
      expect(onDark.lightness).toBeGreaterThan(lightestIdentity + 3);
      expect(onDark.chroma).toBeLessThan(12);
    }
    // The one identity colour close to the dark-paper tints in lightness is strongly coloured.
    for (const identity of identities) if (identity.lightness > 80) expect(identity.chroma).toBeGreaterThan(50);
  });

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
