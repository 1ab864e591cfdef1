#!/usr/bin/env node
// MULTI/EXEC throughput (issue #5): transactions per second, wasmdis (--threads 1 and 2) side by
// side with redis-server 7.0, in one table with the ratio.
//
// redis-benchmark cannot send a transaction (its custom command is one command per request), so
// the load comes from this file: `--load-threads` worker threads, each with its share of the
// connections, every connection writing `P` transactions per round trip —
//   MULTI · SET tx:<conn> <n> · INCR tx:counter · EXEC   (four commands, four replies each)
// — and counting replies with a small scanner (no decoding), for `--seconds` per measurement.
// After each run the counter must equal the transactions completed (nothing lost, nothing
// doubled). Writes bench/results/tx.{md,json}.

import net from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { readOptions, usageError } from '../lib/options.mjs';
import { startServer, serverCommands, requireWasmdisBuild } from '../lib/server-process.mjs';
import { RespConnection } from '../lib/resp-connection.mjs';
import { formatTable, formatInt, formatRatio } from '../lib/table.mjs';
import { writeResults, describeEnvironment, environmentMarkdown, shellQuote } from '../lib/results.mjs';

// ─── load worker ─────────────────────────────────────────────────────────────────────────────

/** Bytes of one complete reply at `at` in buf (simple types and arrays of them), or -1. */
function replyEnd(buf, at) {
  if (at >= buf.length) return -1;
  const eol = buf.indexOf(13, at);
  if (eol < 0 || eol + 1 >= buf.length) return -1;
  const t = buf[at];
  if (t === 0x2b || t === 0x2d || t === 0x3a || t === 0x5f) return eol + 2; // + - : _
  const n = Number(buf.toString('latin1', at + 1, eol));
  if (t === 0x24) return n < 0 ? eol + 2 : eol + 2 + n + 2 <= buf.length ? eol + 2 + n + 2 : -1;
  if (t === 0x2a) {
    let p = eol + 2;
    for (let i = 0; i < n; i++) {
      p = replyEnd(buf, p);
      if (p < 0) return -1;
    }
    return p;
  }
  throw new Error(`unexpected reply type ${String.fromCharCode(t)}`);
}

async function loadWorker({ port, connections, pipeline, seconds, first }) {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const one = (c) => new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.setNoDelay(true);
    const key = `tx:${first + c}`;
    const batch = Buffer.from(Array.from({ length: pipeline }, (_, i) =>
      `*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${String(i).length}\r\n${i}\r\n` +
      '*2\r\n$4\r\nINCR\r\n$10\r\ntx:counter\r\n*1\r\n$4\r\nEXEC\r\n').join(''), 'latin1');
    const want = pipeline * 4;
    let pending = Buffer.alloc(0);
    let got = 0;
    const send = () => {
      if (Date.now() >= deadline) { sock.end(); resolve(); return; }
      got = 0;
      sock.write(batch);
    };
    sock.on('connect', send);
    sock.on('error', reject);
    sock.on('data', (d) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      let at = 0;
      for (;;) {
        const end = replyEnd(pending, at);
        if (end < 0) break;
        if (pending[at] === 0x2d) errors++;
        at = end;
        if (++got % 4 === 0) done++;
      }
      pending = pending.subarray(at);
      if (got === want) send();
    });
  });
  await Promise.all(Array.from({ length: connections }, (_, c) => one(c)));
  return { done, errors };
}

if (!isMainThread) {
  loadWorker(workerData).then((r) => parentPort.postMessage(r), (e) => { throw e; });
}

// ─── runner ──────────────────────────────────────────────────────────────────────────────────

async function measure(port, { pipeline, clients }, seconds, loadThreads) {
  const per = Math.ceil(clients / loadThreads);
  const started = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: loadThreads }, (_, t) => new Promise((resolve, reject) => {
    const connections = Math.min(per, clients - t * per);
    if (connections <= 0) { resolve({ done: 0, errors: 0 }); return; }
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { port, connections, pipeline, seconds, first: t * per } });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const done = results.reduce((s, r) => s + r.done, 0);
  const errors = results.reduce((s, r) => s + r.errors, 0);
  return { txPerSec: done / elapsed, done, errors };
}

async function main() {
  const options = readOptions({
    seconds: { type: 'string', env: 'BENCH_TX_SECONDS', default: '3', help: 'seconds per measurement' },
    configs: { type: 'string', env: 'BENCH_TX_CONFIGS', default: 'P1c50,P16c50', help: 'transactions per write × connections, P<n>c<n>' },
    threads: { type: 'string', env: 'BENCH_THREADS', default: '1,2', help: 'wasmdis --threads values, one column each' },
    'load-threads': { type: 'string', env: 'BENCH_TX_LOAD_THREADS', default: '2', help: 'worker threads generating the load' },
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'one short configuration (CI smoke)' },
  }, { usage: 'node bench/tx/run.mjs [options]: MULTI/EXEC throughput, wasmdis vs redis-server' });
  const seconds = options.quick ? 1 : Number(options.seconds);
  if (!(seconds > 0)) usageError(`--seconds must be positive, got ${options.seconds}`);
  const loadThreads = Number(options['load-threads']);
  const configs = (options.quick ? 'P16c50' : options.configs).split(',').map((s) => {
    const m = /^P(\d+)c(\d+)$/.exec(s.trim());
    if (!m) usageError(`--configs: expected P<n>c<n>, got ${s}`);
    return { label: s.trim(), pipeline: Number(m[1]), clients: Number(m[2]) };
  });
  const threadCounts = options.threads.split(',').map(Number);
  requireWasmdisBuild();
  const templates = serverCommands();
  const columns = [{ key: 'redis', name: 'redis-server', template: templates.redis }];
  for (const n of threadCounts) columns.push({ key: `wasmdis-t${n}`, name: `wasmdis --threads ${n}`, template: `${templates.wasmdis} --threads ${n}` });

  const data = { seconds, loadThreads, configs: configs.map((c) => c.label), results: {} };
  for (const col of columns) {
    const server = await startServer({ name: col.key, template: col.template });
    try {
      data.results[col.key] = { argv: shellQuote(server.argv) };
      for (const cfg of configs) {
        const conn = await RespConnection.connect(server.port);
        await conn.command('DEL', 'tx:counter');
        const r = await measure(server.port, cfg, seconds, loadThreads);
        const counter = Number(await conn.command('GET', 'tx:counter'));
        conn.close();
        if (r.errors) throw new Error(`${col.name} ${cfg.label}: ${r.errors} error replies`);
        if (counter !== r.done) throw new Error(`${col.name} ${cfg.label}: counter ${counter} after ${r.done} transactions`);
        data.results[col.key][cfg.label] = Math.round(r.txPerSec);
        console.log(`${col.name.padEnd(22)} ${cfg.label.padEnd(8)} ${formatInt(r.txPerSec)} tx/s (${formatInt(r.txPerSec * 4)} commands/s)`);
      }
    } finally {
      await server.stop();
    }
  }

  const headers = ['config', 'redis-server tx/s'];
  for (const col of columns.slice(1)) headers.push(`${col.name} tx/s`, 'ratio');
  const rows = configs.map((cfg) => {
    const base = data.results.redis[cfg.label];
    const row = [cfg.label, formatInt(base)];
    for (const col of columns.slice(1)) {
      const v = data.results[col.key][cfg.label];
      row.push(formatInt(v), formatRatio(v / base));
    }
    return row;
  });
  const table = formatTable(headers, rows);
  console.log(`\nMULTI · SET · INCR · EXEC per transaction; ${loadThreads} load threads; ${seconds} s each\n\n${table}\n`);
  const env = await describeEnvironment();
  const markdown = [
    '# MULTI/EXEC throughput', '',
    `Transactions per second (each MULTI · SET · INCR · EXEC), P = transactions per write, c = connections; load from ${loadThreads} Node worker threads (\`bench/tx/run.mjs\`), ${seconds} s per cell.`, '',
    table, '', environmentMarkdown(env), '',
  ].join('\n');
  const written = writeResults('tx', { data, markdown, quick: options.quick });
  console.log(`wrote ${written.markdown}`);
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err.stack ?? err);
    process.exit(1);
  });
}
