// Bundles a Node entry (CLI, experiments) with esbuild. tfjs-core's gradient registry
// is only importable as extensionless ESM deep imports, which Node's own resolver
// rejects; bundling with `module` first also keeps a single copy of tfjs-core, so the
// gradients and the backend register into the same engine.
import { build } from 'esbuild';
import { basename } from 'node:path';

const [entry, outDir = '.cache'] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bundle-node.mjs <entry.ts> [outDir]');
  process.exit(2);
}
const outfile = `${outDir}/${basename(entry).replace(/\.ts$/, '.mjs')}`;
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  outfile,
  logLevel: 'warning',
  // The emscripten loader of tfjs-backend-wasm expects CommonJS's require and __dirname.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { dirname as __pathDirname } from 'node:path';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join(' '),
  },
});
console.log(outfile);
