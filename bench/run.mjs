#!/usr/bin/env node
// All benchmarks, one after another: parser (if present), server, memory, pubsub, tx, framework.
// `npm run bench` builds first and then runs this. Options are passed on as environment
// variables (BENCH_QUICK=1 for --quick), which every runner reads, so a runner never sees a
// flag it does not know. Each runner is a separate Node process: a crash or a leaked server
// in one cannot skew the next.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readOptions, usageError } from './lib/options.mjs';
import { repoRoot } from './lib/server-process.mjs';
import { formatTable } from './lib/table.mjs';

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'short runs of every benchmark (CI smoke); results go to *-quick.*' },
    only: { type: 'string', env: 'BENCH_ONLY', help: 'comma-separated subset of: parser,server,memory,pubsub,tx,framework' },
  },
  { usage: 'Usage: node bench/run.mjs [--quick] [--only parser,server,memory,pubsub,tx,framework]' },
);

const ALL = ['parser', 'server', 'memory', 'pubsub', 'tx', 'framework'];
const selected = options.only ? options.only.split(',').map((s) => s.trim()) : ALL;
for (const name of selected) if (!ALL.includes(name)) usageError(`unknown benchmark ${name}; known: ${ALL.join(', ')}`);

let current = null;
let interrupted = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // Stop here: no further steps. The running step stops its own servers on this signal;
    // we wait for it to exit (below), and give up on it after a few seconds.
    interrupted = signal;
    if (current) current.kill(signal);
    setTimeout(() => {
      current?.kill('SIGKILL');
      process.exit(130);
    }, 5000).unref();
  });
}

function runStep(script) {
  return new Promise((resolve) => {
    const env = { ...process.env, ...(options.quick ? { BENCH_QUICK: '1' } : {}) };
    current = spawn(process.execPath, [script], { cwd: repoRoot, env, stdio: 'inherit' });
    current.once('error', (err) => resolve({ code: 1, error: err.message }));
    current.once('exit', (code, signal) => resolve({ code: code ?? 1, signal }));
  });
}

const started = Date.now();
const summary = [];
let failed = 0;
for (const name of selected) {
  if (interrupted) break;
  const script = path.join(repoRoot, 'bench', name, 'run.mjs');
  if (!fs.existsSync(script)) {
    summary.push([name, 'skipped (no bench/' + name + '/run.mjs)', '']);
    process.stdout.write(`\n== ${name}: skipped, ${path.relative(repoRoot, script)} does not exist\n`);
    continue;
  }
  process.stdout.write(`\n== ${name}: node ${path.relative(repoRoot, script)}${options.quick ? ' (BENCH_QUICK=1)' : ''}\n`);
  const stepStart = Date.now();
  const { code, signal, error } = await runStep(script);
  current = null;
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(0);
  if (code === 0) summary.push([name, 'ok', `${seconds} s`]);
  else {
    failed++;
    summary.push([name, error ?? (signal ? `killed by ${signal}` : `failed (exit code ${code})`), `${seconds} s`]);
  }
}

if (interrupted) {
  process.stdout.write(`\ninterrupted by ${interrupted}\n`);
  process.exit(130);
}
process.stdout.write(`\n${formatTable(['benchmark', 'status', 'time'], summary)}\n`);
process.stdout.write(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results/\n`);
process.exit(failed ? 1 : 0);
