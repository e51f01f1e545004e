/**
 * Buttons that save a panel as a picture and the run's numbers as files. They read the
 * page and the snapshot bus only when clicked, so they cost nothing per frame.
 */
import { useRef, useState } from 'react';
import { downloadBlob, exportReportingFailure } from './download';
import {
  compareSettingName,
  compareSnapshotJson,
  exportFileName,
  featuresCsv,
  featuresCsvOfRuns,
  historyCsv,
  historyCsvOfRuns,
  snapshotJson,
  weightsCsv,
  weightsCsvOfRuns,
  type ExportRun,
} from './exportData';
import { composeFigure, rasterizeSvg, type ComposedFigure } from './exportFigure';
import './exportButtons.css';

const NOTHING_TO_EXPORT = 'Nothing to export yet: start training first.';

interface PanelExportButtonsProps {
  getFigure: () => HTMLElement | null;
  /** Panel name as used in test ids and labels: circle, logit, margin, training, stats. */
  name: string;
  caption: () => string;
  fileName: (ext: string) => string;
  onError: (message: string) => void;
}

export function PanelExportButtons({ getFigure, name, caption, fileName, onError }: PanelExportButtonsProps) {
  const [rasterizing, setRasterizing] = useState(false);
  // A ref as well as state: a second click can arrive before React re-renders.
  const busy = useRef(false);

  const compose = (): ComposedFigure => {
    const figure = getFigure();
    if (!figure) throw new Error(`The ${name} panel is not on the page yet: wait for it to draw, then export again.`);
    return composeFigure(figure, caption());
  };

  const exportSvg = (): Promise<void> =>
    exportReportingFailure(
      () => {
        const { svg } = compose();
        downloadBlob(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }), fileName('svg'));
      },
      'The SVG export failed: reload the page and export again.',
      onError,
    );

  const exportPng = async (): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    setRasterizing(true);
    try {
      await exportReportingFailure(
        async () => {
          const { svg, width, height } = compose();
          downloadBlob(await rasterizeSvg(svg, width, height), fileName('png'));
        },
        'The PNG export failed: the browser could not draw the figure; try the SVG export instead.',
        onError,
      );
    } finally {
      busy.current = false;
      setRasterizing(false);
    }
  };

  return (
    <fieldset className="export-buttons" aria-label={`Export the ${name} panel`}>
      <button type="button" className="export-button" data-testid={`export-${name}-svg`} aria-label={`Export ${name} panel as SVG`} onClick={() => void exportSvg()}>
        SVG
      </button>
      {/* aria-disabled rather than disabled, so keyboard focus stays on the button while it works. */}
      <button
        type="button"
        className="export-button"
        data-testid={`export-${name}-png`}
        aria-label={`Export ${name} panel as PNG`}
        aria-disabled={rasterizing}
        aria-busy={rasterizing}
        onClick={() => void exportPng()}>
        PNG
      </button>
    </fieldset>
  );
}

interface DataExportButtonsProps {
  /** Every run (one in single mode) with what its bus holds; null until every run has drawn. */
  getRuns: () => ExportRun[] | null;
  onError: (message: string) => void;
}

interface DataFile {
  kind: string;
  ext: string;
  type: string;
  /** Single mode writes the files as they always were; a comparison adds each run (a `run` column, a `runs` list). */
  single: (run: ExportRun) => string;
  compared: (runs: readonly ExportRun[]) => string;
}

const CSV_TYPE = 'text/csv;charset=utf-8';
const FEATURES_FILE: DataFile = { kind: 'features', ext: 'csv', type: CSV_TYPE, single: (run) => featuresCsv(run.snapshot), compared: featuresCsvOfRuns };
const WEIGHTS_FILE: DataFile = { kind: 'weights', ext: 'csv', type: CSV_TYPE, single: (run) => weightsCsv(run.snapshot), compared: weightsCsvOfRuns };
const HISTORY_FILE: DataFile = { kind: 'history', ext: 'csv', type: CSV_TYPE, single: (run) => historyCsv(run.history), compared: historyCsvOfRuns };
const SNAPSHOT_FILE: DataFile = {
  kind: 'snapshot',
  ext: 'json',
  type: 'application/json',
  single: (run) => snapshotJson(run.snapshot, run.params, run.history),
  compared: compareSnapshotJson,
};

export function DataExportButtons({ getRuns, onError }: DataExportButtonsProps) {
  const save = (file: DataFile): void => {
    const runs = getRuns();
    const [first] = runs ?? [];
    if (!runs || !first) {
      onError(NOTHING_TO_EXPORT);
      return;
    }
    void exportReportingFailure(
      () => {
        const compared = runs.length > 1;
        const text = compared ? file.compared(runs) : file.single(first);
        const name = compared
          ? exportFileName(file.kind, first.params, first.snapshot.step, file.ext, compareSettingName(runs))
          : exportFileName(file.kind, first.params, first.snapshot.step, file.ext);
        downloadBlob(new Blob([text], { type: file.type }), name);
      },
      `The ${file.kind} export failed: reload the page and export again.`,
      onError,
    );
  };

  return (
    <fieldset className="export-data" aria-label="Export the runs’ numbers">
      <button
        type="button"
        className="export-button"
        data-testid="export-features-csv"
        onClick={() => save(FEATURES_FILE)}
        title="Every training sample: identity, raw and unit feature, angle to its W (compare mode: a run column)">
        Features CSV
      </button>
      <button type="button" className="export-button" data-testid="export-weights-csv" onClick={() => save(WEIGHTS_FILE)} title="Every class direction W_j and its angle">
        W CSV
      </button>
      <button type="button" className="export-button" data-testid="export-history-csv" onClick={() => save(HISTORY_FILE)} title="Loss and train accuracy at every drawn step">
        History CSV
      </button>
      <button type="button" className="export-button" data-testid="export-json" onClick={() => save(SNAPSHOT_FILE)} title="Settings, features, W, Table 3 angles and history in one file">
        Snapshot JSON
      </button>
    </fieldset>
  );
}
