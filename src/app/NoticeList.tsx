import type { Notice } from './useNotices';
import type { Divergence } from './useTrainingClient';

interface NoticeListProps {
  notices: readonly Notice[];
  onDismiss: (id: number) => void;
  divergence: Divergence | null;
  onReset: () => void;
  onLowerLearningRate: () => void;
}

/** What the divergence notice says; in compare mode it names the run that diverged. */
export function divergenceMessage({ step, lastGoodStep, run }: Divergence): string {
  if (!run) return `Training diverged at step ${step}: the loss or the weights stopped being finite numbers, so it was paused; the picture is from step ${lastGoodStep}.`;
  return `Run ${run.letter} (${run.label}) diverged at step ${step}: its loss or weights stopped being finite numbers, so every run was paused; the picture is from step ${lastGoodStep}.`;
}

/** The page's notices, with the divergence notice and its two ways out on top. Nothing when there is nothing to say. */
export function NoticeList({ notices, onDismiss, divergence, onReset, onLowerLearningRate }: NoticeListProps) {
  if (notices.length === 0 && !divergence) return null;
  return (
    // The status role sits on a wrapper: on the list itself it would replace the list role, and its items would be orphaned.
    <div role="status">
      <ul className="notices" data-testid="notices">
        {divergence && (
          <li data-testid="divergence">
            {divergenceMessage(divergence)}{' '}
            <button type="button" onClick={onReset}>
              Reset
            </button>{' '}
            <button type="button" data-testid="lower-lr" onClick={onLowerLearningRate}>
              Lower the learning rate and restart
            </button>
          </li>
        )}
        {notices.map((notice) => (
          <li key={notice.id}>
            {notice.message}{' '}
            <button type="button" aria-label="Dismiss this notice" onClick={() => onDismiss(notice.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
