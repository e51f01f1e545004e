import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { UpdatePrompt } from './UpdatePrompt';
import { createUpdateStore } from './updatePolicy';

describe('UpdatePrompt', () => {
  it('shows nothing until a newer version waits, then the reload offer and a dismiss', () => {
    const store = createUpdateStore();
    expect(renderToStaticMarkup(<UpdatePrompt store={store} />)).toBe('');
    store.newVersionWaiting();
    const offer = renderToStaticMarkup(<UpdatePrompt store={store} />);
    expect(offer).toContain('Reload for the new version');
    expect(offer).toContain('aria-label="Dismiss: keep this version for now"');
    expect(offer).toContain('role="status"');
  });

  it('hides once dismissed, and shows a disabled button while the new version takes over', () => {
    const store = createUpdateStore();
    store.newVersionWaiting();
    store.dismiss();
    expect(renderToStaticMarkup(<UpdatePrompt store={store} />)).toBe('');
    store.newVersionWaiting();
    store.connect(() => new Promise<void>(() => {}));
    store.accept();
    const activating = renderToStaticMarkup(<UpdatePrompt store={store} />);
    expect(activating).toContain('Reloading…');
    expect(activating).toMatch(/<button[^>]*disabled=""[^>]*data-testid="update-reload"|<button[^>]*data-testid="update-reload"[^>]*disabled=""/);
  });
});
