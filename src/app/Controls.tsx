/**
 * Sliders, number fields and buttons, all generated from the parameter schema. A value
 * typed into a field is checked against the schema before it reaches the worker.
 *
 * In compare mode the sidebar edits one run at a time: the run buttons pick it, the
 * preset menu and the m1, m2, m3 and s controls are that run's own, and the rest (the
 * learning rate, seed, data, warm-up, fallback) is shared by every run.
 */
import { useEffect, useState } from 'react';
import { COMPARE_MAX_RUNS, COMPARE_MIN_RUNS } from '../core/compare';
import { PRESETS } from '../core/presets';
import { SPHEREFACE_REIMPLEMENTATION_LABEL } from '../core/sphereface';
import { SCHEMA, checkNumber, parseNumberStrict, type DatasetName, type NumberSpec, type Params } from '../core/schema';
import { toDegrees } from '../core/margin';
import type { HideableControl } from '../core/urlState';
import { runDashArray } from '../panels/runStyle';
import { FeasibilityHint } from './FeasibilityHint';

type NumberKey = { [K in keyof Params]: Params[K] extends number ? K : never }[keyof Params];

/** The extra loss terms' weights, in the fold under s. */
const LOSS_TERM_KEYS = ['intra', 'inter', 'triplet', 'tripletMargin', 'center'] as const;
/** The other losses' curve parameters of Fig. 4b and Fig. 5. */
const CURVE_KEYS = ['sphereLambda', 'curricularT', 'adaNorm', 'elasticSigma', 'magMagnitude'] as const;
const DATASET_LABELS: Record<DatasetName, string> = { synthetic: 'synthetic identities', digits: 'handwritten digits (MNIST)' };

interface ChoiceControlProps {
  id: string;
  label: string;
  title?: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange(value: string): void;
}

/** A labelled menu; its data-testid is its id. */
function ChoiceControl({ id, label, title, value, options, onChange }: ChoiceControlProps) {
  return (
    <div className="control">
      <label htmlFor={id} title={title}>
        {label}
      </label>
      <select id={id} data-testid={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface NumberControlProps {
  paramKey: NumberKey;
  value: number;
  onChange: (value: number) => void;
  /** Why the control cannot change this run (Softmax has no margin), or undefined. */
  disabledReason?: string;
}

/** Slider position for a value; log-scale specs move in log space so small rates are reachable. */
function toSlider(spec: NumberSpec, value: number): number {
  return spec.logScale ? Math.log10(value) : value;
}
function fromSlider(spec: NumberSpec, position: number): number {
  if (!spec.logScale) return position;
  const value = 10 ** position;
  // Keep three significant digits so the field shows 0.00316, not 0.0031622776.
  return Number(value.toPrecision(3));
}

function NumberControl({ paramKey, value, onChange, disabledReason }: NumberControlProps) {
  const spec = SCHEMA[paramKey];
  const [draft, setDraft] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setDraft(String(value));
  }, [value]);
  const id = `param-${paramKey}`;
  const commit = (text: string): void => {
    const checked = checkNumber(spec, parseNumberStrict(text));
    setProblem(checked.problem ?? null);
    if (!checked.problem || Number.isFinite(parseNumberStrict(text))) onChange(checked.value);
    setDraft(String(checked.value));
  };
  const disabled = disabledReason !== undefined;
  return (
    <div className="control" title={disabledReason}>
      <label htmlFor={id} title={spec.help}>
        {spec.label}
        {paramKey === 'm2' && <span className="control-unit"> = {toDegrees(value).toFixed(1)}°</span>}
      </label>
      <div className="control-row">
        <input
          type="range"
          data-testid={`slider-${paramKey}`}
          aria-label={`${spec.label} slider`}
          // Log-scale sliders move in log10 space: a screen reader should hear 0.01, not −2.
          aria-valuetext={`${value}${spec.unit ? ` ${spec.unit}` : ''}${paramKey === 'm2' ? `, ${toDegrees(value).toFixed(1)}°` : ''}`}
          min={toSlider(spec, spec.min)}
          max={toSlider(spec, spec.max)}
          step={spec.logScale ? 0.01 : spec.step}
          value={toSlider(spec, value)}
          disabled={disabled}
          onChange={(event) => onChange(fromSlider(spec, Number(event.target.value)))}
        />
        <input
          id={id}
          data-testid={id}
          type="text"
          inputMode="decimal"
          className="control-number"
          value={draft}
          disabled={disabled}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={(event) => commit(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit(event.currentTarget.value);
          }}
        />
        {spec.unit && <span className="control-unit">{spec.unit}</span>}
      </div>
      {problem && (
        <p className="control-problem" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** A run as its button shows it. */
export interface RunChoice {
  letter: string;
  label: string;
  /** The run's line colour on the current paper (never an identity colour). */
  colour: string;
}

/** Compare mode's switch and run buttons; `runs` has one entry in single mode. */
export interface CompareControlsProps {
  runs: readonly RunChoice[];
  selected: number;
  onCompare: (on: boolean) => void;
  onSelect: (index: number) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}

/** The run's line as the panels draw it: its colour and dash pattern, so the button matches the legend. */
function RunSwatch({ index, colour }: { index: number; colour: string }) {
  const width = 2;
  return (
    <svg className="run-swatch" width="22" height="8" aria-hidden="true">
      <line x1="1" y1="4" x2="21" y2="4" stroke={colour} strokeWidth={width} strokeDasharray={runDashArray(index, width)} />
    </svg>
  );
}

function CompareControls({ runs, selected, onCompare, onSelect, onAdd, onRemove }: CompareControlsProps) {
  const comparing = runs.length >= COMPARE_MIN_RUNS;
  const current = runs[selected];
  return (
    <div className="compare-controls">
      <label className="compare-switch" title="Train 2 to 4 losses side by side, in lockstep: same data, seed, initial weights and batches">
        <input type="checkbox" role="switch" aria-checked={comparing} data-testid="compare-toggle" checked={comparing} onChange={(event) => onCompare(event.target.checked)} /> compare losses
      </label>
      {comparing && (
        <fieldset className="run-picker">
          <legend>run to edit</legend>
          <div className="run-tabs">
            {runs.map((run, index) => (
              <button
                type="button"
                key={run.letter}
                className="run-tab"
                data-testid={`run-tab-${index}`}
                aria-pressed={index === selected}
                onClick={() => onSelect(index)}
                title={`Run ${run.letter}: ${run.label}`}>
                <RunSwatch index={index} colour={run.colour} />
                <span className="run-letter">{run.letter}</span>{' '}
                <span className="run-label" data-testid={`run-label-${index}`}>
                  {run.label}
                </span>
              </button>
            ))}
          </div>
          <div className="run-actions">
            <button type="button" data-testid="add-run" disabled={runs.length >= COMPARE_MAX_RUNS} onClick={onAdd}>
              + add run
            </button>
            <button type="button" data-testid="remove-run" disabled={runs.length <= COMPARE_MIN_RUNS} onClick={() => onRemove(selected)}>
              remove run {current?.letter}
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}

interface ControlsProps {
  params: Params;
  presetId: string;
  playing: boolean;
  stepsPerFrame: number;
  onParams: (next: Params) => void;
  onPreset: (presetId: string) => void;
  onPlay: () => void;
  onStep: (count: number) => void;
  onReset: () => void;
  onSpeed: (stepsPerFrame: number) => void;
  /** Controls a link asked to hide (for classrooms). */
  hidden?: ReadonlySet<HideableControl>;
  compare: CompareControlsProps;
}

const SPEEDS = [1, 2, 4, 8, 16, 32] as const;

export function Controls(props: ControlsProps) {
  const { params, onParams, compare } = props;
  const set =
    <K extends keyof Params>(key: K) =>
    (value: Params[K]) =>
      onParams({ ...params, [key]: value });
  const show = (control: HideableControl): boolean => !props.hidden?.has(control);
  const comparing = compare.runs.length >= COMPARE_MIN_RUNS;
  const run = compare.runs[compare.selected];
  // A compared Softmax run keeps no margin or scale of its own (its link could not say one), so its sliders rest.
  const lossDisabled = comparing && params.head === 'softmax' ? 'Softmax has no margin and no scale: choose a margin preset for this run to set them' : undefined;
  return (
    <section className="controls" aria-label="Training controls">
      <div className="control-buttons">
        {show('play') && (
          <button type="button" data-testid="play" onClick={props.onPlay} aria-keyshortcuts="Space">
            {props.playing ? 'Pause' : 'Play'}
          </button>
        )}
        {show('step') && (
          <button type="button" data-testid="step" onClick={() => props.onStep(1)} aria-keyshortcuts="ArrowRight">
            Step
          </button>
        )}
        {show('step') && (
          <button type="button" data-testid="step-10" onClick={() => props.onStep(10)}>
            Step 10
          </button>
        )}
        {show('reset') && (
          <button type="button" data-testid="reset" onClick={props.onReset} aria-keyshortcuts="r">
            Reset
          </button>
        )}
      </div>
      <CompareControls {...compare} />
      {comparing && run && (
        <h2 className="control-group" data-testid="run-heading">
          <RunSwatch index={compare.selected} colour={run.colour} /> run {run.letter}’s loss
        </h2>
      )}
      {show('preset') && (
        <div className="control">
          <label htmlFor="preset">{comparing && run ? `preset of run ${run.letter}` : 'preset'}</label>
          <select id="preset" data-testid="preset" value={props.presetId} onChange={(event) => props.onPreset(event.target.value)}>
            {PRESETS.map((preset) => (
              // The short label keeps the menu narrow; the re-implemented SphereFace's full name is its tooltip.
              <option key={preset.id} value={preset.id} title={preset.id === 'sphereface' ? SPHEREFACE_REIMPLEMENTATION_LABEL : undefined}>
                {preset.label}
              </option>
            ))}
            <option value="custom" disabled>
              custom
            </option>
          </select>
        </div>
      )}
      {show('m1') && <NumberControl paramKey="m1" value={params.m1} onChange={set('m1')} disabledReason={lossDisabled} />}
      {show('m2') && <NumberControl paramKey="m2" value={params.m2} onChange={set('m2')} disabledReason={lossDisabled} />}
      {show('m3') && <NumberControl paramKey="m3" value={params.m3} onChange={set('m3')} disabledReason={lossDisabled} />}
      {(show('m1') || show('m2') || show('m3')) && <FeasibilityHint params={params} />}
      {show('s') && <NumberControl paramKey="s" value={params.s} onChange={set('s')} disabledReason={lossDisabled} />}
      {show('s')
      // Closed unless a term is on: most runs use none, and a preset (NS + Intra, Centre loss…) sets them.
      && (
        <details className="control-terms" data-testid="loss-terms" open={params.intra > 0 || params.inter > 0 || params.triplet > 0 || params.center > 0 || params.head === 'triplet'}>
          <summary>extra loss terms (Sec. 3.4, centre loss)</summary>
          {LOSS_TERM_KEYS.map((key) => (
            <NumberControl key={key} paramKey={key} value={params[key]} onChange={set(key)} />
          ))}
        </details>
      )}
      {comparing && <h2 className="control-group">shared by all runs</h2>}
      {show('lr') && <NumberControl paramKey="lr" value={params.lr} onChange={set('lr')} />}
      {show('seed') && <NumberControl paramKey="seed" value={params.seed} onChange={set('seed')} />}
      {show('n') && (
        <ChoiceControl
          id="data"
          label="data"
          title={SCHEMA.data.help}
          value={params.data}
          options={SCHEMA.data.options.map((name) => ({ value: name, label: DATASET_LABELS[name] }))}
          onChange={(data) => onParams({ ...params, data: data as DatasetName })}
        />
      )}
      {show('n') && <NumberControl paramKey="samplesPerIdentity" value={params.samplesPerIdentity} onChange={set('samplesPerIdentity')} />}
      {show('speed') && (
        <ChoiceControl
          id="speed"
          label="speed (steps per frame)"
          value={String(props.stepsPerFrame)}
          // A speed from a link that is not on the menu is still shown as chosen.
          options={[...new Set<number>([...SPEEDS, props.stepsPerFrame])].map((speed) => ({ value: String(speed), label: String(speed) }))}
          onChange={(speed) => props.onSpeed(Number(speed))}
        />
      )}
      {show('checks') && (
        <div className="control control-checks">
          <label title={SCHEMA.warmupSteps.help}>
            <input type="checkbox" checked={params.warmupSteps > 0} onChange={(event) => onParams({ ...params, warmupSteps: event.target.checked ? SCHEMA.warmupSteps.default : 0 })} /> margin warm-up
          </label>
          <label title={SCHEMA.fallback.help}>
            <input type="checkbox" checked={params.fallback} onChange={(event) => onParams({ ...params, fallback: event.target.checked })} /> monotonic fallback
          </label>
        </div>
      )}
      <details className="control-group-details" data-testid="curve-controls">
        <summary>other losses’ curves (Fig. 4b, Fig. 5)</summary>
        {CURVE_KEYS.map((key) => (
          <NumberControl key={key} paramKey={key} value={params[key]} onChange={set(key)} />
        ))}
      </details>
    </section>
  );
}
