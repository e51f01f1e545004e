/**
 * Headless toy: trains the same engine as the app in Node and prints the paper's
 * Table 3 statistics and the Fig. 6 verification figures, for one run or, with
 * --compare, for each run. Run through `npm run toy -- …` (see scripts/bundle-node.mjs).
 */
import { parseToyArgs, usage } from '../src/core/cliArgs';
import { formatOutput, runToyOptions } from '../src/train/headless';

const parsed = parseToyArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`toy: ${parsed.message}`);
  process.exit(2);
}
if (parsed.options.help) {
  console.log(usage());
  process.exit(0);
}
console.log(formatOutput(await runToyOptions(parsed.options), parsed.options.json));
