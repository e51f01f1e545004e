/**
 * Copy link, copy embed code, and reset to link. When the clipboard is refused (an
 * iframe without permission, an old browser) the text is shown selected so it can be
 * copied by hand.
 */
import { useEffect, useRef, useState } from 'react';
import type { UrlState } from '../core/urlState';
import { copyText, embedSnippet, shareUrl } from './urlSync';

interface ShareBarProps {
  getState: () => UrlState;
  onResetToLink: () => void;
}

interface Shown {
  label: string;
  text: string;
  copied: boolean;
}

export function ShareBar({ getState, onResetToLink }: ShareBarProps) {
  const [shown, setShown] = useState<Shown | null>(null);
  const fieldRef = useRef<HTMLInputElement | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: select the field's text each time a new link is shown in it
  useEffect(() => {
    fieldRef.current?.select();
  }, [shown]);

  const share = async (label: string, text: string): Promise<void> => {
    setShown({ label, text, copied: await copyText(text) });
  };

  return (
    <div className="share-bar">
      <button type="button" data-testid="copy-link" onClick={() => void share('Link', shareUrl(getState()))}>
        Copy link
      </button>
      <button type="button" data-testid="copy-embed" onClick={() => void share('Embed code', embedSnippet(shareUrl({ ...getState(), embed: true })))}>
        Copy embed code
      </button>
      <button type="button" data-testid="reset-to-link" onClick={onResetToLink}>
        Reset to link
      </button>
      {shown && (
        <div className="share-popover" role="dialog" aria-label={`${shown.label} to share`}>
          <label>
            {shown.label} {shown.copied ? 'copied to the clipboard' : '(the clipboard is blocked here: copy it from this field)'}
            <input ref={fieldRef} data-testid="share-text" readOnly value={shown.text} />
          </label>
          <button type="button" onClick={() => setShown(null)} aria-label="Close">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
