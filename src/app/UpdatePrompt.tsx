import { useSyncExternalStore } from 'react';
import type { UpdateStore } from './updatePolicy';
import './updateToast.css';

/**
 * A small toast when a newer version is installed: the run on screen goes on until the
 * user clicks, so an update never swaps in mid-lecture. Dismissing keeps this version
 * until the page is next opened.
 */
export function UpdatePrompt({ store }: { store: UpdateStore }) {
  const phase = useSyncExternalStore(store.subscribe, store.getPhase, store.getPhase);
  if (phase !== 'waiting' && phase !== 'activating') return null;
  return (
    <div className="update-toast" role="status" data-testid="update-prompt">
      <span>A new version of the playground is ready.</span>
      <button type="button" data-testid="update-reload" disabled={phase === 'activating'} onClick={store.accept}>
        {phase === 'activating' ? 'Reloading…' : 'Reload for the new version'}
      </button>
      <button type="button" className="update-toast-dismiss" data-testid="update-dismiss" aria-label="Dismiss: keep this version for now" onClick={store.dismiss}>
        ×
      </button>
    </div>
  );
}
