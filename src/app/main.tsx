/// <reference types="vite-plugin-pwa/vanillajs" />
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { UpdatePrompt } from './UpdatePrompt';
import { createUpdateStore, registerWhenIdle, type UpdateStore } from './updatePolicy';
import './app.css';

/** What this app cannot do without; checked before anything starts. */
function missingFeature(): string | null {
  if (typeof Worker === 'undefined') return 'Web Workers';
  if (typeof WebAssembly === 'undefined' && typeof OffscreenCanvas === 'undefined') return 'WebAssembly';
  return null;
}

/**
 * The offline copy: only in a build (the dev server would serve stale modules from it), and
 * loaded lazily so workbox-window is not part of the first frame's script.
 */
function startOfflineCopy(updates: UpdateStore): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  registerWhenIdle(() => {
    import('virtual:pwa-register')
      .then(({ registerSW }) => {
        const activate = registerSW({
          immediate: true,
          onNeedRefresh: () => updates.newVersionWaiting(),
          onRegisterError: (error: unknown) => console.warn(`The offline copy could not be set up; the page works online as before (${error instanceof Error ? error.message : String(error)}).`),
        });
        updates.connect(() => activate());
      })
      .catch((error: unknown) => console.warn(`The offline copy's script did not load (${error instanceof Error ? error.message : String(error)}).`));
  });
}

const updates = createUpdateStore();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const missing = missingFeature();
createRoot(root).render(
  <StrictMode>
    {missing ? (
      <p className="fatal" role="alert">
        This browser lacks {missing}, which the playground needs to train; open it in a recent Chrome, Edge, Firefox or Safari.
      </p>
    ) : (
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    )}
    <UpdatePrompt store={updates} />
  </StrictMode>,
);
if (!missing) startOfflineCopy(updates);
