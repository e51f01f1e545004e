/**
 * Keeps the address bar in step with the controls, without flooding the history: one
 * replaceState after the controls have been still for a moment.
 */
import { useEffect } from 'react';
import type { CompareRun } from '../core/compare';
import { matchPreset } from '../core/presets';
import type { Params } from '../core/schema';
import { encodeUrlState, type ThemeName, type UrlState } from '../core/urlState';
import type { RunSettings } from './useTrainingClient';

const SETTLE_MS = 300;

export function shareUrl(state: UrlState, base: string = window.location.href): string {
  const url = new URL(base);
  url.search = `?${encodeUrlState(state)}`;
  url.hash = '';
  return url.toString();
}

/** The reader's system asks for less motion (a setting, or a vestibular disorder): a moving picture must wait for Play. */
export function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * How a link starts its runs: a pinned link trains to its step and stays paused, and so
 * does any link for a reader who asked for reduced motion (the Play button starts it; an
 * embed host's explicit play still plays, since that is a request, not an autoplay).
 */
export function runSettingsOf(link: UrlState, reducedMotion = false): RunSettings {
  const playing = link.steps === null && link.autoplay && !reducedMotion;
  return { params: link.params, compare: link.compare, playing, stepsPerFrame: link.speed, steps: link.steps, replay: link.replay };
}

/** What the controls show now, which a link keeps beside the link's own settings (panels, hidden controls, backend). */
interface LiveSettings {
  /** The shared settings (in single mode, the run's). */
  params: Params;
  /** The compared runs on `params`, or null in single mode. */
  compare: readonly CompareRun[] | null;
  stepsPerFrame: number;
  theme: ThemeName | null;
  /** The present layout is on; absent keeps the link's. */
  present?: boolean;
}

/** The address bar's state: the link, with the controls' current settings and runs. */
export function liveUrlState(link: UrlState, live: LiveSettings): UrlState {
  return {
    ...link,
    preset: matchPreset(live.params)?.id ?? 'custom',
    params: live.params,
    compare: live.compare ? [...live.compare] : null,
    speed: live.stepsPerFrame,
    theme: live.theme,
    present: live.present ?? link.present,
  };
}

/**
 * The state to share now: a paused run is pinned to its step so the link lands on the same
 * picture. A replayed range (the timeline showing a past step) is pinned as `replay` with
 * the run trained to its end, so the link trains there and shows the same range; when
 * `replay` is given and null (live), a range the link carried is dropped.
 */
export function shareState(link: UrlState, live: LiveSettings & { playing: boolean; step: number; replay?: { from: number; to: number } | null }): UrlState {
  if (live.replay) return { ...liveUrlState(link, live), autoplay: false, steps: live.replay.to, replay: { ...live.replay } };
  const paused = !live.playing;
  const replay = live.replay === undefined ? link.replay : null;
  return { ...liveUrlState(link, live), autoplay: !paused, steps: paused ? live.step : null, replay };
}

export function useUrlSync(state: UrlState): void {
  const query = encodeUrlState(state);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (window.location.search !== `?${query}`) window.history.replaceState(window.history.state, '', `?${query}`);
    }, SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [query]);
}

/** Copies text; reports false where the clipboard is refused (an iframe without permission, an old browser). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function embedSnippet(url: string): string {
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${escaped}" width="800" height="450" style="border:0" title="ArcFace Playground" loading="lazy"></iframe>`;
}
