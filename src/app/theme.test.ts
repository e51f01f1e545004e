import { describe, expect, it } from 'vitest';
import { THEME_NAMES } from '../core/urlState';
import { DARK_THEME, LIGHT_THEME, PROJECTOR_THEME } from '../panels/types';
import { THEME_BUTTON_TEXT, nextTheme, panelTheme } from './theme';

describe('panelTheme', () => {
  it('uses the theme the link names, whatever the system prefers', () => {
    expect(panelTheme('projector', true)).toBe(PROJECTOR_THEME);
    expect(panelTheme('light', true)).toBe(LIGHT_THEME);
    expect(panelTheme('dark', false)).toBe(DARK_THEME);
  });

  it('follows the system when the link names none', () => {
    expect(panelTheme(null, true)).toBe(DARK_THEME);
    expect(panelTheme(null, false)).toBe(LIGHT_THEME);
  });
});

describe('nextTheme', () => {
  it('cycles light → dark → projector → light', () => {
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('projector');
    expect(nextTheme('projector')).toBe('light');
  });

  it('reaches every theme, and each has a button face', () => {
    const seen = new Set([nextTheme('light'), nextTheme(nextTheme('light')), nextTheme(nextTheme(nextTheme('light')))]);
    expect([...seen].sort()).toEqual([...THEME_NAMES].sort());
    for (const name of THEME_NAMES) expect(THEME_BUTTON_TEXT[name]).toContain(name);
  });
});
