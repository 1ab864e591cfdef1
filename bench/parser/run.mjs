#!/usr/bin/env node
// Request parsers: the engine's WASM parser side by side with our JS parser and redis-parser.
//
// Each workload is a realistic pipelined request stream (bench/parser/workloads.mjs), built once
// and parsed whole per iteration, or fed in 16 KiB reads for the incremental variants. Before
// anything is timed, every parser's output is checked against the commands the stream was built
// from (count and every argument's bytes); a mismatch stops the run. Timing is tinybench, in
// rounds: every round runs each parser for a fixed time, the order reversing every other round
// so slow drift of a shared machine hits all parsers alike; the median round is reported.
//
// Rows (bench/parser/parsers.mjs): wasm parse only (what the server does: arguments stay in
// WASM memory), wasm → JS Buffers (WasmRequestParser), our JS RespRequestParser, and the peer,
// redis-parser. Output: a table per workload, a summary against the targets (WASM ≥ 3×
// redis-parser, faster than the JS parser), bench/results/parser.{md,json} and parser.svg.
//
// Runs against the build: `npm run build` first.

import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Bench } from 'tinybench';
import { positiveInt, readOptions, usageError } from '../lib/options.mjs';
import { describeEnvironment, environmentMarkdown, resultsDir, shellQuote, writeResults } from '../lib/results.mjs';
import { repoRoot } from '../lib/server-process.mjs';
import { formatBytes, formatInt, formatTable } from '../lib/table.mjs';
import { barChartSvg } from '../lib/chart.mjs';
import { buildWorkloads, CHUNK_SIZE } from './workloads.mjs';

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'one short round (smoke test, < 20 s); writes parser-quick.*' },
    workloads: { type: 'string', env: 'BENCH_WORKLOADS', help: 'comma-separated workload ids (default: all; see bench/parser/workloads.mjs)' },
    rounds: { type: 'string', env: 'BENCH_ROUNDS', help: 'timed rounds per parser and workload; the median is reported (default 10, quick 1)' },
    time: { type: 'string', env: 'BENCH_TIME_MS', help: 'milliseconds per parser per round (default 100, quick 60)' },
    'no-write': { type: 'boolean', env: 'BENCH_NO_WRITE', default: false, help: 'print only, do not write bench/results/' },
  },
  { usage: 'Usage: node bench/parser/run.mjs [options]' },
);

const quick = options.quick;
const rounds = positiveInt('rounds', options.rounds) ?? (quick ? 1 : 10);
const timeMs = positiveInt('time', options.time) ?? (quick ? 60 : 100);
const warmupMs = quick ? 30 : 200;
const minIterations = 2;

const log = (line) => process.stderr.write(`${line}\n`);
const MB = 1e6;

// Collect garbage between tasks, so one parser's garbage is not collected on the next one's time.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** 1234.5 → "1,235"; 12.34 → "12.3"; 0.1234 → "0.123" */
function formatRate(n) {
  if (!Number.isFinite(n)) return '—';
  if (n >= 100) return formatInt(n);
  if (n >= 1) return n.toFixed(1);
  return n.toPrecision(3);
}
const formatTimes = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '—');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : NaN);

/** Feed every read of `workload` to a fresh parser and compare with the commands it was built from. */
function verify(parser, workload) {
  const instance = parser.create();
  const expected = workload.commands;
  let seen = 0;
  let returned = 0;
  const onCommand = (args) => {
    const want = expected[seen];
    const where = `${parser.label}, workload ${workload.id}, command #${seen}`;
    if (!want) throw new Error(`${where}: more commands than the ${expected.length} sent`);
    if (!Array.isArray(args) || args.length !== want.length) {
      throw new Error(`${where}: ${Array.isArray(args) ? args.length : typeof args} arguments, expected ${want.length}`);
    }
    for (let a = 0; a < want.length; a++) {
      if (!Buffer.isBuffer(args[a]) || !args[a].equals(want[a])) {
        const show = (x) => JSON.stringify(Buffer.from(x).subarray(0, 40).toString('latin1'));
        throw new Error(`${where}: argument ${a} is ${show(args[a])} (${args[a]?.length} bytes), expected ${show(want[a])} (${want[a].length} bytes)`);
      }
    }
    seen++;
  };
  for (const read of workload.reads) returned += instance.parse(read, onCommand);
  if (seen !== expected.length || returned !== expected.length) {
    throw new Error(`${parser.label}, workload ${workload.id}: parsed ${seen} commands (reported ${returned}), expected ${expected.length}`);
  }
}

/** Time every parser on one workload: `rounds` tinybench runs, order reversed every other round. */
async function measure(parsers, workload) {
  const expected = workload.commandCount;
  const reads = workload.reads;
  const instances = new Map(parsers.map((p) => [p.id, p.create()]));
  const perRound = new Map(parsers.map((p) => [p.id, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: timeMs,
      iterations: minIterations,
      warmup: round === 0,
      warmupTime: warmupMs,
      warmupIterations: minIterations,
      throws: true,
    });
    const order = round % 2 ? [...parsers].reverse() : parsers;
    for (const parser of order) {
      const instance = instances.get(parser.id);
      bench.add(
        parser.id,
        () => {
          let n = 0;
          for (let i = 0; i < reads.length; i++) n += instance.parse(reads[i]);
          if (n !== expected) throw new Error(`${parser.label}: parsed ${n} commands of ${expected} while timing`);
        },
        { beforeAll: () => gc() },
      );
    }
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`${task.name} on ${workload.id}: ${r.state}${r.error ? `: ${r.error.message}` : ''}`);
      perRound.get(task.name).push({
        meanMs: r.period,
        medianMs: r.latency.p50,
        samples: r.latency.samplesCount,
        mbPerSec: workload.stream.length / MB / (r.period / 1000),
      });
    }
  }
  const results = {};
  for (const parser of parsers) {
    const samples = perRound.get(parser.id);
    const mbs = samples.map((s) => s.mbPerSec);
    const mbPerSec = median(mbs);
    const seconds = workload.stream.length / MB / mbPerSec;
    results[parser.id] = {
      mbPerSec,
      commandsPerSec: expected / seconds,
      spread: samples.length > 1 ? (Math.max(...mbs) - Math.min(...mbs)) / mbPerSec : null,
      rounds: samples,
    };
  }
  // Ratios are paired: computed within each round (the four parsers ran back to back), then the
  // median over rounds, so a busy spell of the machine during one round does not tilt them.
  const pairedRatio = (id, peer) => {
    if (!perRound.has(peer)) return null;
    const a = perRound.get(id), b = perRound.get(peer);
    return median(a.map((s, i) => s.mbPerSec / b[i].mbPerSec));
  };
  for (const parser of parsers) {
    const r = results[parser.id];
    r.vsRedisParser = pairedRatio(parser.id, 'redis-parser');
    r.vsJs = pairedRatio(parser.id, 'js');
  }
  return results;
}

function workloadTable(parsers, results) {
  const headers = ['parser', 'MB/s', 'commands/s', 'vs redis-parser', 'vs JS parser', ...(rounds > 1 ? ['round spread'] : [])];
  const rows = parsers.map((p) => {
    const r = results[p.id];
    return [
      p.label,
      formatRate(r.mbPerSec),
      formatInt(r.commandsPerSec),
      formatTimes(r.vsRedisParser),
      formatTimes(r.vsJs),
      ...(rounds > 1 ? [r.spread === null ? '—' : `±${((r.spread / 2) * 100).toFixed(0)}%`] : []),
    ];
  });
  return formatTable(headers, rows, { align: ['left', ...headers.slice(1).map(() => 'right')] });
}

function describeWorkload(w) {
  return `${formatBytes(w.stream.length)}, ${formatInt(w.commandCount)} commands, ${w.feed}${w.reads.length > 1 ? ` (${formatInt(w.reads.length)} reads)` : ''}`;
}

/** One row per workload: the two WASM rows against both targets. */
function targetsTable(workloads, all) {
  const verdict = (r) => {
    const a = r.vsRedisParser >= 3, b = r.vsJs > 1;
    return a && b ? 'met' : `missed (${[!a && '< 3× redis-parser', !b && 'slower than JS'].filter(Boolean).join(', ')})`;
  };
  const rows = workloads.map((w) => {
    const po = all[w.id]['wasm-parse-only'], mat = all[w.id]['wasm-buffers'];
    return [w.id, formatTimes(po.vsRedisParser), formatTimes(po.vsJs), verdict(po), formatTimes(mat.vsRedisParser), formatTimes(mat.vsJs), verdict(mat)];
  });
  const g = (id, key) => geomean(workloads.map((w) => all[w.id][id][key]));
  rows.push([
    'geometric mean',
    formatTimes(g('wasm-parse-only', 'vsRedisParser')),
    formatTimes(g('wasm-parse-only', 'vsJs')),
    '',
    formatTimes(g('wasm-buffers', 'vsRedisParser')),
    formatTimes(g('wasm-buffers', 'vsJs')),
    '',
  ]);
  const headers = ['workload', 'parse only vs redis-parser', 'parse only vs JS', 'parse only: targets', '→ Buffers vs redis-parser', '→ Buffers vs JS', '→ Buffers: targets'];
  return formatTable(headers, rows, { align: ['left', 'right', 'right', 'left', 'right', 'right', 'left'] });
}

const COLORS = { 'wasm-parse-only': '#2b6cb0', 'wasm-buffers': '#63b3ed', js: '#dd6b20', 'redis-parser': '#8a8f98' };

function chart(parsers, workloads, all) {
  return barChartSvg({
    title: `Request parsers, MB/s (higher is better)${quick ? ' — quick run, not a baseline' : ''}`,
    subtitle: 'Bars are scaled per workload. Label: MB/s · commands parsed per second (× redis-parser). Streams of 2–4 MiB, parsed whole or in 16 KiB reads.',
    groups: workloads.map((w) => ({
      label: `${w.label} — ${describeWorkload(w)}`,
      bars: parsers.map((p) => {
        const r = all[w.id][p.id];
        return { label: p.label, value: r.mbPerSec, text: `${formatRate(r.mbPerSec)} MB/s · ${formatInt(r.commandsPerSec)} commands/s (${formatTimes(r.vsRedisParser)})`, color: COLORS[p.id] ?? '#999' };
      }),
    })),
  });
}

async function main() {
  const index = path.join(repoRoot, 'dist', 'src', 'index.js');
  if (!fs.existsSync(index)) throw new Error(`${path.relative(repoRoot, index)} not found: run \`npm run build\` first`);
  const { PARSERS } = await import('./parsers.mjs');
  const started = Date.now();
  const env = await describeEnvironment();

  let workloads = buildWorkloads();
  if (options.workloads) {
    const wanted = options.workloads.split(',').map((s) => s.trim());
    for (const id of wanted) if (!workloads.some((w) => w.id === id)) usageError(`unknown workload ${id}; known: ${workloads.map((w) => w.id).join(', ')}`);
    workloads = workloads.filter((w) => wanted.includes(w.id));
  }

  log(`checking ${PARSERS.length} parsers on ${workloads.length} workloads`);
  for (const w of workloads) {
    for (const p of PARSERS) verify(p, w);
    // Keep only the count: hundreds of thousands of live argument Buffers would make every
    // major GC during timing slower than it is in a real process.
    w.commandCount = w.commands.length;
    w.commands = null;
  }
  log('all parsers agree on every command; timing');

  const all = {};
  const sections = [];
  for (const w of workloads) {
    log(`${w.id}: ${describeWorkload(w)}`);
    all[w.id] = await measure(PARSERS, w);
    const table = workloadTable(PARSERS, all[w.id]);
    sections.push({ w, table });
    process.stdout.write(`\n${w.label} — ${describeWorkload(w)}\n\n${table}\n`);
  }
  const summary = targetsTable(workloads, all);
  const elapsed = (Date.now() - started) / 1000;
  process.stdout.write(`\nTargets: WASM ≥ 3× redis-parser and faster than the JS parser\n\n${summary}\n`);
  process.stdout.write(`\n(${rounds} round(s) of ${timeMs} ms per parser per workload, median round reported; ${elapsed.toFixed(0)} s)\n`);

  if (options['no-write']) return 0;
  const settings = { rounds, timeMs, warmupMs, minIterations, chunkSize: CHUNK_SIZE };
  const markdown = [
    `# Request parsers: WASM vs JS vs redis-parser${quick ? ' (quick run — not a baseline)' : ''}`,
    '',
    'Generated by `node bench/parser/run.mjs' + (process.argv.length > 2 ? ` ${shellQuote(process.argv.slice(2))}` : '') + '`; see bench/README.md.',
    '',
    environmentMarkdown(env, {
      'redis-parser': '3.0.0 (`returnBuffers: true`), the peer',
      timing: `tinybench, ${rounds} round(s) of ${timeMs} ms per parser per workload${rounds > 1 ? ', order reversed every other round, median round reported' : ''}; throughput = stream bytes / mean time per pass`,
      'total time': `${elapsed.toFixed(0)} s`,
    }),
    '',
    'Every parser\'s output was checked against the commands each stream was built from (count and every argument) before timing. MB = 10^6 bytes. `vs` columns: above 1 means faster than that parser; they are paired (the ratio within each round, where the four parsers ran back to back, then the median over rounds), so they can differ a little from the quotient of the MB/s column.' +
      (rounds > 1 ? ' `round spread`: half the range between the slowest and the fastest round, relative to the median (how noisy the machine was).' : ''),
    '',
    ...PARSERS.map((p) => `- **${p.label}**: ${p.note}.`),
    '',
    ...sections.flatMap(({ w, table }) => [`## ${w.label}`, '', describeWorkload(w) + (w.note ? `. ${w.note}` : ''), '', table, '']),
    '## Targets: WASM ≥ 3× redis-parser and faster than the JS parser',
    '',
    summary,
    '',
    `![bar chart: MB/s per parser per workload](${quick ? 'parser-quick.svg' : 'parser.svg'})`,
    '',
  ].join('\n');
  const data = {
    benchmark: 'parser',
    quick,
    environment: env,
    settings,
    elapsedSeconds: elapsed,
    parsers: PARSERS.map(({ id, label, note }) => ({ id, label, note })),
    workloads: workloads.map((w) => ({
      id: w.id,
      group: w.group,
      label: w.label,
      feed: w.feed,
      bytes: w.stream.length,
      commands: w.commandCount,
      reads: w.reads.length,
      results: all[w.id],
    })),
  };
  const written = writeResults('parser', { data, markdown, quick });
  const svgPath = path.join(resultsDir, quick ? 'parser-quick.svg' : 'parser.svg');
  fs.writeFileSync(svgPath, chart(PARSERS, workloads, all));
  process.stdout.write(`wrote ${written.markdown}, ${written.json} and ${path.relative(repoRoot, svgPath)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err?.constructor === Error ? `error: ${err.message}` : (err?.stack ?? err)}\n`);
    process.exit(1);
  },
);
