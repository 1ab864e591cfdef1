#!/usr/bin/env node
// Server throughput: wasmdis side by side with redis-server, measured by redis-benchmark.
//
// Both servers run at once on random free ports on 127.0.0.1. For every configuration
// (pipeline depth × clients) and every test, redis-benchmark runs against redis-server and
// then against wasmdis with identical flags, so slow drift of the machine (thermal, noisy
// neighbours) hits both alike. One redis-benchmark process per run; on the 2-core machine it
// takes one core and the server the other. That is the documented setup, keep it.
//
// Output: a table (config | test | redis rps | wasmdis rps | wasmdis/redis), written to
// bench/results/server.{md,json}.

import { positiveInt, readOptions, usageError } from '../lib/options.mjs';
import { BENCHMARK_TESTS, runRedisBenchmark } from '../lib/redis-benchmark.mjs';
import { describeEnvironment, environmentMarkdown, shellQuote, writeResults } from '../lib/results.mjs';
import { interrupted, requirePrograms, requireWasmdisBuild, serverCommands, startServer } from '../lib/server-process.mjs';
import { formatInt, formatRatio, formatTable, ratioBar } from '../lib/table.mjs';

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'short runs for a CI smoke test; writes server-quick.*' },
    tests: { type: 'string', env: 'BENCH_TESTS', default: 'set,get,incr,mset,ping_mbulk', help: 'redis-benchmark -t names' },
    configs: { type: 'string', env: 'BENCH_CONFIGS', default: 'P1c50,P16c50,P1024c512', help: 'pipeline×clients list, P<depth>c<clients>' },
    keyspace: { type: 'string', env: 'BENCH_KEYSPACE', help: 'pass -r N (random keys out of N) to redis-benchmark' },
    seconds: { type: 'string', env: 'BENCH_SECONDS', help: 'target seconds per run against redis (default 2, quick 0.25)' },
    requests: { type: 'string', env: 'BENCH_REQUESTS', help: 'fixed -n for every run, instead of the per-test estimate' },
    repeat: { type: 'string', env: 'BENCH_REPEAT', default: '1', help: 'runs per server per test; the median is reported' },
    'no-warmup': { type: 'boolean', env: 'BENCH_NO_WARMUP', default: false, help: 'skip the unrecorded warm-up pass' },
    'no-write': { type: 'boolean', env: 'BENCH_NO_WRITE', default: false, help: 'print only, do not write bench/results/' },
  },
  { usage: 'Usage: node bench/server/run.mjs [options]' },
);

const quick = options.quick;
const seconds = options.seconds !== undefined ? Number(options.seconds) : quick ? 0.25 : 2;
const repeat = positiveInt('repeat', options.repeat);
const keyspace = positiveInt('keyspace', options.keyspace);
const fixedRequests = positiveInt('requests', options.requests);
if (!(seconds > 0)) usageError(`--seconds must be a positive number, got ${options.seconds}`);

const tests = options.tests.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
for (const t of tests) {
  if (!BENCHMARK_TESTS[t]) usageError(`unknown test ${t}; known: ${Object.keys(BENCHMARK_TESTS).join(', ')}`);
}
const configs = options.configs.split(',').map((c) => {
  const m = /^P(\d+)c(\d+)$/i.exec(c.trim());
  if (!m) usageError(`bad config ${c}: expected P<pipeline>c<clients>, e.g. P16c50`);
  return { pipeline: Number(m[1]), clients: Number(m[2]), label: `-P ${m[1]} -c ${m[2]}` };
});

/**
 * redis-server 7.0.15's requests per second on the 2-core dev machine (redis-benchmark on the
 * same box). Only used to pick -n so that a run lasts about `seconds` against Redis.
 */
const REDIS_RPS_ESTIMATE = {
  1: { default: 90e3 },
  16: { default: 1.3e6, ping_mbulk: 1.1e6, set: 1.4e6, get: 1.35e6, incr: 1.2e6, mset: 0.5e6 },
  1024: { default: 2.5e6, ping_mbulk: 4.9e6, set: 2.65e6, get: 3.25e6, incr: 2.9e6, mset: 0.5e6 },
};

function estimatedRps(pipeline, test) {
  const known = REDIS_RPS_ESTIMATE[pipeline];
  if (known) return known[test] ?? known.default;
  const base = pipeline === 1 ? 90e3 : Math.min(90e3 * pipeline, pipeline >= 256 ? 2.5e6 : 1.3e6);
  return test === 'mset' && pipeline > 1 ? base * 0.4 : base;
}

/** -n for one run: about `seconds` of Redis time, and at least a few full pipelines per client. */
function requestsFor({ pipeline, clients }, test) {
  if (fixedRequests) return fixedRequests;
  const wanted = Math.max(seconds * estimatedRps(pipeline, test), (quick ? 1 : 3) * clients * pipeline, 1000);
  const magnitude = 10 ** (Math.floor(Math.log10(wanted)) - 1);
  return Math.ceil(wanted / magnitude) * magnitude; // two significant digits
}

function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  await requirePrograms(['redis-server', 'redis-benchmark']);
  requireWasmdisBuild();
  const templates = serverCommands();
  const env = await describeEnvironment();
  const started = Date.now();

  log(`starting servers: redis = ${templates.redis}; wasmdis = ${templates.wasmdis}`);
  const servers = {};
  try {
    servers.redis = await startServer({ name: 'redis', template: templates.redis });
    servers.wasmdis = await startServer({ name: 'wasmdis', template: templates.wasmdis });
    log(`redis pid ${servers.redis.pid} port ${servers.redis.port}; wasmdis pid ${servers.wasmdis.pid} port ${servers.wasmdis.port}`);

    if (!options['no-warmup']) {
      // Unrecorded: lets wasmdis's JIT settle and both servers allocate their buffers.
      log('warm-up (not recorded)');
      for (const test of tests) {
        for (const name of ['redis', 'wasmdis']) {
          if (interrupted()) return 130;
          const r = await runRedisBenchmark(
            { port: servers[name].port, tests: [test], clients: 50, pipeline: 16, requests: quick ? 20_000 : 100_000, keyspace },
            { timeoutMs: 60_000 },
          );
          if (r.error) log(`  warm-up ${test} ${name}: ${r.error}`);
        }
      }
    }

    const rows = [];
    for (const config of configs) {
      for (const test of tests) {
        const requests = requestsFor(config, test);
        const row = { config: config.label, pipeline: config.pipeline, clients: config.clients, test, label: BENCHMARK_TESTS[test].label, requests, samples: { redis: [], wasmdis: [] }, errors: {} };
        for (let i = 0; i < repeat; i++) {
          for (const name of ['redis', 'wasmdis']) {
            const server = servers[name];
            if (interrupted()) return 130;
            if (server.exited()) {
              row.errors[name] ??= 'server exited';
              continue;
            }
            const run = await runRedisBenchmark(
              { port: server.port, tests: [test], clients: config.clients, pipeline: config.pipeline, requests, keyspace },
              { timeoutMs: Math.max(60, seconds * 30) * 1000 },
            );
            const result = run.results[BENCHMARK_TESTS[test].csvName];
            if (interrupted()) return 130;
            if (run.error || !result) {
              row.errors[name] ??= run.error ?? 'no result';
              log(`  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${name.padEnd(8)} ERROR ${row.errors[name]}`);
              continue;
            }
            row.samples[name].push(result);
            log(`  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${name.padEnd(8)} ${formatInt(result.rps).padStart(10)} rps  (${run.seconds.toFixed(1)} s)`);
          }
        }
        row.redisRps = median(row.samples.redis.map((s) => s.rps));
        row.wasmdisRps = median(row.samples.wasmdis.map((s) => s.rps));
        row.ratio = row.redisRps && row.wasmdisRps !== null ? row.wasmdisRps / row.redisRps : null;
        rows.push(row);
      }
    }

    for (const name of ['redis', 'wasmdis']) {
      if (servers[name].exited()) log(`\n${name} exited during the run; log tail:\n${servers[name].logTail()}`);
    }
    report({ rows, env, templates, started });
    return rows.some((r) => Object.keys(r.errors).length) ? 1 : 0;
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}

function report({ rows, env, templates, started }) {
  const elapsed = (Date.now() - started) / 1000;
  const headers = ['config', 'test', 'n', 'redis rps', 'wasmdis rps', 'wasmdis/redis', ''];
  const tableRows = rows.map((r) => [
    r.config,
    r.label,
    formatInt(r.requests),
    r.errors.redis && r.redisRps === null ? `error` : formatInt(r.redisRps),
    r.errors.wasmdis && r.wasmdisRps === null ? `error` : formatInt(r.wasmdisRps),
    formatRatio(r.ratio),
    ratioBar(r.ratio),
  ]);
  const table = formatTable(headers, tableRows, { align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'] });

  // One number per configuration: the geometric mean of the ratios.
  const summaryRows = [];
  for (const config of [...new Set(rows.map((r) => r.config))]) {
    const ratios = rows.filter((r) => r.config === config && Number.isFinite(r.ratio)).map((r) => r.ratio);
    const geomean = ratios.length ? Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length) : null;
    const total = rows.filter((r) => r.config === config).length;
    summaryRows.push([config, `${ratios.length}/${total}`, formatRatio(geomean), ratioBar(geomean)]);
  }
  const summary = formatTable(['config', 'tests', 'geomean wasmdis/redis', ''], summaryRows, { align: ['left', 'right', 'right', 'left'] });

  const errors = rows.flatMap((r) => Object.entries(r.errors).map(([name, e]) => `- ${r.config} ${r.label} ${name}: ${e}`));
  const flags = `-h 127.0.0.1 -p <port> -c <clients> -n <n> -P <pipeline>${keyspace ? ` -r ${keyspace}` : ''} -t <test> --csv`;

  process.stdout.write(`\n${table}\n\n${summary}\n`);
  if (errors.length) process.stdout.write(`\nerrors:\n${errors.join('\n')}\n`);
  process.stdout.write(`\n(${rows.length} tests, ${repeat} run(s) each per server, ${elapsed.toFixed(0)} s; ratio > 1 means wasmdis is faster)\n`);

  if (options['no-write']) return;
  const markdown = [
    `# Server throughput: wasmdis vs redis-server${quick ? ' (quick run — not a baseline)' : ''}`,
    ...(process.env.BENCH_WASMDIS_CMD ? ['', `> The wasmdis slot ran a custom command (BENCH_WASMDIS_CMD): \`${templates.wasmdis}\`.`] : []),
    '',
    'Generated by `node bench/server/run.mjs' + (process.argv.length > 2 ? ` ${shellQuote(process.argv.slice(2))}` : '') + '`; see bench/README.md.',
    '',
    environmentMarkdown(env, {
      redis: `\`${templates.redis}\``,
      wasmdis: `\`${templates.wasmdis}\``,
      'redis-benchmark': `\`redis-benchmark ${flags}\`, one process, one test per run, redis then wasmdis`,
      'runs per server per test': `${repeat} (median reported)${options['no-warmup'] ? '' : ', after an unrecorded warm-up pass'}`,
      'total time': `${elapsed.toFixed(0)} s`,
    }),
    '',
    'Requests per second (higher is better). `wasmdis/redis` above 1 means wasmdis is faster; the bar marks 1.0 with `│`.',
    '',
    table,
    '',
    summary,
    ...(errors.length ? ['', 'Errors:', '', ...errors] : []),
    '',
  ].join('\n');
  const data = {
    benchmark: 'server',
    quick,
    environment: env,
    servers: templates,
    settings: { tests, configs, keyspace: keyspace ?? null, seconds, repeat, warmup: !options['no-warmup'], redisBenchmarkFlags: flags },
    elapsedSeconds: elapsed,
    rows: rows.map(({ samples, ...r }) => ({ ...r, samples })),
  };
  const written = writeResults('server', { data, markdown, quick });
  process.stdout.write(`wrote ${written.markdown} and ${written.json}\n`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Plain Errors are ours and say what to do; anything else is a bug worth a stack.
    process.stderr.write(`${err?.constructor === Error ? `error: ${err.message}` : (err?.stack ?? err)}\n`);
    process.exit(1);
  },
);
