#!/usr/bin/env node
// Builds the WASM engine (both memory flavours) and the TypeScript sources.
// `--if-needed` skips the build when every output is newer than every input: `npx wasmdis` in a
// fresh clone runs the package's prepare step a second time, and it should not rebuild then.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifNeeded = process.argv.includes('--if-needed');

function newest(dir, exts) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, exts));
    else if (exts.some((x) => e.name.endsWith(x))) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function oldest(files) {
  let t = Infinity;
  for (const f of files) {
    if (!existsSync(f)) return 0;
    t = Math.min(t, statSync(f).mtimeMs);
  }
  return t;
}

const wasmOut = ['build/wasmdis.wasm', 'build/wasmdis-local.wasm'].map((f) => join(root, f));
const tsOut = [join(root, 'dist/src/index.js'), join(root, 'dist/src/cli.js')];
const config = Math.max(statSync(join(root, 'asconfig.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
const wasmStale = !ifNeeded || oldest(wasmOut) < Math.max(newest(join(root, 'assembly'), ['.ts']), config);
const tsStale = !ifNeeded || oldest(tsOut) < Math.max(newest(join(root, 'src'), ['.ts']), config);

const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

if (wasmStale) {
  run(bin('asc'), ['assembly/index.ts', '--target', 'shared']);
  run(bin('asc'), ['assembly/index.ts', '--target', 'local']);
}
if (tsStale) run(bin('tsc'), ['-p', 'tsconfig.json']);
if (!wasmStale && !tsStale) console.error('wasmdis: build is up to date') // stderr: keeps `npm pack --json` parseable;
