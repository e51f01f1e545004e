/**
 * The paper's Table 3 statistics, live, beside the paper's own values for
 * norm-softmax and ArcFace (CASIA, ResNet50), with the train accuracy and the
 * verification accuracy of Fig. 6 below them. One live column per run.
 *
 * A table cannot wrap a column in an element, and each run's cells must sit inside
 * its own (`data-testid="run-<index>"`), so every column is a small table of its own,
 * side by side with rows of one fixed height: each names its column in its caption and
 * each row in a row header, seen only by screen readers (the visible row labels are
 * one more column, hidden from them). The live cells are written straight into the DOM
 * on each snapshot; React renders the tables once.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { AngleReport } from '../core/angles';
import { DATA_PARTS, PART_STAT_ROWS, partStat, type DataPart, type PartStatRow, type TestPartStats } from '../core/digitsTable';
import { RunChip } from './RunLegend';
import { isCompare, runFigureName } from './runStyle';
import { STATS_TITLE_HEIGHT, formatDegrees, formatShare, statsLayout, statsLayoutWithPaper, type StatsHeader, type StatsLayout } from './statsLayout';
import type { PanelProps, PanelRun, PanelSnapshot, PanelTheme } from './types';
import './statsPanel.css';

export type StatKey = keyof AngleReport | 'trainAccuracy' | 'verifyAccuracy';

interface StatRow {
  key: StatKey;
  label: string;
  help: string;
  unit: 'degrees' | 'fraction';
  /** The paper's values, NS and ArcFace; null where the paper has none. */
  paper: [number, number] | null;
}

export const STAT_ROWS: readonly StatRow[] = [
  { key: 'wEC', label: 'W-EC', unit: 'degrees', help: 'mean angle between W_j and identity j’s feature centre', paper: [44.26, 14.29] },
  { key: 'wInter', label: 'W-Inter', unit: 'degrees', help: 'mean smallest angle between class directions W', paper: [69.66, 71.61] },
  { key: 'intraTrain', label: 'Intra1', unit: 'degrees', help: 'mean angle from a training feature to its identity’s centre', paper: [50.5, 38.45] },
  { key: 'interTrain', label: 'Inter1', unit: 'degrees', help: 'mean smallest angle between training identities’ centres', paper: [59.23, 65.83] },
  { key: 'intraHeldout', label: 'Intra2', unit: 'degrees', help: 'as Intra1, on 8 identities never trained on (the paper: LFW)', paper: [33.97, 28.05] },
  { key: 'interHeldout', label: 'Inter2', unit: 'degrees', help: 'as Inter1, on the held-out identities', paper: [65.6, 66.55] },
  { key: 'gapTrain', label: 'Arc gap', unit: 'degrees', help: 'smallest empty angle between neighbouring identities’ arcs (2nd–98th percentile); negative = overlap', paper: null },
  { key: 'trainAccuracy', label: 'Train acc.', unit: 'fraction', help: 'share of training samples whose own W scores highest', paper: null },
  {
    key: 'verifyAccuracy',
    label: 'Verif. acc.',
    unit: 'fraction',
    help: 'same identity or not, by the angle between two held-out samples of the trained identities, at the best threshold (balanced accuracy, Fig. 6)',
    paper: null,
  },
];

/** With a soft hyphen, so a narrow column breaks it as Arc-/Face rather than anywhere. */
const PAPER_ARCFACE = 'paper Arc\u00adFace';
const PAPER_HEADERS: readonly StatsHeader[] = [
  { text: 'paper NS', chip: false },
  { text: PAPER_ARCFACE, chip: false },
];

const NOTE = 'The paper trained 10k identities; with 8, centres spread to about 45° (360/8), so Inter saturates there. Hover a row for its definition.';

/** The raw number behind a statistic: degrees, or a fraction for the accuracies; null when there is none yet. */
export function statValue(snapshot: PanelSnapshot, key: StatKey): number | null {
  if (key === 'trainAccuracy') return snapshot.trainAccuracy;
  if (key === 'verifyAccuracy') return snapshot.pairs?.test.verification?.accuracy ?? null;
  return snapshot.angles[key];
}

function formatStat(row: StatRow, value: number | null): string {
  if (value === null) return '–';
  return row.unit === 'fraction' ? formatShare(value) : formatDegrees(value);
}

interface ColumnProps {
  caption: ReactNode;
  /** Accessible name of the column's table. */
  name: string;
  layout: StatsLayout;
  className?: string;
  testId?: string;
  cell: (row: StatRow) => ReactNode;
}

/** A column's header: fixed height, text at the bottom, as a table header row would be. */
function Header({ layout, children }: { layout: StatsLayout; children: ReactNode }) {
  return (
    <caption>
      <div className="table3-header" style={{ height: layout.headerHeight, lineHeight: `${layout.headerLineHeight}px`, fontSize: layout.headerFontSize }}>
        <span>{children}</span>
      </div>
    </caption>
  );
}

/** One column as a table: caption = column header, each row a (hidden) row header and a cell. */
function StatsColumn({ caption, name, layout, className, testId, cell }: ColumnProps) {
  return (
    <table className={`table3-column ${className ?? ''}`} data-testid={testId} aria-label={name} style={{ width: layout.valueWidth }}>
      <Header layout={layout}>{caption}</Header>
      <colgroup>
        <col className="table3-row-name-column" />
        <col />
      </colgroup>
      <tbody>
        {STAT_ROWS.map((row) => (
          <tr key={row.key} title={row.help} style={{ height: layout.rowHeight }}>
            <th scope="row" className="table3-row-name">
              {row.label}
            </th>
            {cell(row)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const PART_HEADERS: Record<DataPart, string> = { train: 'train', test: 'test', unseen: 'unseen ids' };
const PART_NAMES: Record<DataPart, string> = {
  train: 'The training part',
  test: 'The test part: further images of the trained digits, never trained on',
  unseen: 'The unseen identities: digits 8 and 9',
};
const DIGITS_NOTE = 'Digits 0–7 train on their first images and are tested on later ones; 8 and 9 are never trained on. Hover a row for its definition.';

/**
 * Table 3 on the handwritten digits (one run): the same figures on the training part, the
 * test part and the unseen digits, side by side, so memorising shows as the gap between
 * the first two columns. Compare mode keeps the one-column-per-run table.
 */
function DigitsStatsPanel({ run, size, theme }: { run: PanelRun; size: PanelProps['size']; theme: PanelTheme }) {
  const cells = useRef(new Map<string, HTMLTableCellElement>());
  const layout = useMemo(
    () =>
      statsLayout(
        size,
        theme.fontSize + 1,
        PART_STAT_ROWS.map((row) => row.label),
        DATA_PARTS.map((part) => ({ text: PART_HEADERS[part], chip: false })),
        'in degrees',
        DIGITS_NOTE,
      ),
    [size, theme.fontSize],
  );
  useEffect(() => {
    const write = (snapshot: PanelSnapshot & Partial<TestPartStats>): void => {
      for (const part of DATA_PARTS) {
        for (const row of PART_STAT_ROWS) {
          const cell = cells.current.get(`${part}:${row.key}`);
          if (!cell) continue;
          const value = partStat(snapshot, part, row.key);
          cell.textContent = value === null ? '–' : row.unit === 'fraction' ? formatShare(value) : formatDegrees(value);
          if (value !== null && Number.isFinite(value)) cell.dataset.value = String(value);
          else delete cell.dataset.value;
        }
      }
    };
    if (run.bus.latest) write(run.bus.latest);
    return run.bus.subscribe(write);
  }, [run]);
  const gridStyle = { fontSize: layout.fontSize, '--table3-padding': `${layout.padding}px` } as CSSProperties;
  const rowsOf = (cell: (row: PartStatRow) => ReactNode) =>
    PART_STAT_ROWS.map((row) => (
      <tr key={row.key} title={row.help} style={{ height: layout.rowHeight }}>
        {cell(row)}
      </tr>
    ));
  return (
    <figure className="panel table3-panel" data-testid="panel-stats" data-table="digits" style={{ width: size.width, height: size.height }}>
      <figcaption className="panel-title" style={{ height: STATS_TITLE_HEIGHT, boxSizing: 'border-box' }}>
        Angle statistics (Table 3), digits
      </figcaption>
      <div className="table3-grid" style={gridStyle} data-testid={`run-${run.index}`}>
        <table className="table3-column table3-labels" aria-hidden="true" style={{ width: layout.labelWidth }}>
          <Header layout={layout}>in degrees</Header>
          <tbody>
            {rowsOf((row) => (
              <th>{row.label}</th>
            ))}
          </tbody>
        </table>
        {DATA_PARTS.map((part) => (
          <table key={part} className="table3-column table3-live" data-testid={`part-${part}`} aria-label={PART_NAMES[part]} style={{ width: layout.valueWidth }}>
            <Header layout={layout}>{PART_HEADERS[part]}</Header>
            <colgroup>
              <col className="table3-row-name-column" />
              <col />
            </colgroup>
            <tbody>
              {rowsOf((row) => (
                <>
                  <th scope="row" className="table3-row-name">
                    {row.label}
                  </th>
                  <td
                    data-testid={`stat-${part}-${row.key}`}
                    ref={(cell) => {
                      if (cell) cells.current.set(`${part}:${row.key}`, cell);
                    }}>
                    –
                  </td>
                </>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      {layout.showNote && <p className="panel-note table3-note">{DIGITS_NOTE}</p>}
    </figure>
  );
}

export function StatsPanel({ runs, size, theme }: PanelProps) {
  const only = runs.length === 1 ? runs[0] : null;
  if (only && only.params.data === 'digits') return <DigitsStatsPanel run={only} size={size} theme={theme} />;
  return <RunsStatsPanel runs={runs} size={size} theme={theme} />;
}

function RunsStatsPanel({ runs, size, theme }: PanelProps) {
  const compare = isCompare(runs);
  const cells = useRef(new Map<string, HTMLTableCellElement>());
  const runHeaders = useMemo<StatsHeader[]>(
    () => runs.map((run) => (compare ? { text: runFigureName(run.label, run.params), chip: true, letter: run.letter } : { text: 'live', chip: false })),
    [runs, compare],
  );
  // Asked for with the button; it only matters where the paper's columns fold (statsLayoutWithPaper).
  const [paperWanted, setPaperWanted] = useState(false);
  const fold = useMemo(
    () =>
      statsLayoutWithPaper(
        size,
        theme.fontSize + 1,
        STAT_ROWS.map((row) => row.label),
        runHeaders,
        PAPER_HEADERS,
        'in degrees',
        NOTE,
        { foldable: compare, paperWanted },
      ),
    [size, theme.fontSize, runHeaders, compare, paperWanted],
  );
  const layout = fold.layout;

  // The layout estimates the note's lines from the table's type, but the note's type
  // follows the page's (larger in the projector theme): measured, it shows only whole.
  const figureRef = useRef<HTMLElement | null>(null);
  const noteRef = useRef<HTMLParagraphElement | null>(null);
  const [noteFits, setNoteFits] = useState(true);
  useLayoutEffect(() => {
    const note = noteRef.current;
    const figure = figureRef.current;
    if (!note || !figure || !layout.showNote) return;
    setNoteFits(note.offsetTop + note.offsetHeight <= figure.clientHeight);
  }, [layout]);

  useEffect(() => {
    const unsubscribes = runs.map((run) => {
      const write = (snapshot: PanelSnapshot): void => {
        for (const row of STAT_ROWS) {
          const cell = cells.current.get(`${run.index}:${row.key}`);
          if (!cell) continue;
          const value = statValue(snapshot, row.key);
          cell.textContent = formatStat(row, value);
          // Test contract (e2e): the raw number behind the rounded text.
          if (value !== null && Number.isFinite(value)) cell.dataset.value = String(value);
          else delete cell.dataset.value;
        }
      };
      if (run.bus.latest) write(run.bus.latest);
      return run.bus.subscribe(write);
    });
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [runs]);

  const liveCell = (run: PanelRun) => (row: StatRow) => (
    <td
      data-testid={`stat-${row.key}`}
      ref={(cell) => {
        if (cell) cells.current.set(`${run.index}:${row.key}`, cell);
      }}>
      –
    </td>
  );
  const paperCell = (which: 0 | 1) => (row: StatRow) => <td>{row.paper ? row.paper[which].toFixed(2) : '–'}</td>;

  const gridStyle = { fontSize: layout.fontSize, '--table3-padding': `${layout.padding}px` } as CSSProperties;
  return (
    <figure ref={figureRef} className={`panel table3-panel${compare ? ' table3-compare' : ''}`} data-testid="panel-stats" style={{ width: size.width, height: size.height }}>
      <figcaption className="panel-title" style={{ height: STATS_TITLE_HEIGHT, boxSizing: 'border-box' }}>
        Angle statistics (Table 3)
      </figcaption>
      <div className="table3-grid" style={gridStyle}>
        <table className="table3-column table3-labels" aria-hidden="true" style={{ width: layout.labelWidth }}>
          <Header layout={layout}>in degrees</Header>
          <tbody>
            {STAT_ROWS.map((row) => (
              <tr key={row.key} title={row.help} style={{ height: layout.rowHeight }}>
                <th>{row.label}</th>
              </tr>
            ))}
          </tbody>
        </table>
        {runs.map((run) => (
          <StatsColumn
            key={run.index}
            testId={`run-${run.index}`}
            className="table3-live"
            layout={layout}
            name={compare ? `Run ${run.letter}: ${run.label}` : 'Live values'}
            caption={compare ? <RunCaption run={run} layout={layout} theme={theme} named={layout.headerMode === 'names'} /> : 'live'}
            cell={liveCell(run)}
          />
        ))}
        {fold.paperShown && (
          <>
            <StatsColumn caption="paper NS" name="The paper’s norm-softmax (CASIA, ResNet50)" layout={layout} className="table3-paper" cell={paperCell(0)} />
            <StatsColumn caption={PAPER_ARCFACE} name="The paper’s ArcFace (CASIA, ResNet50)" layout={layout} className="table3-paper" cell={paperCell(1)} />
          </>
        )}
      </div>
      {compare && layout.headerMode === 'letters' && (
        <p className="table3-key" style={{ fontSize: layout.headerFontSize }}>
          {runs.map((run) => (
            <span key={run.index}>
              <RunChip run={run} size={Math.round(layout.headerFontSize * 0.8)} lineWidth={Math.max(1.5, theme.lineWidth * 0.7)} /> {runFigureName(run.label, run.params)}
            </span>
          ))}
        </p>
      )}
      {fold.offered && (
        <button
          type="button"
          className="table3-paper-toggle"
          data-testid="stats-paper-toggle"
          aria-pressed={fold.paperShown}
          title="The paper’s norm-softmax and ArcFace values (CASIA, ResNet50) beside the runs, in smaller type"
          onClick={() => setPaperWanted(!fold.paperShown)}
          style={{ fontSize: layout.headerFontSize, height: layout.toggleHeight - 6 }}>
          Paper’s columns <span aria-hidden="true">{fold.paperShown ? '◂' : '▸'}</span>
        </button>
      )}
      {layout.showNote && (
        <p ref={noteRef} className="panel-note table3-note" style={noteFits ? undefined : { visibility: 'hidden' }}>
          {NOTE}
        </p>
      )}
    </figure>
  );
}

/** A run's column header: its chip, and its name unless the key under the table gives it. */
function RunCaption({ run, layout, theme, named }: { run: PanelRun; layout: StatsLayout; theme: PanelTheme; named: boolean }) {
  return (
    <span title={`Run ${run.letter}: ${run.label}`}>
      <RunChip run={run} size={Math.round(layout.headerFontSize * 0.8)} lineWidth={Math.max(1.5, theme.lineWidth * 0.7)} />
      {named && ` ${runFigureName(run.label, run.params)}`}
    </span>
  );
}
