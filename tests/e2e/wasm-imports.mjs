// Lists the imports of each wasm module given on the command line, grouped by module name,
// and fails if any comes from module "env": such an import means some code expected a C
// runtime or a host function that no browser provides, and the page would fail to load.
// Usage: node tests/e2e/wasm-imports.mjs file.wasm...
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('wasm-imports: no wasm file given');
  process.exit(1);
}
let bad = 0;
for (const file of files) {
  let imports;
  try {
    imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(file)));
  } catch (e) {
    console.error(`[imports] ${file}: cannot compile: ${e.message}`);
    bad++;
    continue;
  }
  const byModule = new Map();
  for (const i of imports) byModule.set(i.module, (byModule.get(i.module) ?? 0) + 1);
  const summary = [...byModule].map(([m, n]) => `${n} from "${m}"`).join(', ') || 'none';
  const env = imports.filter((i) => i.module === 'env');
  console.log(`[imports] ${file}: ${imports.length} imports (${summary})${env.length ? '' : ', none from "env": ok'}`);
  for (const i of env) console.error(`[imports]   FORBIDDEN env import: ${i.kind} ${i.name}`);
  if (env.length) bad++;
}
process.exit(bad ? 1 : 0);
