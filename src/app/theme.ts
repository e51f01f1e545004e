/** The colour theme: from the link, or the system's light or dark setting; the button cycles it. */
import type { ThemeName } from '../core/urlState';
import { DARK_THEME, LIGHT_THEME, PROJECTOR_THEME, type PanelTheme } from '../panels/types';

const THEME_CYCLE: readonly ThemeName[] = ['light', 'dark', 'projector'];

const THEMES: Record<ThemeName, PanelTheme> = { light: LIGHT_THEME, dark: DARK_THEME, projector: PROJECTOR_THEME };

/** The theme button's face: what is on now. */
export const THEME_BUTTON_TEXT: Record<ThemeName, string> = { light: '☀ light', dark: '☾ dark', projector: '▣ projector' };

export function systemPrefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** `name` null follows the system. */
export function panelTheme(name: ThemeName | null, prefersDark: boolean): PanelTheme {
  return THEMES[name ?? (prefersDark ? 'dark' : 'light')];
}

export function nextTheme(name: ThemeName): ThemeName {
  return THEME_CYCLE[(THEME_CYCLE.indexOf(name) + 1) % THEME_CYCLE.length];
}

/** Red, green and blue (0–255) of '#rgb', '#rrggbb' or 'rgb(r, g, b)' / 'rgba(…)' as a browser computes it; null for anything else. */
export function parseColour(text: string): [number, number, number] | null {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(value);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((digit) => digit + digit).join('') : hex[1];
    return [0, 2, 4].map((at) => Number.parseInt(digits.slice(at, at + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(value);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}

/** WCAG 2 relative luminance of an sRGB colour. */
function relativeLuminance([red, green, blue]: [number, number, number]): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
}

/**
 * WCAG 2 contrast ratio of two colours, 1 to 21: text needs 4.5 (3 when large), a focus
 * ring or other non-text mark 3. NaN when either colour cannot be read.
 */
export function contrastRatio(first: string, second: string): number {
  const a = parseColour(first);
  const b = parseColour(second);
  if (!a || !b) return Number.NaN;
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
