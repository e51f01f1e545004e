/**
 * Compare mode's run list (issue #10): 2 to 4 runs that train in lockstep on the same
 * data, seed, initial weights and batch order, and differ only in their loss settings.
 *
 * Link and CLI syntax, one entry per run, comma-separated:
 *
 *   compare=softmax,arcface                  two presets
 *   compare=arcface,arcface~m2=0.3~s=32      a preset, then `~key=value` overrides
 *
 * A run starts with a preset id and may override its loss settings: m1, m2, m3, s, head
 * and the weights of the extra terms (intra, inter, triplet, tm, center; their schema URL
 * names). Everything else is shared, taken from the rest of the link: a seed or data
 * override in one run would break the lockstep, so it is refused with a correction.
 * Decoding never throws; what it had to change is reported in plain words, as for every
 * other link parameter. Encoding writes the canonical form, which decodes to the same runs.
 */
import { NO_TERMS, PRESETS, findPreset, ignoresMargins, matchPreset, withPreset, type Preset } from './presets';
import { PARAM_KEYS, SCHEMA, parseNumberStrict, parseParam, rangeText, type Params } from './schema';

export const COMPARE_MIN_RUNS = 2;
export const COMPARE_MAX_RUNS = 4;
export const RUN_SEPARATOR = ',';
export const OVERRIDE_SEPARATOR = '~';
/**
 * Longer specs are refused as a whole. Four runs overriding all nine numbers (the margins,
 * s and the five term settings) at full double precision ('0.30000000000000004') take
 * about 1,050 characters.
 */
export const MAX_COMPARE_SPEC_LENGTH = 1200;

/** The settings a run may change; in this order in the canonical form and in labels. */
export const COMPARE_LOSS_KEYS = ['head', 'm1', 'm2', 'm3', 's', 'intra', 'inter', 'triplet', 'tripletMargin', 'center'] as const;
export type CompareLossKey = (typeof COMPARE_LOSS_KEYS)[number];
export type LossSettings = Pick<Params, CompareLossKey>;

export interface CompareRun {
  /** The preset these loss settings are exactly (s aside), or 'custom'. */
  preset: string;
  /** For legends: 'Softmax', 'ArcFace (m2 = 0.3)', 'ArcFace (0.5), s = 32'. */
  label: string;
  /** The shared params with this run's loss settings. */
  params: Params;
}

export interface DecodedCompare {
  /** null when compare is off: no spec, or fewer than 2 usable runs. */
  runs: CompareRun[] | null;
  corrections: string[];
}

/** Shows a user's text in a message without letting a huge or odd value take over. */
export function quoteInput(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are replaced before user text is shown
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return `'${printable.length > 24 ? `${printable.slice(0, 24)}…` : printable}'`;
}

export const RUN_LETTERS = ['A', 'B', 'C', 'D'] as const;
export type RunLetter = (typeof RUN_LETTERS)[number];

export interface CompareRunStyle {
  letter: RunLetter;
  /** Line colour on light paper (the light and projector themes). */
  onLight: string;
  /** Line colour on dark paper. */
  onDark: string;
  /** Dash pattern in line widths (canvas setLineDash, SVG stroke-dasharray); [] is solid. */
  dash: readonly number[];
}

/**
 * How runs A to D are drawn. The 8 identity colours (Okabe–Ito, src/panels/palette.ts)
 * cover the hue circle, so runs cannot be told from identities by hue. They are told
 * apart by lightness instead: on light paper the runs are near-black inks (CIE L* ≤ 26;
 * the darkest identity colour, blue, is 46), on dark paper near-white tints (L* ≥ 93,
 * chroma ≤ 10; the lightest identity colour, yellow, is 89 with chroma 77). Between
 * themselves runs differ by dash pattern and letter first, so that they stay apart for
 * colour-blind readers and in greyscale print; the tint of each is a third cue only.
 */
export const COMPARE_RUN_STYLES: readonly CompareRunStyle[] = [
  { letter: 'A', onLight: '#000000', onDark: '#ffffff', dash: [] },
  { letter: 'B', onLight: '#332288', onDark: '#e6edff', dash: [4, 2] },
  { letter: 'C', onLight: '#5c1a33', onDark: '#ffe8f1', dash: [1, 2] },
  { letter: 'D', onLight: '#14452f', onDark: '#e0f7ec', dash: [4, 2, 1, 2] },
];

export function runLetter(index: number): RunLetter {
  return RUN_LETTERS[Math.min(RUN_LETTERS.length - 1, Math.max(0, Math.floor(index)))];
}

export function compareRunStyle(index: number): CompareRunStyle {
  return COMPARE_RUN_STYLES[Math.min(COMPARE_RUN_STYLES.length - 1, Math.max(0, Math.floor(index)))];
}

export function lossSettings(params: Params): LossSettings {
  return {
    head: params.head,
    m1: params.m1,
    m2: params.m2,
    m3: params.m3,
    s: params.s,
    intra: params.intra,
    inter: params.inter,
    triplet: params.triplet,
    tripletMargin: params.tripletMargin,
    center: params.center,
  };
}

const MARGIN_KEYS = ['m1', 'm2', 'm3'] as const;
const TERM_KEYS = ['intra', 'inter', 'triplet', 'tripletMargin', 'center'] as const;
type OverrideKey = (typeof MARGIN_KEYS)[number] | (typeof TERM_KEYS)[number] | 's';

/**
 * Plain softmax reads none of m1, m2, m3 and s, so a softmax run pins them (to the
 * Softmax preset and the shared s), so that two softmax runs are always seen as twins.
 */
function settle(loss: LossSettings, shared: Params): LossSettings {
  const zeroed = (value: number): number => (value === 0 ? 0 : value); // −0 prints as '0'
  // The triplet's margin means nothing without the triplet term: pinned, so it cannot tell two runs apart.
  const terms = {
    intra: zeroed(loss.intra),
    inter: zeroed(loss.inter),
    triplet: zeroed(loss.triplet),
    tripletMargin: loss.triplet === 0 ? NO_TERMS.tripletMargin : zeroed(loss.tripletMargin),
    center: zeroed(loss.center),
  };
  // Softmax's logits are W·x + b: only the centre loss among the terms is its own (the others measure angles to W).
  if (loss.head === 'softmax') return { ...lossSettings(withPreset(shared, 'softmax')), head: 'softmax', s: shared.s, center: terms.center };
  const base = ignoresMargins(loss.head) ? PRESETS.find((preset) => preset.head === loss.head) : undefined;
  const margins = base ? { m1: base.m1, m2: base.m2, m3: base.m3 } : { m1: zeroed(loss.m1), m2: zeroed(loss.m2), m3: zeroed(loss.m3) };
  return { head: loss.head, ...margins, s: zeroed(loss.s), ...terms };
}

/**
 * Bases for a margin that is no preset exactly. One preset per family (the ArcFace
 * variants 0.4 to 0.55 are left out), so that a label names only overrides from the
 * family's own preset: ArcFace (m2 = 0.4, m3 = 0.1) rather than ArcFace (m3 = 0.1)
 * on top of a hidden 0.4. On a tie the earlier wins: m2 alone reads as ArcFace, m3
 * alone as CosFace, m1 alone as SphereFace, rather than as Norm-Softmax.
 */
const CUSTOM_BASE_ORDER = ['arcface', 'cosface', 'sphereface', 'norm-softmax', 'cm1', 'cm2'] as const;

interface RunForm {
  base: Preset;
  /** Overridden settings in COMPARE_LOSS_KEYS order; head is never needed. */
  overrides: OverrideKey[];
}

/** The shortest way to write a run: its preset, and what differs from it. */
function runForm(loss: LossSettings, shared: Params): RunForm {
  const softmax = loss.head === 'softmax';
  const withS = (keys: OverrideKey[]): OverrideKey[] => (softmax || loss.s === shared.s ? keys : [...keys, 's']);
  const differing = (preset: Preset): OverrideKey[] => [
    ...(ignoresMargins(loss.head) ? [] : MARGIN_KEYS.filter((key) => preset[key] !== loss[key])),
    ...TERM_KEYS.filter((key) => preset.terms[key] !== loss[key] && !(key === 'tripletMargin' && loss.triplet === 0)),
  ];
  const presets = PRESETS.filter((preset) => preset.head === loss.head);
  const exact = presets.find((preset) => differing(preset).length === 0);
  if (exact) return { base: exact, overrides: withS([]) };
  // A margin head's custom run is written from its family's preset; another head's from its own presets.
  const candidates = loss.head === 'margin' ? CUSTOM_BASE_ORDER.map((id) => findPreset(id)).filter((preset): preset is Preset => preset !== undefined) : presets;
  // Fewest overrides first; on a tie, the preset that turns on the same terms (centre loss λ = 0.1 reads as Centre loss, not Softmax).
  const switchedDifferently = (preset: Preset): number => TERM_KEYS.filter((key) => key !== 'tripletMargin' && preset.terms[key] > 0 !== loss[key] > 0).length;
  let best: { base: Preset; keys: OverrideKey[]; score: number } | null = null;
  for (const preset of candidates) {
    const keys = differing(preset);
    const score = keys.length * (TERM_KEYS.length + 1) + switchedDifferently(preset);
    if (!best || score < best.score) best = { base: preset, keys, score };
  }
  // Every head has a preset, so best is set; the fallback satisfies the types.
  return best ? { base: best.base, overrides: withS(best.keys) } : { base: PRESETS[0], overrides: withS([...MARGIN_KEYS]) };
}

/** 'ArcFace (0.5)' → 'ArcFace': the family, without the preset's own values. */
function familyName(preset: Preset): string {
  return preset.label.replace(/\s*\(.*\)$/, '');
}

function runLabel(loss: LossSettings, shared: Params): string {
  const { base, overrides } = runForm(loss, shared);
  const margins = overrides.filter((key) => key !== 's');
  const name = margins.length === 0 ? base.label : `${familyName(base)} (${margins.map((key) => `${key} = ${String(loss[key])}`).join(', ')})`;
  return overrides.includes('s') ? `${name}, s = ${String(loss.s)}` : name;
}

/**
 * A run on the shared params with these loss settings, in canonical form: this is what
 * decoding produces, so build runs with it for decode(encode(x)) to give x back.
 */
export function compareRun(shared: Params, loss: LossSettings): CompareRun {
  const settled = settle(loss, shared);
  const params: Params = { ...shared, ...settled };
  return { preset: matchPreset(params)?.id ?? 'custom', label: runLabel(settled, shared), params };
}

/**
 * The runs again on new shared params (a changed seed, learning rate…): each keeps its
 * own loss settings, including its s, and takes everything else from `shared`.
 */
export function rebaseCompareRuns(runs: readonly CompareRun[], shared: Params): CompareRun[] {
  return runs.map((run) => compareRun(shared, lossSettings(run.params)));
}

function sameLoss(a: LossSettings, b: LossSettings): boolean {
  return COMPARE_LOSS_KEYS.every((key) => a[key] === b[key]);
}

/** The canonical spec of runs on `shared`: only loss settings are written. */
export function encodeCompareSpec(runs: readonly CompareRun[], shared: Params): string {
  return runs
    .map((run) => {
      const loss = settle(lossSettings(run.params), shared);
      const { base, overrides } = runForm(loss, shared);
      return [base.id, ...overrides.map((key) => `${SCHEMA[key].urlName}=${String(loss[key])}`)].join(OVERRIDE_SEPARATOR);
    })
    .join(RUN_SEPARATOR);
}

const lossKeyByUrlName = new Map<string, CompareLossKey>(COMPARE_LOSS_KEYS.map((key) => [SCHEMA[key].urlName, key]));
const sharedKeyByUrlName = new Map<string, keyof Params>(PARAM_KEYS.filter((key) => !lossKeyByUrlName.has(SCHEMA[key].urlName)).map((key) => [SCHEMA[key].urlName, key]));
const lossKeyList = COMPARE_LOSS_KEYS.map((key) => SCHEMA[key].urlName).join(', ');
const presetList = PRESETS.map((preset) => preset.id).join(', ');

/** One entry of the spec as loss settings, or null (with a correction) when it cannot run. */
function parseRun(entry: string, shared: Params, corrections: string[]): LossSettings | null {
  const say = (text: string): void => {
    corrections.push(`compare: in ${quoteInput(entry)}, ${text}`);
  };
  const [presetText, ...overrideTexts] = entry.split(OVERRIDE_SEPARATOR);
  const presetId = presetText.trim().toLowerCase();
  const preset = findPreset(presetId);
  if (!preset) {
    corrections.push(
      presetId === ''
        ? `compare: ${quoteInput(entry)} names no preset; dropped that run (start each run with one of ${presetList})`
        : `compare: unknown preset ${quoteInput(presetText)}; dropped that run (choose from ${presetList})`,
    );
    return null;
  }
  let loss = lossSettings(withPreset(shared, preset.id));
  const given = new Set<CompareLossKey>();
  for (const overrideText of overrideTexts) {
    const equals = overrideText.indexOf('=');
    const name = (equals < 0 ? overrideText : overrideText.slice(0, equals)).trim().toLowerCase();
    const valueText = equals < 0 ? '' : overrideText.slice(equals + 1);
    if (name === '' && equals < 0) continue; // a stray '~'
    const key = lossKeyByUrlName.get(name);
    const sharedKey = sharedKeyByUrlName.get(name);
    if (sharedKey) {
      say(`${name} is shared by every run, so that they train in lockstep; ignored it (to change it for all runs, set ${name} outside compare)`);
      continue;
    }
    if (!key) {
      say(`ignored unknown setting ${quoteInput(name)} (a run can set ${lossKeyList})`);
      continue;
    }
    if (equals < 0 || valueText.trim() === '') {
      say(`${name} has no value; ignored it (write ${name}=value)`);
      continue;
    }
    if (given.has(key)) {
      say(`${name} was given more than once; used the first`);
      continue;
    }
    given.add(key);
    const checked = parseParam(key, valueText);
    const spec = SCHEMA[key];
    if (checked.problem) {
      // Out of range is clamped, as everywhere in the link; unreadable is ignored, so the
      // preset's value stands rather than the schema's default for the main run.
      const clamped = spec.kind === 'number' && Number.isFinite(parseNumberStrict(valueText));
      if (!clamped) {
        say(`${name} must be ${rangeText(key)}, got ${quoteInput(valueText)}; ignored it`);
        continue;
      }
      say(checked.problem);
    }
    loss = { ...loss, [key]: checked.value };
  }
  if (loss.head === 'softmax') {
    const names = (keys: CompareLossKey[]): string => keys.map((key) => SCHEMA[key].urlName).join(', ');
    const margins = [...given].filter((key) => key === 'm1' || key === 'm2' || key === 'm3' || key === 's');
    const terms = [...given].filter((key) => key === 'intra' || key === 'inter' || key === 'triplet' || key === 'tripletMargin');
    if (margins.length > 0) say(`Softmax has no margin and no scale; ignored ${names(margins)}`);
    if (terms.length > 0) say(`Softmax takes only the centre loss among the extra terms; ignored ${names(terms)}`);
  }
  return settle(loss, shared);
}

/** Reads a spec against the shared params. Never throws. */
export function decodeCompareSpec(text: string, shared: Params): DecodedCompare {
  const corrections: string[] = [];
  if (text.length > MAX_COMPARE_SPEC_LENGTH) {
    return { runs: null, corrections: [`compare: value too long (${text.length} characters, at most ${MAX_COMPARE_SPEC_LENGTH}); compare is off`] };
  }
  const entries = text.split(RUN_SEPARATOR).filter((entry) => entry.trim() !== '');
  const kept: { entry: string; loss: LossSettings }[] = [];
  const overflow: string[] = [];
  for (const entry of entries) {
    if (kept.length === COMPARE_MAX_RUNS) {
      overflow.push(entry);
      continue;
    }
    const loss = parseRun(entry, shared, corrections);
    if (!loss) continue;
    const twin = kept.findIndex((run) => sameLoss(run.loss, loss));
    if (twin >= 0) {
      corrections.push(`compare: ${quoteInput(entry)} trains exactly as run ${runLetter(twin)} (${quoteInput(kept[twin].entry)}); dropped it`);
      continue;
    }
    kept.push({ entry, loss });
  }
  if (overflow.length > 0) {
    const named = overflow.slice(0, 3).map(quoteInput).join(', ');
    corrections.push(`compare: at most ${COMPARE_MAX_RUNS} runs; kept the first ${COMPARE_MAX_RUNS} and dropped ${overflow.length} more (${named}${overflow.length > 3 ? ', …' : ''})`);
  }
  if (kept.length < COMPARE_MIN_RUNS) {
    corrections.push(
      kept.length === 0
        ? `compare: no usable run; compare is off (give ${COMPARE_MIN_RUNS} to ${COMPARE_MAX_RUNS}, e.g. compare=softmax,arcface)`
        : `compare: needs ${COMPARE_MIN_RUNS} to ${COMPARE_MAX_RUNS} runs, got 1 (${quoteInput(kept[0].entry)}); compare is off`,
    );
    return { runs: null, corrections };
  }
  return { runs: kept.map((run) => compareRun(shared, run.loss)), corrections };
}
