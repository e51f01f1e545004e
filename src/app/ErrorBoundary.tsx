import { Component, type ReactNode } from 'react';

interface State {
  message: string | null;
}

/** A rendering failure shows one sentence and a way out, never a blank page or a stack trace. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { message: null };

  static getDerivedStateFromError(error: unknown): State {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  render(): ReactNode {
    if (this.state.message === null) return this.props.children;
    return (
      <div className="fatal" role="alert">
        <p>The playground hit a problem it could not recover from ({this.state.message.slice(0, 120)}). Reload the page, or open it without the extra settings in the link.</p>
        <button type="button" onClick={() => window.location.assign(window.location.pathname)}>
          Reload with the default settings
        </button>
      </div>
    );
  }
}
