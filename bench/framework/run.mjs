#!/usr/bin/env node
// The framework's memory_kv example (examples/memory_kv.mjs: RedHub's SET/GET/DEL/PING/QUIT
// server) under RedHub's published load — `redis-benchmark -t set,get -P 1024 -c 512` — side by
// side with redis-server 7.0 in the same run: memory_kv with `--threads 1` and `--threads 2`
// (columns from --threads; a thread count the example does not support is reported, not faked).
// Each cell is the median of --runs runs. Writes bench/results/framework.{md,json,svg}.

import fs from 'node:fs';
import path from 'node:path';
import { readOptions, usageError, positiveInt } from '../lib/options.mjs';
import { startServer, serverCommands, requireWasmdisBuild, interrupted, repoRoot } from '../lib/server-process.mjs';
import { runRedisBenchmark } from '../lib/redis-benchmark.mjs';
import { formatTable, formatInt, formatRatio } from '../lib/table.mjs';
import { writeResults, describeEnvironment, environmentMarkdown, shellQuote, resultsDir } from '../lib/results.mjs';
import { barChartSvg } from '../lib/chart.mjs';

const options = readOptions({
  requests: { type: 'string', env: 'BENCH_FW_REQUESTS', default: '5000000', help: 'requests per test and run (-n)' },
  clients: { type: 'string', env: 'BENCH_FW_CLIENTS', default: '512', help: 'connections (-c)' },
  pipeline: { type: 'string', env: 'BENCH_FW_PIPELINE', default: '1024', help: 'pipeline depth (-P)' },
  runs: { type: 'string', env: 'BENCH_FW_RUNS', default: '3', help: 'runs per cell (median reported)' },
  threads: { type: 'string', env: 'BENCH_FW_THREADS', default: '1,2', help: 'memory_kv --threads values, one column each' },
  quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'short runs (CI smoke)' },
}, { usage: 'node bench/framework/run.mjs [options]: examples/memory_kv vs redis-server, redis-benchmark -t set,get -P 1024 -c 512' });

const requests = options.quick ? 200_000 : positiveInt('requests', options.requests);
const clients = positiveInt('clients', options.clients);
const pipeline = positiveInt('pipeline', options.pipeline);
const runs = options.quick ? 1 : positiveInt('runs', options.runs);
const threadCounts = options.threads.split(',').map((s) => positiveInt('threads', s.trim()));
const TESTS = ['set', 'get'];
const CSV = { set: 'SET', get: 'GET' };

requireWasmdisBuild();
const columns = [{ key: 'redis', name: 'redis-server', template: serverCommands().redis }];
for (const n of threadCounts) {
  columns.push({ key: `kv-t${n}`, name: `memory_kv --threads ${n}`, template: `node {root}/examples/memory_kv.mjs --port {port} --threads ${n}` });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const data = { requests, clients, pipeline, runs, results: {} };
for (const col of columns) {
  if (interrupted()) break;
  let server;
  try {
    server = await startServer({ name: col.key, template: col.template });
  } catch (err) {
    data.results[col.key] = { error: String(err.message).split('\n')[0] };
    console.log(`${col.name}: could not start (${data.results[col.key].error})`);
    continue;
  }
  try {
    const samples = { set: [], get: [] };
    for (let r = 0; r < runs && !interrupted(); r++) {
      const res = await runRedisBenchmark({ port: server.port, tests: TESTS, requests, clients, pipeline }, { timeoutMs: 300_000 });
      if (res.error) throw new Error(`${col.name}: redis-benchmark: ${res.error}`);
      for (const t of TESTS) samples[t].push(res.results[CSV[t]].rps);
      console.log(`${col.name.padEnd(22)} run ${r + 1}: SET ${formatInt(samples.set.at(-1))}  GET ${formatInt(samples.get.at(-1))} req/s`);
    }
    data.results[col.key] = { argv: shellQuote(server.argv), set: median(samples.set), get: median(samples.get), samples };
  } finally {
    await server.stop();
  }
}

const base = data.results.redis;
const headers = ['test', 'redis-server req/s'];
for (const col of columns.slice(1)) headers.push(`${col.name} req/s`, 'ratio');
const rows = TESTS.map((t) => {
  const row = [t.toUpperCase(), base?.[t] ? formatInt(base[t]) : 'n/a'];
  for (const col of columns.slice(1)) {
    const v = data.results[col.key]?.[t];
    row.push(v ? formatInt(v) : 'n/a', v && base?.[t] ? formatRatio(v / base[t]) : 'n/a');
  }
  return row;
});
const table = formatTable(headers, rows);
const how = `redis-benchmark -t set,get -n ${requests} -c ${clients} -P ${pipeline}; median of ${runs}`;
console.log(`\n${how}\n\n${table}\n`);

const colors = { redis: '#c0392b', 'kv-t1': '#5dade2', 'kv-t2': '#1f618d' };
const svg = barChartSvg({
  title: `memory_kv (wasmdis/framework) vs redis-server: -P ${pipeline} -c ${clients}`,
  subtitle: `requests per second, ${how}`,
  groups: TESTS.map((t) => ({
    label: t.toUpperCase(),
    bars: columns.filter((c) => data.results[c.key]?.[t]).map((c) => ({
      label: c.name,
      value: data.results[c.key][t],
      text: `${formatInt(data.results[c.key][t])}${c.key === 'redis' ? '' : ` (${formatRatio(data.results[c.key][t] / base[t])})`}`,
      color: colors[c.key] ?? '#2e86c1',
    })),
  })),
});
const svgName = options.quick ? 'framework-quick.svg' : 'framework.svg';
fs.writeFileSync(path.join(resultsDir, svgName), svg);

const errors = Object.entries(data.results).filter(([, r]) => r.error).map(([k, r]) => `- ${k}: ${r.error}`);
const env = await describeEnvironment();
const markdown = [
  '# Framework: memory_kv vs redis-server', '',
  `examples/memory_kv.mjs (RedHub's SET/GET/DEL/PING/QUIT server on \`wasmdis/framework\`) under RedHub's published configuration, \`${how}\`, every column in the same run (\`bench/framework/run.mjs\`).`, '',
  table, '',
  ...(errors.length ? ['Columns that could not run:', ...errors, ''] : []),
  `![bar chart: requests per second](${svgName})`, '',
  environmentMarkdown(env), '',
].join('\n');
const written = writeResults('framework', { data, markdown, quick: options.quick });
console.log(`wrote ${written.markdown} and bench/results/${svgName}`);
if (errors.length && !options.quick) process.exitCode = 1;
