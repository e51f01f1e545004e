import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { THEME_NAMES, type ThemeName } from '../core/urlState';
import { DARK_THEME, LIGHT_THEME, PROJECTOR_THEME } from '../panels/types';
import { THEME_BUTTON_TEXT, contrastRatio, nextTheme, panelTheme, parseColour } from './theme';

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

describe('contrastRatio', () => {
  it('gives WCAG 2 ratios: 21 for black on white, 1 for a colour on itself, the same either way round', () => {
    expect(contrastRatio('#000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#5f6368', '#5f6368')).toBe(1);
    // WebAIM's checker gives 6.05:1 for #5f6368 on white.
    expect(contrastRatio('#5f6368', '#fff')).toBeCloseTo(6.05, 2);
    expect(contrastRatio('#fff', '#5f6368')).toBe(contrastRatio('#5f6368', '#fff'));
  });

  it('reads the computed style a browser reports, and refuses what it cannot read', () => {
    expect(parseColour('rgb(11, 87, 208)')).toEqual([11, 87, 208]);
    expect(parseColour('rgba(11, 87, 208, 0.5)')).toEqual([11, 87, 208]);
    expect(parseColour('#0b57d0')).toEqual([11, 87, 208]);
    expect(contrastRatio('transparent', '#fff')).toBeNaN();
  });
});

/** The colour custom properties of each theme at the top of app.css: light is :root, the others override it. */
function cssThemeColours(): Record<ThemeName, Record<string, string>> {
  const css = readFileSync(new URL('./app.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const properties = (block: string): Record<string, string> => Object.fromEntries([...block.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((match) => [match[1], match[2].trim()]));
  const root = properties(/:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '');
  const theme = (name: string): Record<string, string> => ({ ...root, ...properties(new RegExp(`\\.app\\[data-theme='${name}'\\]\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? '') });
  return { light: root, dark: theme('dark'), projector: theme('projector') };
}

describe('the page colours of each theme (app.css)', () => {
  const themes = cssThemeColours();

  for (const name of THEME_NAMES) {
    const colours = themes[name];
    it(`${name}: text, muted text, accent text and errors reach 4.5:1 on the paper and the panels`, () => {
      for (const background of ['paper', 'panel']) {
        for (const text of ['ink', 'muted', 'accent', 'danger']) {
          const ratio = contrastRatio(colours[text] ?? '', colours[background] ?? '');
          expect(ratio, `--${text} ${colours[text]} on --${background} ${colours[background]}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    });

    it(`${name}: the focus ring reaches 3:1 on the paper and the panels and is at least 2px wide`, () => {
      for (const background of ['paper', 'panel']) {
        const ratio = contrastRatio(colours.focus ?? '', colours[background] ?? '');
        expect(ratio, `--focus ${colours.focus} on --${background} ${colours[background]}`).toBeGreaterThanOrEqual(3);
      }
      expect(Number.parseFloat(colours['focus-width'] ?? '0')).toBeGreaterThanOrEqual(2);
    });

    it(`${name}: the panels draw on the page's panel colour with its ink`, () => {
      const panel = panelTheme(name, false);
      expect(parseColour(panel.paper)).toEqual(parseColour(colours.panel ?? ''));
      expect(parseColour(panel.ink)).toEqual(parseColour(colours.ink ?? ''));
    });
  }

  it("the panels' own text colours reach 4.5:1 on their paper in every theme", () => {
    for (const theme of [LIGHT_THEME, DARK_THEME, PROJECTOR_THEME]) {
      expect(contrastRatio(theme.ink, theme.paper), `${theme.name} ink`).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(theme.muted, theme.paper), `${theme.name} muted`).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(theme.accent, theme.paper), `${theme.name} accent`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
