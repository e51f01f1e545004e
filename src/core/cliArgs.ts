/**
 * Command-line flags of the headless toy, read from the parameter schema so that the
 * CLI accepts exactly what the sliders and URLs do.
 */
import { decodeCompareSpec, type CompareRun } from './compare';
import { PRESETS, findPreset, DEFAULT_PRESET_ID, withPreset } from './presets';
import { PARAM_KEYS, SCHEMA, defaultParams, parseParam, rangeText, type Params } from './schema';

export type NodeBackend = 'cpu' | 'wasm';

export interface ToyOptions {
  preset: string;
  params: Params;
  steps: number;
  backend: NodeBackend;
  json: boolean;
  help: boolean;
  /** Runs to train in lockstep on params (their loss settings differ); null for one run. */
  compare: CompareRun[] | null;
}

export const STEPS_RANGE = { min: 1, max: 100000, default: 3000 } as const;

export type ParseResult = { ok: true; options: ToyOptions } | { ok: false; message: string };

export { withPreset } from './presets';

export function usage(): string {
  const lines = [
    'usage: npm run toy -- [--preset NAME] [--steps N] [--backend cpu|wasm] [--json] [--PARAM VALUE ...]',
    '',
    `  --preset   ${PRESETS.map((preset) => preset.id).join(' | ')} (default ${DEFAULT_PRESET_ID})`,
    `  --steps    ${STEPS_RANGE.min} to ${STEPS_RANGE.max} (default ${STEPS_RANGE.default})`,
    '  --backend  wasm | cpu (default wasm; cpu is slower but bit-for-bit reproducible)',
    '  --json     print JSON instead of a table: one object for a run, { "runs": [one object per run] } with --compare',
    '  --compare  2 to 4 runs in lockstep, each a preset with ~key=value overrides of m1, m2, m3, s, head, intra, inter, triplet, tm, center:',
    '             e.g. softmax,arcface or arcface,arcface~m2=0.3~s=32 (the other flags apply to every run);',
    '             the table then has one column per run',
  ];
  for (const key of PARAM_KEYS) {
    const spec = SCHEMA[key];
    lines.push(`  --${spec.urlName.padEnd(9)}${spec.label}: ${rangeText(key)} (default ${String(spec.default)})`);
  }
  return lines.join('\n');
}

/** Parse argv (without node and script). Explicit parameters override the preset. */
export function parseToyArgs(argv: readonly string[]): ParseResult {
  const pairs: [string, string | undefined][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) return { ok: false, message: `unexpected argument '${arg}'; flags start with --` };
    const eq = arg.indexOf('=');
    if (eq > 0) {
      pairs.push([arg.slice(2, eq), arg.slice(eq + 1)]);
      continue;
    }
    const name = arg.slice(2);
    if (name === 'json' || name === 'help') {
      pairs.push([name, undefined]);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) return { ok: false, message: `--${name} needs a value` };
    pairs.push([name, value]);
    i++;
  }

  let preset = DEFAULT_PRESET_ID;
  let steps: number = STEPS_RANGE.default;
  let backend: NodeBackend = 'wasm';
  let json = false;
  let help = false;
  let compareSpec: string | null = null;
  const overrides: Partial<Record<keyof Params, string>> = {};
  for (const [name, value] of pairs) {
    if (name === 'json') {
      json = true;
      continue;
    }
    if (name === 'help') {
      help = true;
      continue;
    }
    const text = value ?? '';
    if (name === 'preset') {
      if (!findPreset(text)) return { ok: false, message: `--preset must be one of ${PRESETS.map((entry) => entry.id).join(', ')}; got '${text}'` };
      preset = text;
      continue;
    }
    if (name === 'steps') {
      const parsed = Number(text);
      if (!/^\d+$/.test(text.trim()) || parsed < STEPS_RANGE.min || parsed > STEPS_RANGE.max) {
        return { ok: false, message: `--steps must be a whole number from ${STEPS_RANGE.min} to ${STEPS_RANGE.max}; got '${text}'` };
      }
      steps = parsed;
      continue;
    }
    if (name === 'compare') {
      compareSpec = text;
      continue;
    }
    if (name === 'backend') {
      if (text !== 'cpu' && text !== 'wasm') return { ok: false, message: `--backend must be cpu or wasm; got '${text}'` };
      backend = text;
      continue;
    }
    const key = PARAM_KEYS.find((candidate) => SCHEMA[candidate].urlName === name);
    if (!key) return { ok: false, message: `unknown flag --${name}; see --help` };
    overrides[key] = text;
  }

  let params = withPreset(defaultParams(), preset);
  for (const key of PARAM_KEYS) {
    const text = overrides[key];
    if (text === undefined) continue;
    const checked = parseParam(key, text);
    // The CLI refuses instead of clamping: a script should not silently run other values.
    if (checked.problem) return { ok: false, message: `--${SCHEMA[key].urlName} must be ${rangeText(key)}; got '${text}'` };
    params = { ...params, [key]: checked.value };
  }
  let compare: CompareRun[] | null = null;
  if (compareSpec !== null) {
    // The link's rules, but refused rather than corrected, as for every other flag.
    const decoded = decodeCompareSpec(compareSpec, params);
    if (decoded.corrections.length > 0) return { ok: false, message: `--compare: ${decoded.corrections[0].replace(/^compare: /, '')}` };
    compare = decoded.runs;
  }
  return { ok: true, options: { preset, params, steps, backend, json, help, compare } };
}
