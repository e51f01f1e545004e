import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import './app.css';

/** What this app cannot do without; checked before anything starts. */
function missingFeature(): string | null {
  if (typeof Worker === 'undefined') return 'Web Workers';
  if (typeof WebAssembly === 'undefined' && typeof OffscreenCanvas === 'undefined') return 'WebAssembly';
  return null;
}

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
  </StrictMode>,
);
