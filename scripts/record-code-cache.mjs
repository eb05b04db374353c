// Build time only (scripts/bundle.mjs runs the bundled CLI once with `node --import` of this file):
// records the vm.Scripts that lib/cli/code-cache.ts compiles for dist/cli/*.cjs and, when the process
// exits, writes their code caches, which by then hold every function the run compiled.
import { syncBuiltinESMExports } from 'node:module';
import vm from 'node:vm';
import { saveCodeCache } from '../dist/lib/cli/code-cache.js';

const compiled = [];
const { Script } = vm;
vm.Script = class RecordedScript extends Script {
  constructor(code, options) {
    super(code, options);
    if (options?.filename?.endsWith('.cjs')) compiled.push([this, options.filename]);
  }
};
syncBuiltinESMExports();
process.on('exit', () => {
  for (const [script, file] of compiled) saveCodeCache(script, file);
});
