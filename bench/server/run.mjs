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
// Two groups of tests: the string tests (SET GET INCR MSET PING) run at every `--configs` entry,
// the data type tests (LPUSH RPOP LRANGE_* SADD SPOP HSET ZADD ZPOPMIN, issue #4) at
// `--type-configs` (-P 16 -c 50 by default, to keep the full run within a few minutes). Before a
// type test the runner deletes the key it works on, and fills it for the pop tests, so that
// every server starts the run from the same state and every pop pops something (see
// BENCHMARK_TESTS in ../lib/redis-benchmark.mjs).
//
// Output: a table (config | test | redis | redis io-threads 2 | wasmdis t1 | wasmdis t2 |
// ratios vs redis), the CPU each server kept busy, written to bench/results/server.{md,json}, and
// a bar chart of the requests per second, bench/results/server.svg.

import fs from 'node:fs';
import path from 'node:path';
import { positiveInt, readOptions, usageError } from '../lib/options.mjs';
import { encodeRange, loadPipelined } from '../lib/load.mjs';
import { BENCHMARK_TESTS, TEST_GROUPS, expandTests, runRedisBenchmark } from '../lib/redis-benchmark.mjs';
import { describeEnvironment, environmentMarkdown, resultsDir, shellQuote, writeResults } from '../lib/results.mjs';
import { serverChart } from './chart.mjs';
import { RespConnection, RespErrorReply, withTimeout } from '../lib/resp-connection.mjs';
import { interrupted, processTreeCpuSeconds, requirePrograms, requireWasmdisBuild, serverCommands, startServer } from '../lib/server-process.mjs';
import { formatInt, formatRatio, formatTable, ratioBar } from '../lib/table.mjs';

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'short runs for a CI smoke test; writes server-quick.*' },
    tests: {
      type: 'string',
      env: 'BENCH_TESTS',
      default: 'strings,types',
      help: `redis-benchmark -t names, or the shorthands strings (${TEST_GROUPS.strings.join(',')}), types (${TEST_GROUPS.types.join(',')}), all`,
    },
    configs: { type: 'string', env: 'BENCH_CONFIGS', default: 'P1c50,P16c50,P1024c512', help: 'pipeline×clients list for the string tests, P<depth>c<clients>' },
    'type-configs': { type: 'string', env: 'BENCH_TYPE_CONFIGS', default: 'P16c50', help: 'pipeline×clients list for the data type tests' },
    'no-fill': { type: 'boolean', env: 'BENCH_NO_FILL', default: false, help: 'do not fill the keys of the pop tests first (redis-benchmark alone: RPOP/SPOP/ZPOPMIN then mostly pop nothing)' },
    keyspace: { type: 'string', env: 'BENCH_KEYSPACE', help: 'pass -r N (random keys out of N) to redis-benchmark' },
    seconds: { type: 'string', env: 'BENCH_SECONDS', help: 'target seconds per run of a string test against redis (default 2, quick 0.25)' },
    'type-seconds': { type: 'string', env: 'BENCH_TYPE_SECONDS', help: 'target seconds per run of a data type test against redis (default 1, quick 0.25)' },
    requests: { type: 'string', env: 'BENCH_REQUESTS', help: 'fixed -n for every run, instead of the per-test estimate' },
    repeat: { type: 'string', env: 'BENCH_REPEAT', default: '1', help: 'runs per server per test; the median is reported' },
    threads: { type: 'string', env: 'BENCH_THREADS', default: '1,2', help: 'wasmdis --threads values, one column each' },
    'lock-timing': { type: 'boolean', env: 'BENCH_LOCK_TIMING', default: false, help: 'start wasmdis with --wasmdis-lock-timing yes: INFO threads then times how long the keyspace lock is held (costs a little)' },
    'redis-io-threads': { type: 'string', env: 'BENCH_REDIS_IO_THREADS', default: '2', help: 'also run redis-server --io-threads N --io-threads-do-reads yes (0 or 1: skip)' },
    'io-threads-types': { type: 'boolean', env: 'BENCH_IO_THREADS_TYPES', default: false, help: 'run the redis io-threads column for the data type tests too (default: string tests only)' },
    'no-warmup': { type: 'boolean', env: 'BENCH_NO_WARMUP', default: false, help: 'skip the unrecorded warm-up pass' },
    'no-write': { type: 'boolean', env: 'BENCH_NO_WRITE', default: false, help: 'print only, do not write bench/results/' },
  },
  { usage: 'Usage: node bench/server/run.mjs [options]' },
);

const quick = options.quick;
const seconds = options.seconds !== undefined ? Number(options.seconds) : quick ? 0.25 : 2;
const typeSeconds = options['type-seconds'] !== undefined ? Number(options['type-seconds']) : quick ? 0.25 : 1;
const repeat = positiveInt('repeat', options.repeat);
const keyspace = positiveInt('keyspace', options.keyspace);
const fixedRequests = positiveInt('requests', options.requests);
if (!(seconds > 0)) usageError(`--seconds must be a positive number, got ${options.seconds}`);
if (!(typeSeconds > 0)) usageError(`--type-seconds must be a positive number, got ${options['type-seconds']}`);

const { tests, unknown } = expandTests(options.tests);
if (unknown.length) usageError(`unknown test ${unknown.join(', ')}; known: ${[...Object.keys(TEST_GROUPS), ...Object.keys(BENCHMARK_TESTS)].join(', ')}`);
if (tests.length === 0) usageError('--tests: give at least one test');
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

function parseConfigs(list, flag) {
  return list
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const m = /^P(\d+)c(\d+)$/i.exec(c);
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) usageError(`${flag}: bad config ${c}: expected P<pipeline>c<clients>, e.g. P16c50`);
      return { pipeline: Number(m[1]), clients: Number(m[2]), label: `-P ${Number(m[1])} -c ${Number(m[2])}` };
    });
}
const configsByGroup = { strings: parseConfigs(options.configs, '--configs'), types: parseConfigs(options['type-configs'], '--type-configs') };

/**
 * What runs: every configuration (in the order given, string configurations first), and at each
 * the tests whose group runs there.
 */
const plan = [];
for (const config of [...configsByGroup.strings, ...configsByGroup.types]) {
  if (plan.some((p) => p.config.label === config.label)) continue;
  const here = tests.filter((t) => configsByGroup[BENCHMARK_TESTS[t].group].some((c) => c.label === config.label));
  if (here.length) plan.push({ config, tests: here });
}
if (plan.length === 0) usageError('nothing to run: no test is in a group with a configuration (--configs, --type-configs)');

/**
 * redis-server 7.0.15's requests per second on the 2-core dev machine (redis-benchmark on the
 * same box). Only used to pick -n so that a run lasts about `seconds` against Redis.
 */
const REDIS_RPS_ESTIMATE = {
  1: { default: 90e3, lrange_100: 45e3, lrange_300: 25e3, lrange_500: 17e3, lrange_600: 15e3 },
  16: {
    default: 1.3e6, ping_mbulk: 1.1e6, set: 1.4e6, get: 1.35e6, incr: 1.2e6, mset: 0.5e6,
    lpush: 1e6, rpop: 1e6, sadd: 1.2e6, spop: 0.3e6, hset: 1.2e6, zadd: 1.1e6, zpopmin: 0.6e6,
    lrange_100: 0.18e6, lrange_300: 50e3, lrange_500: 25e3, lrange_600: 18e3,
  },
  1024: {
    default: 2.5e6, ping_mbulk: 4.9e6, set: 2.65e6, get: 3.25e6, incr: 2.9e6, mset: 0.5e6,
    spop: 0.3e6, zpopmin: 0.6e6, lrange_100: 0.18e6, lrange_300: 50e3, lrange_500: 25e3, lrange_600: 18e3,
  },
};

function estimatedRps(pipeline, test) {
  const known = REDIS_RPS_ESTIMATE[pipeline];
  if (known) return known[test] ?? known.default;
  if (test.startsWith('lrange_')) return REDIS_RPS_ESTIMATE[pipeline === 1 ? 1 : 16][test];
  if ((test === 'spop' || test === 'zpopmin') && pipeline > 1) return REDIS_RPS_ESTIMATE[16][test];
  const base = pipeline === 1 ? 90e3 : Math.min(90e3 * pipeline, pipeline >= 256 ? 2.5e6 : 1.3e6);
  return test === 'mset' && pipeline > 1 ? base * 0.4 : base;
}

/** -n of the unrecorded warm-up run of a test (at -P 16 -c 50): about 0.1 s of Redis time, 5k to 100k. */
function warmupRequests(test) {
  return Math.round(Math.min(quick ? 20_000 : 100_000, Math.max(5_000, estimatedRps(16, test) * 0.1)));
}

/**
 * -n for one run: about `seconds` (string tests) or `typeSeconds` (data type tests) of Redis
 * time, and at least a few full pipelines per client.
 */
function requestsFor({ pipeline, clients }, test) {
  if (fixedRequests) return fixedRequests;
  const target = BENCHMARK_TESTS[test].group === 'types' ? typeSeconds : seconds;
  const wanted = Math.max(target * estimatedRps(pipeline, test), (quick ? 1 : 3) * clients * pipeline, 1000);
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
      // The string tests compare threading; the type tests compare the data structures, and
      // this column (the slowest, ≈ 0.5× redis at -P 16 on two cores) would add a minute.
      groups: options['io-threads-types'] ? ['strings', 'types'] : ['strings'],
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

/** Whether a column runs the tests of `group` (every column does, unless it lists its groups). */
function runsGroup(column, group) {
  return !column.groups || column.groups.includes(group);
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

/** Elements per command when filling a pop test's key. */
const FILL_PER_COMMAND = 1000;
const FILL_COMMAND = { list: 'RPUSH', set: 'SADD', zset: 'ZADD' };
const LENGTH_COMMAND = { list: 'LLEN', set: 'SCARD', zset: 'ZCARD' };

/**
 * The command adding fill elements [from, to) to `key`: for a list redis-benchmark's own 3-byte
 * payload `xxx`, for a set or sorted set distinct members `element:000000000042` (what
 * redis-benchmark's SADD/ZADD insert with -r), scores ascending.
 */
function fillCommand(kind, key, from, to) {
  const args = [FILL_COMMAND[kind], key];
  for (let i = from; i < to; i++) {
    if (kind === 'list') args.push('xxx');
    else if (kind === 'zset') args.push(String(i), `element:${String(i).padStart(12, '0')}`);
    else args.push(`element:${String(i).padStart(12, '0')}`);
  }
  return args;
}

/**
 * Before a run of a type test: delete the key it works on and, for a pop test, fill it with
 * `requests` elements, so that every pop of the run finds one. Returns an error text or null.
 */
async function prepareKey(port, test, requests, name) {
  const spec = BENCHMARK_TESTS[test];
  if (!spec.key) return null;
  let conn;
  try {
    conn = await RespConnection.connect(port);
    const deleted = await withTimeout(conn.command('DEL', spec.key), 60_000, `DEL ${spec.key}`);
    if (deleted instanceof RespErrorReply) return `DEL ${spec.key}: ${deleted.message}`;
    if (!spec.fill || options['no-fill']) return null;
    await loadPipelined(conn, {
      total: Math.ceil(requests / FILL_PER_COMMAND),
      batch: 10,
      window: 4,
      stallSeconds: 20,
      name,
      what: `${FILL_COMMAND[spec.fill]} ${spec.key}`,
      encodeBatch: (from, to) =>
        encodeRange((c) => fillCommand(spec.fill, spec.key, c * FILL_PER_COMMAND, Math.min(requests, (c + 1) * FILL_PER_COMMAND)), from, to),
    });
    const length = await withTimeout(conn.command(LENGTH_COMMAND[spec.fill], spec.key), 10_000, LENGTH_COMMAND[spec.fill]);
    if (length !== requests) return `filling ${spec.key}: ${LENGTH_COMMAND[spec.fill]} replied ${JSON.stringify(length)}, expected ${requests}`;
    return null;
  } catch (err) {
    return `preparing ${spec.key}: ${err.message}`;
  } finally {
    conn?.close();
  }
}

/** After a run: the test's check (pop tests: the key is empty; lrange: the list was long enough). */
async function checkAfter(port, test) {
  const spec = BENCHMARK_TESTS[test];
  const after = spec.after;
  if (!after || (spec.fill && options['no-fill'])) return null;
  let conn;
  try {
    conn = await RespConnection.connect(port);
    const reply = await withTimeout(conn.command(...after.command), 10_000, after.command[0]);
    const text = `${after.command.join(' ')} replied ${JSON.stringify(reply instanceof RespErrorReply ? reply.message : reply)}`;
    if (after.equals !== undefined && reply !== after.equals) return `${text}, expected ${after.equals}`;
    if (after.atLeast !== undefined && !(typeof reply === 'number' && reply >= after.atLeast)) return `${text}, expected at least ${after.atLeast}`;
    return null;
  } catch (err) {
    return `checking ${spec.key}: ${err.message}`;
  } finally {
    conn?.close();
  }
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
        const requests = warmupRequests(test);
        for (const column of columns) {
          const { key } = column;
          if (!runsGroup(column, BENCHMARK_TESTS[test].group)) continue;
          if (interrupted()) return 130;
          const prepared = await prepareKey(servers[key].port, test, requests, key);
          if (prepared) {
            log(`  warm-up ${test} ${key}: ${prepared}`);
            continue;
          }
          const r = await runRedisBenchmark(
            { port: servers[key].port, tests: [test], clients: 50, pipeline: 16, requests, keyspace },
            { timeoutMs: 60_000 },
          );
          if (r.error) log(`  warm-up ${test} ${key}: ${r.error}`);
        }
      }
    }

    const rows = [];
    for (const { config, tests: configTests } of plan) {
      for (const test of configTests) {
        const requests = requestsFor(config, test);
        const row = {
          config: config.label,
          pipeline: config.pipeline,
          clients: config.clients,
          test,
          group: BENCHMARK_TESTS[test].group,
          label: BENCHMARK_TESTS[test].label,
          requests,
          samples: Object.fromEntries(columns.map((c) => [c.key, []])),
          errors: {},
        };
        for (let i = 0; i < repeat; i++) {
          for (const column of columns) {
            const { key } = column;
            if (!runsGroup(column, row.group)) continue;
            const server = servers[key];
            if (interrupted()) return 130;
            if (server.exited()) {
              row.errors[key] ??= 'server exited';
              continue;
            }
            const isWasmdis = columns.find((c) => c.key === key).kind === 'wasmdis';
            const prepareStart = process.hrtime.bigint();
            const prepared = await prepareKey(server.port, test, requests, key);
            const prepareSeconds = Number(process.hrtime.bigint() - prepareStart) / 1e9;
            if (prepared) {
              row.errors[key] ??= prepared;
              log(`  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${key.padEnd(12)} ERROR ${prepared}`);
              continue;
            }
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
            const checked = run.error || !result ? null : await checkAfter(server.port, test);
            if (run.error || !result || checked) {
              row.errors[key] ??= run.error ?? checked ?? 'no result';
              log(`  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${key.padEnd(12)} ERROR ${row.errors[key]}`);
              continue;
            }
            // Cores the server kept busy: its CPU time over the time redis-benchmark measured
            // (n / rps of every test it ran, so an lrange test's LPUSH prelude counts too;
            // without redis-benchmark's own start-up). The connection set-up before that is in
            // the CPU time, so short runs with many clients read a little high.
            const measured = Object.values(run.results).reduce((sum, r) => sum + (r.rps > 0 ? requests / r.rps : 0), 0);
            const cores = cpuBefore !== null && cpuAfter !== null && measured > 0 ? (cpuAfter - cpuBefore) / measured : null;
            const lock = isWasmdis ? lockDelta(lockBefore, lockAfter, measured) : null;
            const filled = BENCHMARK_TESTS[test].fill && !options['no-fill'];
            row.samples[key].push({
              ...result,
              cores: cores === null ? null : Number(cores.toFixed(2)),
              ...(lock ? { lock } : {}),
              ...(filled ? { fillSeconds: Number(prepareSeconds.toFixed(2)) } : {}),
            });
            log(
              `  ${config.label.padEnd(16)} ${row.label.padEnd(15)} ${key.padEnd(12)} ${formatInt(result.rps).padStart(10)} rps  ` +
                `(${run.seconds.toFixed(1)} s${cores === null ? '' : `, ${cores.toFixed(2)} cores`}${filled ? `; filled in ${prepareSeconds.toFixed(1)} s` : ''})`,
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

  // One number per configuration, group of tests and column: the geometric mean of the ratios
  // to redis; the lowest ratio of the group next to it (the issue's bar is every command ≥ 1.0).
  const summaryRows = [];
  for (const config of [...new Set(rows.map((r) => r.config))]) {
    for (const group of [...new Set(rows.filter((r) => r.config === config).map((r) => r.group))]) {
      const inGroup = rows.filter((r) => r.config === config && r.group === group);
      const complete = inGroup.filter((r) => columns.every((c) => !runsGroup(c, group) || Number.isFinite(r.rps[c.key]))).length;
      const means = others.map((c) => geomean(inGroup.map((r) => r.ratios[c.key])));
      const lowest = inGroup
        .filter((r) => Number.isFinite(r.ratios[headline.key]))
        .reduce((low, r) => (low === null || r.ratios[headline.key] < low.ratios[headline.key] ? r : low), null);
      summaryRows.push([
        config,
        group,
        `${complete}/${inGroup.length}`,
        ...means.map(formatRatio),
        lowest ? `${formatRatio(lowest.ratios[headline.key])} ${lowest.label}` : '—',
        ratioBar(means[others.indexOf(headline)]),
      ]);
    }
  }
  const summary = formatTable(
    ['config', 'group', 'tests', ...others.map((c) => `geomean ${short(c)}/redis`), `lowest ${short(headline)}/redis`, ''],
    summaryRows,
    { align: ['left', 'left', 'right', ...others.map(() => 'right'), 'left', 'left'] },
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
    `the bar draws ${headline.label}/redis and marks 1.0 with \`│\`.` +
    columns
      .filter((c) => c.groups && rows.some((r) => !runsGroup(c, r.group)))
      .map((c) => ` ${c.label} runs the ${c.groups.join(' and ')} tests only (\`—\` elsewhere; \`--io-threads-types\` adds the type tests).`)
      .join('');

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
      'run length': fixedRequests
        ? `-n ${fixedRequests} for every run`
        : `-n chosen for about ${seconds} s of Redis time per string test run, ${typeSeconds} s per data type test run`,
      ...(rows.some((r) => r.group === 'types')
        ? {
            'data type tests':
              'the key a test works on (`mylist`, `myset`, `myhash`, `myzset`) is deleted before every run; ' +
              (options['no-fill']
                ? 'not filled (`--no-fill`): RPOP/SPOP/ZPOPMIN pop from empty keys'
                : 'for RPOP, SPOP and ZPOPMIN it is first filled with n elements (list: `xxx`; set, sorted set: `element:000000000000`…, scores ascending) and checked empty after the run, so every pop popped') +
              "; LRANGE_* rows are the LRANGE part of the run, which begins with redis-benchmark's own `LPUSH mylist` of n elements",
          }
        : {}),
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
      configs: configsByGroup.strings,
      typeConfigs: configsByGroup.types,
      plan: plan.map((p) => ({ config: p.config.label, tests: p.tests })),
      fill: !options['no-fill'],
      keyspace: keyspace ?? null,
      seconds,
      typeSeconds,
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
  const svgName = quick ? 'server-quick.svg' : 'server.svg';
  fs.writeFileSync(path.join(resultsDir, svgName), serverChart(rows, columns, { quick }));
  const written = writeResults('server', { data, markdown: `${markdown}\n![bar chart: requests per second per test and configuration](${svgName})\n`, quick });
  process.stdout.write(`wrote ${written.markdown}, ${written.json} and bench/results/${svgName}\n`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Plain Errors are ours and say what to do; anything else is a bug worth a stack.
    process.stderr.write(`${err?.constructor === Error ? `error: ${err.message}` : (err?.stack ?? err)}\n`);
    process.exit(1);
  },
);
