/**
 * Buttons that save a panel as a picture and the run's numbers as files. They read the
 * page and the snapshot bus only when clicked, so they cost nothing per frame.
 */
import { useRef, useState } from 'react';
import type { Params } from '../core/schema';
import type { MetricsHistory } from '../panels/snapshotBus';
import type { PanelSnapshot } from '../panels/types';
import { downloadBlob, exportReportingFailure } from './download';
import { exportFileName, featuresCsv, historyCsv, snapshotJson, weightsCsv } from './exportData';
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

  const exportSvg = (): Promise<void> => exportReportingFailure(() => {
    const { svg } = compose();
    downloadBlob(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }), fileName('svg'));
  }, 'The SVG export failed: reload the page and export again.', onError);

  const exportPng = async (): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    setRasterizing(true);
    try {
      await exportReportingFailure(async () => {
        const { svg, width, height } = compose();
        downloadBlob(await rasterizeSvg(svg, width, height), fileName('png'));
      }, 'The PNG export failed: the browser could not draw the figure; try the SVG export instead.', onError);
    } finally {
      busy.current = false;
      setRasterizing(false);
    }
  };

  return (
    <div className="export-buttons" role="group" aria-label={`Export the ${name} panel`}>
      <button type="button" className="export-button" data-testid={`export-${name}-svg`} aria-label={`Export ${name} panel as SVG`} onClick={() => void exportSvg()}>
        SVG
      </button>
      {/* aria-disabled rather than disabled, so keyboard focus stays on the button while it works. */}
      <button type="button" className="export-button" data-testid={`export-${name}-png`} aria-label={`Export ${name} panel as PNG`}
        aria-disabled={rasterizing} aria-busy={rasterizing} onClick={() => void exportPng()}>
        PNG
      </button>
    </div>
  );
}

interface DataExportButtonsProps {
  getSnapshot: () => PanelSnapshot | null;
  getHistory: () => MetricsHistory;
  params: Params;
  onError: (message: string) => void;
}

interface DataFile {
  kind: string;
  ext: string;
  type: string;
  build: (snapshot: PanelSnapshot, history: MetricsHistory, params: Params) => string;
}

const CSV_TYPE = 'text/csv;charset=utf-8';
const FEATURES_FILE: DataFile = { kind: 'features', ext: 'csv', type: CSV_TYPE, build: (snapshot) => featuresCsv(snapshot) };
const WEIGHTS_FILE: DataFile = { kind: 'weights', ext: 'csv', type: CSV_TYPE, build: (snapshot) => weightsCsv(snapshot) };
const HISTORY_FILE: DataFile = { kind: 'history', ext: 'csv', type: CSV_TYPE, build: (_snapshot, history) => historyCsv(history) };
const SNAPSHOT_FILE: DataFile = { kind: 'snapshot', ext: 'json', type: 'application/json', build: (snapshot, history, params) => snapshotJson(snapshot, params, history) };

export function DataExportButtons({ getSnapshot, getHistory, params, onError }: DataExportButtonsProps) {
  const save = (file: DataFile): void => {
    const snapshot = getSnapshot();
    if (!snapshot) {
      onError(NOTHING_TO_EXPORT);
      return;
    }
    void exportReportingFailure(() => {
      const text = file.build(snapshot, getHistory(), params);
      downloadBlob(new Blob([text], { type: file.type }), exportFileName(file.kind, params, snapshot.step, file.ext));
    }, `The ${file.kind} export failed: reload the page and export again.`, onError);
  };

  return (
    <div className="export-data" role="group" aria-label="Export the run’s numbers">
      <button type="button" className="export-button" data-testid="export-features-csv" onClick={() => save(FEATURES_FILE)}
        title="Every training sample: identity, raw and unit feature, angle to its W">Features CSV</button>
      <button type="button" className="export-button" data-testid="export-weights-csv" onClick={() => save(WEIGHTS_FILE)}
        title="Every class direction W_j and its angle">W CSV</button>
      <button type="button" className="export-button" data-testid="export-history-csv" onClick={() => save(HISTORY_FILE)}
        title="Loss and train accuracy at every drawn step">History CSV</button>
      <button type="button" className="export-button" data-testid="export-json" onClick={() => save(SNAPSHOT_FILE)}
        title="Settings, features, W, Table 3 angles and history in one file">Snapshot JSON</button>
    </div>
  );
}
