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
