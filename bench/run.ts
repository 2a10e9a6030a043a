/** `npm run bench`: every benchmark, with its peer, in one run. `--quick` for a smoke run. */
import { existsSync } from 'node:fs';
import { benchValidate, PARSER_RATIO_LIMIT } from './validate.js';

const quick = process.argv.includes('--quick');
const results: Record<string, Record<string, number>> = {};
console.log('== validate ==');
results.validate = await benchValidate({ quick });
const generate = new URL('./generate.js', import.meta.url);
if (existsSync(generate)) {
  console.log('\n== generate ==');
  const mod = (await import(generate.href)) as { benchGenerate: () => Promise<Record<string, number>> };
  results.generate = await mod.benchGenerate();
}
console.log('\n' + JSON.stringify(results, null, 2));
if (results.validate.parserRatio! > PARSER_RATIO_LIMIT) process.exitCode = 1;
