#!/usr/bin/env node
// The framework's per-command cost without sockets: the read loop of one connection
// (src/framework/session.ts: fast path, Command, shims, handler, reply encoding) fed 1024
// pipelined SET or GET commands per batch, cut into 64 KiB reads as a socket delivers them, over
// a stand-in socket. The handler is examples/memory_kv's. Prints ns per command for SET and GET,
// best of --rounds, each test in a process of its own (so one cannot shape the JIT for the other).
// Needs `npm run build` (imports dist/).
//
//   node bench/framework/read-loop.mjs [--rounds 3] [--batches 2000] [--test set|get]

import { EventEmitter } from 'node:events';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readOptions, positiveInt } from '../lib/options.mjs';
import { requireWasmdisBuild } from '../lib/server-process.mjs';

requireWasmdisBuild();
const { connectionServer } = await import('../../dist/src/framework/session.js');
const { appendString, appendBulk, appendNull, appendError } = await import('../../dist/src/framework/index.js');

const options = readOptions({
  rounds: { type: 'string', env: 'BENCH_LOOP_ROUNDS', default: '3', help: 'rounds per test (best reported)' },
  batches: { type: 'string', env: 'BENCH_LOOP_BATCHES', default: '2000', help: 'batches of 1024 commands per round' },
  test: { type: 'string', help: 'set or get only (default: both, each in its own process)' },
}, { usage: 'node bench/framework/read-loop.mjs [--rounds N] [--batches N] [--test set|get]' });
const rounds = positiveInt('rounds', options.rounds);
const batches = positiveInt('batches', options.batches);

/** Enough of a net.Socket for the read loop: writes are counted and dropped. */
class StandInSocket extends EventEmitter {
  writableLength = 0; destroyed = false; written = 0; remoteAddress = '127.0.0.1'; remotePort = 1;
  setNoDelay() {} setKeepAlive() {} write(b) { this.written += b.length; return true; } end() {} destroy() {} pause() {} resume() {}
}

const items = new Map();
const handler = (conn, cmd) => {
  const out = conn.out;
  switch (cmd.name) {
    case 'set': items.set(cmd.str(1), cmd.copyArg(2)); appendString(out, 'OK'); break;
    case 'get': { const v = items.get(cmd.str(1)); if (v === undefined) appendNull(out); else appendBulk(out, v); break; }
    default: appendError(out, 'ERR unknown command');
  }
};

function measure(request) {
  const socket = new StandInSocket();
  connectionServer({ handler }, { shims: { ping: false, quit: false } }, new Set())(socket);
  const stream = Buffer.from(request.repeat(1024));
  const reads = [];
  for (let i = 0; i < stream.length; i += 65536) reads.push(stream.subarray(i, i + 65536));
  const feed = (n) => { for (let b = 0; b < n; b++) for (const r of reads) socket.emit('data', Buffer.from(r)); };
  feed(200); // warm-up
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    feed(batches);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / (batches * 1024));
  }
  return best;
}

const REQUESTS = {
  set: '*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$3\r\nxxx\r\n',
  get: '*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n',
};
if (options.test) {
  if (!(options.test in REQUESTS)) throw new Error(`--test must be set or get, got ${options.test}`);
  const ns = measure(REQUESTS[options.test]);
  console.log(`  ${options.test.toUpperCase()} ${ns.toFixed(0)} ns/command (${(1e3 / ns).toFixed(2)} M/s)`);
} else {
  console.log(`framework read loop, memory_kv handler, 1024-command batches in 64 KiB reads (best of ${rounds})`);
  for (const test of Object.keys(REQUESTS)) {
    process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--test', test, '--rounds', String(rounds), '--batches', String(batches)]));
  }
}
