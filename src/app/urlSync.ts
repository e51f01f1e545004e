/**
 * Keeps the address bar in step with the controls, without flooding the history: one
 * replaceState after the controls have been still for a moment.
 */
import { useEffect } from 'react';
import { encodeUrlState, type UrlState } from '../core/urlState';

const SETTLE_MS = 300;

export function shareUrl(state: UrlState, base: string = window.location.href): string {
  const url = new URL(base);
  url.search = `?${encodeUrlState(state)}`;
  url.hash = '';
  return url.toString();
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
