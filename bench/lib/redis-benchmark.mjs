// Running redis-benchmark and reading its --csv output.
//
// It owns: the redis-benchmark argv, a time bound per run, and parsing the CSV into numbers.
// It must not choose what to benchmark (bench/server/run.mjs does).

import { spawn } from 'node:child_process';
import { trackChild } from './server-process.mjs';

/**
 * redis-benchmark's `-t` names and the test names it prints in its CSV.
 * `-t ping_mbulk` runs PING as a multibulk request, the way clients send it.
 *
 * - `group`: `strings` (the string and connection tests) or `types` (the data type tests);
 *   bench/server runs each group at its own configurations.
 * - `key`: the key the test works on (redis-benchmark's fixed names). The server benchmark
 *   deletes it before every run of the test, so a run never depends on the tests before it.
 * - `fill`: the key is filled with as many elements as the run sends requests (through a raw
 *   pipelined connection) before the run, so every pop finds an element; without it
 *   redis-benchmark's RPOP, SPOP and ZPOPMIN pop from an empty or one-element key and measure
 *   nil replies. `after` checks the key is empty afterwards: every pop returned an element.
 * - `prelude`: redis-benchmark's lrange tests first run `LPUSH mylist` with the same -n (a CSV
 *   row of its own); `after` checks that the list then held enough elements for the LRANGE.
 */
export const BENCHMARK_TESTS = {
  ping_mbulk: { csvName: 'PING_MBULK', label: 'PING', group: 'strings' },
  ping_inline: { csvName: 'PING_INLINE', label: 'PING (inline)', group: 'strings' },
  set: { csvName: 'SET', label: 'SET', group: 'strings' },
  get: { csvName: 'GET', label: 'GET', group: 'strings' },
  incr: { csvName: 'INCR', label: 'INCR', group: 'strings' },
  mset: { csvName: 'MSET (10 keys)', label: 'MSET (10 keys)', group: 'strings' },
  lpush: { csvName: 'LPUSH', label: 'LPUSH', group: 'types', key: 'mylist' },
  rpush: { csvName: 'RPUSH', label: 'RPUSH', group: 'types', key: 'mylist' },
  lpop: { csvName: 'LPOP', label: 'LPOP', group: 'types', key: 'mylist', fill: 'list', after: { command: ['EXISTS', 'mylist'], equals: 0 } },
  rpop: { csvName: 'RPOP', label: 'RPOP', group: 'types', key: 'mylist', fill: 'list', after: { command: ['EXISTS', 'mylist'], equals: 0 } },
  lrange_100: lrange(100),
  lrange_300: lrange(300),
  lrange_500: lrange(500),
  lrange_600: lrange(600),
  sadd: { csvName: 'SADD', label: 'SADD', group: 'types', key: 'myset' },
  spop: { csvName: 'SPOP', label: 'SPOP', group: 'types', key: 'myset', fill: 'set', after: { command: ['EXISTS', 'myset'], equals: 0 } },
  hset: { csvName: 'HSET', label: 'HSET', group: 'types', key: 'myhash' },
  zadd: { csvName: 'ZADD', label: 'ZADD', group: 'types', key: 'myzset' },
  zpopmin: { csvName: 'ZPOPMIN', label: 'ZPOPMIN', group: 'types', key: 'myzset', fill: 'zset', after: { command: ['EXISTS', 'myzset'], equals: 0 } },
};

function lrange(count) {
  return {
    csvName: `LRANGE_${count} (first ${count} elements)`,
    label: `LRANGE_${count}`,
    group: 'types',
    key: 'mylist',
    prelude: 'LPUSH (needed to benchmark LRANGE)',
    after: { command: ['LLEN', 'mylist'], atLeast: count },
  };
}

/** Shorthands accepted in a test list: the default string tests, the data type tests, both. */
export const TEST_GROUPS = {
  strings: ['set', 'get', 'incr', 'mset', 'ping_mbulk'],
  types: ['lpush', 'rpop', 'lrange_100', 'lrange_300', 'lrange_600', 'sadd', 'spop', 'hset', 'zadd', 'zpopmin'],
};
TEST_GROUPS.all = [...TEST_GROUPS.strings, ...TEST_GROUPS.types];

/**
 * Expand a comma-separated test list (names and group shorthands) into unique test names, in
 * order. Unknown names are returned in `unknown`.
 * @param {string} list
 * @returns {{ tests: string[], unknown: string[] }}
 */
export function expandTests(list) {
  const tests = [];
  const unknown = [];
  for (const raw of list.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    const names = TEST_GROUPS[name] ?? (BENCHMARK_TESTS[name] ? [name] : null);
    if (!names) unknown.push(name);
    else for (const n of names) if (!tests.includes(n)) tests.push(n);
  }
  return { tests, unknown };
}

/**
 * Parse `redis-benchmark --csv` output.
 * @param {string} text
 * @returns {Record<string, Record<string, number>>} test name → { rps, avg_latency_ms, p50_latency_ms, … }
 */
export function parseBenchmarkCsv(text) {
  const rows = {};
  let header = null;
  for (const line of text.split('\n')) {
    const cells = parseCsvLine(line.trim());
    if (cells.length < 2) continue;
    if (cells[0] === 'test') {
      header = cells;
      continue;
    }
    if (!header) continue;
    const row = {};
    for (let i = 1; i < header.length && i < cells.length; i++) row[header[i]] = Number(cells[i]);
    rows[cells[0]] = row;
  }
  return rows;
}

/** redis-benchmark quotes every cell: "a","b,c","d" → ['a', 'b,c', 'd']. */
function parseCsvLine(line) {
  return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replaceAll('""', '"'));
}

/**
 * The redis-benchmark argv for one run.
 * @param {{ port: number, tests: string[], requests: number, clients: number, pipeline: number,
 *   keyspace?: number, dataSize?: number }} opts
 */
export function benchmarkArgs({ port, tests, requests, clients, pipeline, keyspace, dataSize }) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-n', String(requests), '-P', String(pipeline)];
  if (keyspace) args.push('-r', String(keyspace));
  if (dataSize) args.push('-d', String(dataSize));
  args.push('-t', tests.join(','), '--csv');
  return args;
}

/**
 * Run redis-benchmark once, bounded in time.
 * @returns {Promise<{ argv: string[], seconds: number, results: Record<string, Record<string, number>>, error?: string }>}
 *   `error` is set when it failed, timed out or printed no numbers (e.g. "Error from server: …").
 */
export function runRedisBenchmark(opts, { timeoutMs = 120_000 } = {}) {
  const args = benchmarkArgs(opts);
  const argv = ['redis-benchmark', ...args];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = trackChild(spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    let finished = false;
    const finish = (code, signal, spawnError) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const results = parseBenchmarkCsv(out);
      const messages = `${err}\n${out}`
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('"'));
      let error;
      if (spawnError) error = `redis-benchmark: ${spawnError.message}`;
      else if (timedOut) error = `timed out after ${Math.round(timeoutMs / 1000)} s`;
      else if (signal) error = `killed by ${signal}`;
      else if (code !== 0) error = messages.join(' | ').slice(0, 300) || `exit code ${code}`;
      else if (Object.keys(results).length === 0) error = messages.join(' | ').slice(0, 300) || 'no CSV rows';
      resolve({ argv, seconds, results, error });
    };
    child.once('error', (e) => finish(null, null, e));
    child.once('exit', (code, signal) => finish(code, signal));
  });
}
