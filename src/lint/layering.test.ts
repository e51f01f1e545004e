/**
 * The project's lint config (biome.jsonc) rejects an import across the layers of
 * README › Layout, a focused test, a hook called conditionally and an explicit any. Each snippet is written as a file at its place in
 * a copy of the tree's layout in a temp dir, next to a copy of the project's own
 * biome.jsonc, and the project's Biome lints them all in one run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

interface Case {
  file: string;
  code: string;
  /** The lint rule that must fire, or null for a file that must pass the import rules. */
  rule: string | null;
}

const RESTRICTED = 'lint/style/noRestrictedImports';

const CASES: Case[] = [
  { file: 'src/core/coreImportsTrain.ts', code: "import { Trainer } from '../train/trainer';\nexport const t = Trainer;\n", rule: RESTRICTED },
  { file: 'src/core/coreImportsTf.ts', code: "import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;\n", rule: RESTRICTED },
  { file: 'src/core/coreImportsReact.ts', code: "import { useState } from 'react';\nexport const t = useState;\n", rule: RESTRICTED },
  { file: 'src/core/coreLoadsTf.ts', code: "export const load = () => import('@tensorflow/tfjs-backend-wasm');\n", rule: RESTRICTED },
  { file: 'src/core/coreImportsScripts.ts', code: "import { main } from '../../scripts/toy';\nexport const t = main;\n", rule: RESTRICTED },
  { file: 'src/panels/panelsImportsTrain.ts', code: "import type { TrainerSnapshot } from '../train/trainer';\nexport type T = TrainerSnapshot;\n", rule: RESTRICTED },
  { file: 'src/panels/panelsImportsApp.ts', code: "export { App } from '../app/App';\n", rule: RESTRICTED },
  { file: 'src/train/trainImportsApp.ts', code: "import { App } from '../app/App';\nexport const t = App;\n", rule: RESTRICTED },
  { file: 'src/train/fused/deepTrainImportsPanels.ts', code: "import type { Snapshot } from '../../panels/types';\nexport type T = Snapshot;\n", rule: RESTRICTED },
  { file: 'src/train/trainImportsD3.ts', code: "import * as d3 from 'd3';\nexport const t = d3;\n", rule: RESTRICTED },
  { file: 'src/train/fused/marginMath.ts', code: "import { COS_CLAMP } from '../model';\nexport const t = COS_CLAMP;\n", rule: RESTRICTED },
  { file: 'src/core/coreFocusedTest.test.ts', code: "import { it } from 'vitest';\nit.only('runs alone', () => {});\n", rule: 'lint/suspicious/noFocusedTests' },
  {
    file: 'src/panels/conditionalHook.tsx',
    code: "import { useState } from 'react';\nexport function Panel({ on }: { on: boolean }) {\n  if (on) useState(0);\n  return null;\n}\n",
    rule: 'lint/correctness/useHookAtTopLevel',
  },
  { file: 'src/core/explicitAny.ts', code: 'export const id = (value: any) => value;\n', rule: 'lint/suspicious/noExplicitAny' },
  { file: 'e2e/focused.spec.ts', code: "import { test } from '@playwright/test';\ntest.describe.only('runs alone', () => {});\n", rule: 'lint/suspicious/noFocusedTests' },

  {
    file: 'src/panels/panelsImportsCore.ts',
    code: "import { SCHEMA } from '../core/schema';\nimport * as d3 from 'd3';\nimport { useMemo } from 'react';\nexport const t = [SCHEMA, d3, useMemo];\n",
    rule: null,
  },
  {
    file: 'src/app/appImportsTrain.ts',
    code: "import type { WorkerRequest } from '../train/protocol';\nimport { drawCircle } from '../panels/CirclePanel';\nexport type T = WorkerRequest;\nexport const t = drawCircle;\n",
    rule: null,
  },
  {
    file: 'src/train/trainImportsCoreAndTf.ts',
    code: "import * as tf from '@tensorflow/tfjs-core';\nimport { thetaStar } from '../core/margin';\nimport { Trainer } from './trainer';\nexport const t = [tf, thetaStar, Trainer];\n",
    rule: null,
  },
  {
    file: 'src/train/fused/deepTrainImportsTrainAndCore.ts',
    code: "import { headLogits } from '../model';\nimport { thetaStar } from '../../core/margin';\nexport const t = [headLogits, thetaStar];\n",
    rule: null,
  },
  { file: 'src/core/coreImportsCore.ts', code: "import { thetaStar } from './margin';\nimport { COS_CLAMP } from './model';\nexport const t = [thetaStar, COS_CLAMP];\n", rule: null },
  { file: 'e2e/outsideLayers.ts', code: "import { Trainer } from '../src/train/trainer';\nimport { App } from '../src/app/App';\nexport const t = [Trainer, App];\n", rule: null },
];

interface Diagnostic {
  category: string;
  location: { path: string };
}

let dir = '';
let diagnostics: Diagnostic[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arcface-lint-'));
  copyFileSync(join(ROOT, 'biome.jsonc'), join(dir, 'biome.jsonc'));
  for (const { file, code } of CASES) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), code);
  }
  // One Biome run over all snippets; the temp dir is no git checkout, so no VCS ignore file.
  const run = spawnSync(process.execPath, [BIOME, 'lint', '--reporter=json', '--vcs-enabled=false', '--max-diagnostics=none', 'src', 'e2e'], { cwd: dir, encoding: 'utf8' });
  if (run.error) throw run.error;
  // A biome.jsonc that does not load gives no report at all, only a message on stderr.
  if (!run.stdout.trim()) throw new Error(`Biome gave no report (exit ${run.status}):\n${run.stderr}`);
  const report = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
  diagnostics = report.diagnostics;
  // Anything but a lint finding (a config or parse problem) is a broken setup, not a result.
  expect(report.diagnostics.filter((d) => !d.category.startsWith('lint/'))).toEqual([]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rulesFor = (file: string): string[] => diagnostics.filter((d) => d.location.path.replaceAll('\\', '/') === file).map((d) => d.category);

describe('lint: layers, focused tests, hooks, any', () => {
  for (const { file, rule } of CASES) {
    if (rule) {
      it(`rejects ${file} (${rule})`, () => {
        expect(rulesFor(file)).toContain(rule);
      });
    } else {
      it(`accepts ${file}`, () => {
        expect(rulesFor(file)).toEqual([]);
      });
    }
  }
});
