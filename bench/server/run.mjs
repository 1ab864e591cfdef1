#!/usr/bin/env node
// Server throughput: wasmdis side by side with redis-server, measured by redis-benchmark.
//
// All servers run at once on random free ports on 127.0.0.1: redis-server, redis-server with
// I/O threads (`--io-threads 2 --io-threads-do-reads yes`), and wasmdis once per thread count
// (`--threads 1,2` by default, issue #3). For every configuration (pipeline depth × clients) and
// every test, redis-benchmark runs against each server in turn with identical flags, so slow
// drift of the machine (thermal, noisy neighbours) hits all alike. One redis-benchmark process
// per run; on the 2-core machine it takes one core and the server the rest. That is the
// documented setup, keep it. Idle servers wait in epoll and cost nothing measurable.
//
// Output: a table (config | test | redis | redis io-threads 2 | wasmdis t1 | wasmdis t2 |
// ratios vs redis), the CPU each server kept busy, written to bench/results/server.{md,json}.

import { positiveInt, readOptions, usageError } from '../lib/options.mjs';
import { BENCHMARK_TESTS, runRedisBenchmark } from '../lib/redis-benchmark.mjs';
import { describeEnvironment, environmentMarkdown, shellQuote, writeResults } from '../lib/results.mjs';
import { RespConnection, withTimeout } from '../lib/resp-connection.mjs';
import { interrupted, processTreeCpuSeconds, requirePrograms, requireWasmdisBuild, serverCommands, startServer } from '../lib/server-process.mjs';
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
    threads: { type: 'string', env: 'BENCH_THREADS', default: '1,2', help: 'wasmdis --threads values, one column each' },
    'lock-timing': { type: 'boolean', env: 'BENCH_LOCK_TIMING', default: false, help: 'start wasmdis with --wasmdis-lock-timing yes: INFO threads then times how long the keyspace lock is held (costs a little)' },
    'redis-io-threads': { type: 'string', env: 'BENCH_REDIS_IO_THREADS', default: '2', help: 'also run redis-server --io-threads N --io-threads-do-reads yes (0 or 1: skip)' },
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
const threadCounts = [
  ...new Set(
    options.threads.split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1 || n > 256) usageError(`--threads: expected positive integers like 1,2, got ${options.threads}`);
      return n;
    }),
  ),
];
if (threadCounts.length === 0) usageError('--threads: give at least one thread count');
const ioThreads = Number(options['redis-io-threads']);
if (!Number.isInteger(ioThreads) || ioThreads < 0 || ioThreads > 128) usageError(`--redis-io-threads must be an integer 0..128, got ${options['redis-io-threads']}`);

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

/**
 * The servers measured, one table column each. The wasmdis command gets `--threads N` appended
 * (or `{threads}` substituted, when a custom BENCH_WASMDIS_CMD has it); a custom command without
 * `{threads}` runs once, as given.
 */
function serverColumns(templates) {
  const columns = [{ key: 'redis', label: 'redis', template: templates.redis, kind: 'redis' }];
  if (ioThreads > 1) {
    columns.push({
      key: `redis-io${ioThreads}`,
      label: `redis io-threads ${ioThreads}`,
      template: `${templates.redis} --io-threads ${ioThreads} --io-threads-do-reads yes`,
      kind: 'redis',
    });
  }
  const custom = Boolean(process.env.BENCH_WASMDIS_CMD);
  if (custom && !templates.wasmdis.includes('{threads}')) {
    log(`BENCH_WASMDIS_CMD has no {threads}: one wasmdis column, run as given (--threads ${options.threads} ignored)`);
    columns.push({ key: 'wasmdis', label: 'wasmdis', template: templates.wasmdis, kind: 'wasmdis', threads: null });
    return columns;
  }
  for (const n of threadCounts) {
    let template = templates.wasmdis.includes('{threads}')
      ? templates.wasmdis.replaceAll('{threads}', String(n))
      : `${templates.wasmdis} --threads ${n}`;
    if (options['lock-timing']) template += ' --wasmdis-lock-timing yes';
    columns.push({ key: `wasmdis-t${n}`, label: `wasmdis t${n}`, template, kind: 'wasmdis', threads: n });
  }
  return columns;
}

/** `INFO <section>` of a server as text, or null when it does not answer. */
async function infoText(port, section) {
  let conn;
  try {
    conn = await RespConnection.connect(port);
    const info = await withTimeout(conn.command('INFO', section), 5000, 'INFO');
    return typeof info === 'string' ? info : null;
  } catch {
    return null;
  } finally {
    conn?.close();
  }
}

/** The `# Threads` section of a wasmdis INFO (thread count, keyspace lock counters), as lines. */
async function threadInfo(port) {
  const text = await infoText(port, 'threads');
  if (text === null) return ['(INFO threads failed)'];
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** Keyspace lock counters from INFO threads, or null when the server has none. */
async function lockCounters(port) {
  const text = await infoText(port, 'threads');
  if (text === null) return null;
  const field = (name) => {
    const m = new RegExp(`^${name}:(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const acquisitions = field('keyspace_lock_acquisitions');
  if (acquisitions === null) return null;
  return {
    acquisitions,
    contended: field('keyspace_lock_contended'),
    waitUsec: field('keyspace_lock_wait_usec'),
    heldUsec: field('keyspace_lock_held_usec'),
  };
}

/** What the keyspace lock did during one run: counts, and shares of the run's wall time. */
function lockDelta(before, after, seconds) {
  if (!before || !after || !(seconds > 0)) return null;
  const d = (k) => (after[k] === null || before[k] === null ? null : after[k] - before[k]);
  const acquisitions = d('acquisitions');
  const contended = d('contended');
  const waitUsec = d('waitUsec');
  const heldUsec = d('heldUsec');
  return {
    acquisitions,
    contended,
    contendedShare: acquisitions ? Number((contended / acquisitions).toFixed(4)) : null,
    waitShare: waitUsec === null ? null : Number((waitUsec / 1e6 / seconds).toFixed(4)),
    heldShare: heldUsec === null || heldUsec === 0 ? null : Number((heldUsec / 1e6 / seconds).toFixed(4)),
  };
}

async function main() {
  await requirePrograms(['redis-server', 'redis-benchmark']);
  requireWasmdisBuild();
  const templates = serverCommands();
  const columns = serverColumns(templates);
  const env = await describeEnvironment();
  const started = Date.now();

  log(`starting servers:\n${columns.map((c) => `  ${c.label.padEnd(20)} ${c.template}`).join('\n')}`);
  const servers = {};
  try {
    for (const column of columns) servers[column.key] = await startServer({ name: column.key, template: column.template });
    log(columns.map((c) => `${c.label} pid ${servers[c.key].pid} port ${servers[c.key].port}`).join('; '));

    if (!options['no-warmup']) {
      // Unrecorded: lets wasmdis's JIT settle and every server allocate its buffers.
      log('warm-up (not recorded)');
      for (const test of tests) {
        for (const { key } of columns) {
          if (interrupted()) return 130;
          const r = await runRedisBenchmark(
            { port: servers[key].port, tests: [test], clients: 50, pipeline: 16, requests: quick ? 20_000 : 100_000, keyspace },
            { timeoutMs: 60_000 },
          );
          if (r.error) log(`  warm-up ${test} ${key}: ${r.error}`);
        }
      }
    }

    const rows = [];
    for (const config of configs) {
      for (const test of tests) {
        const requests = requestsFor(config, test);
        const row = {
          config: config.label,
          pipeline: config.pipeline,
          clients: config.clients,
          test,
          label: BENCHMARK_TESTS[test].label,
          requests,
          samples: Object.fromEntries(columns.map((c) => [c.key, []])),
          errors: {},
        };
        for (let i = 0; i < repeat; i++) {
          for (const { key } of columns) {
            const server = servers[key];
            if (interrupted()) return 130;
            if (server.exited()) {
              row.errors[key] ??= 'server exited';
              continue;
            }
            const isWasmdis = columns.find((c) => c.key === key).kind === 'wasmdis';
            const lockBefore = isWasmdis ? await lockCounters(server.port) : null;
            const cpuBefore = processTreeCpuSeconds(server.pid);
            const run = await runRedisBenchmark(
              { port: server.port, tests: [test], clients: config.clients, pipeline: config.pipeline, requests, keyspace },
              { timeoutMs: Math.max(60, seconds * 30) * 1000 },
            );
            const cpuAfter = processTreeCpuSeconds(server.pid);
            const lockAfter = isWasmdis ? await lockCounters(server.port) : null;
            const result = run.results[BENCHMARK_TESTS[test].csvName];
            if (interrupted()) return 130;
            if (run.error || !result) {
              row.errors[key] ??= run.error ?? 'no result';
              log(`  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${key.padEnd(12)} ERROR ${row.errors[key]}`);
              continue;
            }
            // Cores the server kept busy: its CPU time over the time redis-benchmark measured
            // (n / rps; without redis-benchmark's own start-up). The connection set-up before
            // that is in the CPU time, so short runs with many clients read a little high.
            const measured = requests / result.rps;
            const cores = cpuBefore !== null && cpuAfter !== null && measured > 0 ? (cpuAfter - cpuBefore) / measured : null;
            const lock = isWasmdis ? lockDelta(lockBefore, lockAfter, measured) : null;
            row.samples[key].push({ ...result, cores: cores === null ? null : Number(cores.toFixed(2)), ...(lock ? { lock } : {}) });
            log(
              `  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${key.padEnd(12)} ${formatInt(result.rps).padStart(10)} rps  ` +
                `(${run.seconds.toFixed(1)} s${cores === null ? '' : `, ${cores.toFixed(2)} cores`})`,
            );
          }
        }
        row.rps = Object.fromEntries(columns.map((c) => [c.key, median(row.samples[c.key].map((s) => s.rps))]));
        row.cores = Object.fromEntries(columns.map((c) => [c.key, median(row.samples[c.key].map((s) => s.cores))]));
        row.lock = Object.fromEntries(
          columns
            .filter((c) => row.samples[c.key].some((s) => s.lock))
            .map((c) => {
              const locks = row.samples[c.key].map((s) => s.lock).filter(Boolean);
              const m = (k) => median(locks.map((l) => l[k] ?? NaN));
              return [c.key, { contendedShare: m('contendedShare'), waitShare: m('waitShare'), heldShare: m('heldShare') }];
            }),
        );
        row.ratios = Object.fromEntries(
          columns.filter((c) => c.key !== 'redis').map((c) => [c.key, ratioOf(row.rps[c.key], row.rps.redis)]),
        );
        // the two-server fields of earlier results files: redis and the widest wasmdis column
        const headline = mainWasmdisColumn(columns);
        row.redisRps = row.rps.redis;
        row.wasmdisRps = row.rps[headline.key];
        row.ratio = row.ratios[headline.key];
        rows.push(row);
      }
    }

    const info = {};
    for (const c of columns) {
      if (c.kind === 'wasmdis' && !servers[c.key].exited()) info[c.key] = await threadInfo(servers[c.key].port);
    }
    for (const c of columns) {
      if (servers[c.key].exited()) log(`\n${c.key} exited during the run; log tail:\n${servers[c.key].logTail()}`);
    }
    report({ rows, env, columns, templates, info, started });
    return rows.some((r) => Object.keys(r.errors).length) ? 1 : 0;
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}

function ratioOf(a, b) {
  return a !== null && a !== undefined && b ? a / b : null;
}

/** The wasmdis column the bar and the summary's headline use: the most threads. */
function mainWasmdisColumn(columns) {
  const wasmdis = columns.filter((c) => c.kind === 'wasmdis');
  return wasmdis.reduce((best, c) => ((c.threads ?? 0) > (best.threads ?? 0) ? c : best), wasmdis[0]);
}

function geomean(values) {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  return v.length ? Math.exp(v.reduce((s, r) => s + Math.log(r), 0) / v.length) : null;
}

function report({ rows, env, columns, templates, info, started }) {
  const elapsed = (Date.now() - started) / 1000;
  const others = columns.filter((c) => c.key !== 'redis');
  const wasmdisColumns = columns.filter((c) => c.kind === 'wasmdis');
  const headline = mainWasmdisColumn(columns);
  const short = (c) => (c.kind === 'wasmdis' ? (c.threads === null ? 'wasmdis' : `t${c.threads}`) : `io${ioThreads}`);
  const cell = (r, c) => (r.errors[c.key] && r.rps[c.key] === null ? 'error' : formatInt(r.rps[c.key]));

  const headers = ['config', 'test', 'n', ...columns.map((c) => c.label), ...others.map((c) => `${short(c)}/redis`), ''];
  const tableRows = rows.map((r) => [
    r.config,
    r.label,
    formatInt(r.requests),
    ...columns.map((c) => cell(r, c)),
    ...others.map((c) => formatRatio(r.ratios[c.key])),
    ratioBar(r.ratios[headline.key]),
  ]);
  const align = ['left', 'left', 'right', ...columns.map(() => 'right'), ...others.map(() => 'right'), 'left'];
  const table = formatTable(headers, tableRows, { align });

  // One number per configuration and column: the geometric mean of the ratios to redis.
  const summaryRows = [];
  for (const config of [...new Set(rows.map((r) => r.config))]) {
    const inConfig = rows.filter((r) => r.config === config);
    const complete = inConfig.filter((r) => columns.every((c) => Number.isFinite(r.rps[c.key]))).length;
    const means = others.map((c) => geomean(inConfig.map((r) => r.ratios[c.key])));
    summaryRows.push([config, `${complete}/${inConfig.length}`, ...means.map(formatRatio), ratioBar(means[others.indexOf(headline)])]);
  }
  const summary = formatTable(
    ['config', 'tests', ...others.map((c) => `geomean ${short(c)}/redis`), ''],
    summaryRows,
    { align: ['left', 'right', ...others.map(() => 'right'), 'left'] },
  );

  // Cores each server kept busy, averaged per configuration: how far the threads reach.
  const cpuRows = [];
  for (const config of [...new Set(rows.map((r) => r.config))]) {
    const inConfig = rows.filter((r) => r.config === config);
    cpuRows.push([
      config,
      ...columns.map((c) => {
        const v = inConfig.map((r) => r.cores[c.key]).filter(Number.isFinite);
        return v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toFixed(2) : '—';
      }),
    ]);
  }
  const cpuTable = formatTable(['config', ...columns.map((c) => c.label)], cpuRows, { align: ['left', ...columns.map(() => 'right')] });

  // The keyspace lock per wasmdis column: share of acquisitions that had to wait, and time
  // spent waiting (summed over threads) or holding it, as a share of the run's wall time.
  const lockColumns = wasmdisColumns.filter((c) => rows.some((r) => r.lock?.[c.key]));
  const pct = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
  const timed = lockColumns.some((c) => rows.some((r) => Number.isFinite(r.lock[c.key]?.heldShare)));
  const lockTable = lockColumns.length
    ? formatTable(
        ['config', 'test', ...lockColumns.flatMap((c) => [`${short(c)} contended`, `${short(c)} waiting`, ...(timed ? [`${short(c)} held`] : [])])],
        rows.map((r) => [
          r.config,
          r.label,
          ...lockColumns.flatMap((c) => {
            const l = r.lock[c.key];
            return [pct(l?.contendedShare), pct(l?.waitShare), ...(timed ? [pct(l?.heldShare)] : [])];
          }),
        ]),
        { align: ['left', 'left', ...lockColumns.flatMap(() => (timed ? ['right', 'right', 'right'] : ['right', 'right']))] },
      )
    : null;
  const lockNote =
    'Keyspace lock during each run (wasmdis `INFO threads`, before and after): `contended` = acquisitions that found it taken; ' +
    '`waiting` = time threads spent waiting for it, summed over threads, as a share of the measured time' +
    (timed ? '; `held` = time it was held, as a share of the measured time (`--wasmdis-lock-timing yes`).' : '; `--lock-timing` adds the time it was held.');

  const infoLines = wasmdisColumns
    .filter((c) => info[c.key]?.length)
    .map((c) => `- ${c.label}: ${info[c.key].map((l) => `\`${l}\``).join(', ')}`);

  const errors = rows.flatMap((r) => Object.entries(r.errors).map(([name, e]) => `- ${r.config} ${r.label} ${name}: ${e}`));
  const flags = `-h 127.0.0.1 -p <port> -c <clients> -n <n> -P <pipeline>${keyspace ? ` -r ${keyspace}` : ''} -t <test> --csv`;
  const ratioNote =
    `Requests per second (higher is better). \`tN/redis\` above 1 means wasmdis with N threads is faster than redis-server; ` +
    `the bar draws ${headline.label}/redis and marks 1.0 with \`│\`.`;

  process.stdout.write(`\n${table}\n\n${summary}\n\ncores busy (server CPU time / measured time, mean per configuration):\n${cpuTable}\n`);
  if (lockTable) process.stdout.write(`\nkeyspace lock:\n${lockTable}\n`);
  if (infoLines.length) process.stdout.write(`\nwasmdis INFO threads after the run:\n${infoLines.join('\n')}\n`);
  if (errors.length) process.stdout.write(`\nerrors:\n${errors.join('\n')}\n`);
  process.stdout.write(
    `\n(${rows.length} tests, ${columns.length} servers, ${repeat} run(s) each per server, ${elapsed.toFixed(0)} s; ratio > 1 means wasmdis is faster)\n`,
  );

  if (options['no-write']) return;
  const markdown = [
    `# Server throughput: wasmdis vs redis-server${quick ? ' (quick run — not a baseline)' : ''}`,
    ...(process.env.BENCH_WASMDIS_CMD ? ['', `> The wasmdis slot ran a custom command (BENCH_WASMDIS_CMD): \`${templates.wasmdis}\`.`] : []),
    '',
    'Generated by `node bench/server/run.mjs' + (process.argv.length > 2 ? ` ${shellQuote(process.argv.slice(2))}` : '') + '`; see bench/README.md.',
    '',
    environmentMarkdown(env, {
      ...Object.fromEntries(columns.map((c) => [c.label, `\`${c.template}\``])),
      'redis-benchmark': `\`redis-benchmark ${flags}\`, one process, one test per run, the servers in the order above`,
      'runs per server per test': `${repeat} (median reported)${options['no-warmup'] ? '' : ', after an unrecorded warm-up pass'}`,
      'total time': `${elapsed.toFixed(0)} s`,
    }),
    '',
    ratioNote,
    '',
    table,
    '',
    summary,
    '',
    'Cores each server kept busy (its CPU time during a run over the time redis-benchmark measured, mean per configuration; redis-benchmark itself takes most of one of the two cores):',
    '',
    cpuTable,
    ...(lockTable ? ['', lockNote, '', lockTable] : []),
    ...(infoLines.length ? ['', 'wasmdis `INFO threads` after the run:', '', ...infoLines] : []),
    ...(errors.length ? ['', 'Errors:', '', ...errors] : []),
    '',
  ].join('\n');
  const data = {
    benchmark: 'server',
    quick,
    environment: env,
    servers: templates,
    columns: columns.map(({ key, label, template, kind, threads }) => ({ key, label, template, kind, threads })),
    mainWasmdisColumn: headline.key,
    settings: {
      tests,
      configs,
      keyspace: keyspace ?? null,
      seconds,
      repeat,
      warmup: !options['no-warmup'],
      threads: threadCounts,
      redisIoThreads: ioThreads > 1 ? ioThreads : null,
      lockTiming: options['lock-timing'],
      redisBenchmarkFlags: flags,
    },
    elapsedSeconds: elapsed,
    wasmdisInfo: info,
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
