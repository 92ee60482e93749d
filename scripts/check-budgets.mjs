// Checks each web app's download against its budget in budgets.json: the brotli size (quality 11, as
// the server's compression would send it at best) of its WebAssembly, JavaScript and CSS, summed.
// Sizes are deterministic for a given source, so this is a test: growth needs a reviewed budget change.
// Usage: node scripts/check-budgets.mjs [dist]   (prints a table; exits 1 when a budget is exceeded)
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const budgets = JSON.parse(await readFile(path.join(root, 'budgets.json'), 'utf8'));

let exceeded = false;
for (const [app, budget] of Object.entries(budgets.apps)) {
  const dir = path.join(dist, budget.path);
  const sizes = { wasm: 0, js: 0, css: 0 };
  // Only the app's own folder, not the apps in folders below it (the tablet's holds the other two).
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const kind = path.extname(entry.name).slice(1);
    if (!entry.isFile() || !(kind in sizes)) continue;
    const bytes = await readFile(path.join(dir, entry.name));
    sizes[kind] += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  const total = sizes.wasm + sizes.js + sizes.css;
  const over = total > budget.max_brotli_bytes;
  exceeded ||= over;
  const kb = (n) => (n / 1000).toFixed(1).padStart(6);
  console.log(
    `${over ? 'OVER' : 'ok  '} ${app.padEnd(8)} ${kb(total)} KB of ${kb(budget.max_brotli_bytes)} KB brotli` +
      `  (wasm ${kb(sizes.wasm)}, js ${kb(sizes.js)}, css ${kb(sizes.css)})`,
  );
}
if (exceeded) {
  console.error('A download exceeds its budget (budgets.json). Cut it, or raise the budget in a reviewed change.');
  process.exit(1);
}
