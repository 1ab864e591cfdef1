// Running redis-benchmark and reading its --csv output.
//
// It owns: the redis-benchmark argv, a time bound per run, and parsing the CSV into numbers.
// It must not choose what to benchmark (bench/server/run.mjs does).

import { spawn } from 'node:child_process';
import { trackChild } from './server-process.mjs';

/**
 * redis-benchmark's `-t` names and the test names it prints in its CSV.
 * `-t ping_mbulk` runs PING as a multibulk request, the way clients send it.
 */
export const BENCHMARK_TESTS = {
  ping_mbulk: { csvName: 'PING_MBULK', label: 'PING' },
  ping_inline: { csvName: 'PING_INLINE', label: 'PING (inline)' },
  set: { csvName: 'SET', label: 'SET' },
  get: { csvName: 'GET', label: 'GET' },
  incr: { csvName: 'INCR', label: 'INCR' },
  mset: { csvName: 'MSET (10 keys)', label: 'MSET (10 keys)' },
  lpush: { csvName: 'LPUSH', label: 'LPUSH' },
  rpush: { csvName: 'RPUSH', label: 'RPUSH' },
  lpop: { csvName: 'LPOP', label: 'LPOP' },
  rpop: { csvName: 'RPOP', label: 'RPOP' },
  sadd: { csvName: 'SADD', label: 'SADD' },
  hset: { csvName: 'HSET', label: 'HSET' },
  spop: { csvName: 'SPOP', label: 'SPOP' },
  zadd: { csvName: 'ZADD', label: 'ZADD' },
  zpopmin: { csvName: 'ZPOPMIN', label: 'ZPOPMIN' },
};

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
