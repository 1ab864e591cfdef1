#!/usr/bin/env node
// Memory per key: wasmdis side by side with redis-server.
//
// Each server is started fresh (one at a time, so they do not compete for the cores), loaded
// with N string keys `key:0000000` … (10-byte values `val:000000` …, all distinct so nothing
// can be shared) through a raw, deeply pipelined socket, and measured before and after:
// INFO memory `used_memory`, the VmRSS of the server's process tree (/proc/PID/status) and
// DBSIZE. Bytes per key = (after − before) / N.
//
// Output: a table with both servers and the wasmdis/redis ratio, written to
// bench/results/memory.{md,json}.

import { positiveInt, readOptions, usageError } from '../lib/options.mjs';
import { RespConnection, RespErrorReply, withTimeout } from '../lib/resp-connection.mjs';
import { describeEnvironment, environmentMarkdown, shellQuote, writeResults } from '../lib/results.mjs';
import { processTreeRss, requirePrograms, requireWasmdisBuild, serverCommands, startServer } from '../lib/server-process.mjs';
import { formatBytes, formatInt, formatRatio, formatTable, ratioBar } from '../lib/table.mjs';

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: '100,000 keys instead of 1,000,000; writes memory-quick.*' },
    keys: { type: 'string', env: 'BENCH_KEYS', help: 'number of keys (default 1000000, quick 100000)' },
    batch: { type: 'string', env: 'BENCH_BATCH', default: '10000', help: 'SET commands per write' },
    window: { type: 'string', env: 'BENCH_WINDOW', default: '8', help: 'batches in flight at once' },
    stall: { type: 'string', env: 'BENCH_STALL_SECONDS', default: '20', help: 'give up when the server sends no reply for this long' },
    'no-write': { type: 'boolean', env: 'BENCH_NO_WRITE', default: false, help: 'print only, do not write bench/results/' },
  },
  { usage: 'Usage: node bench/memory/run.mjs [options]' },
);

const quick = options.quick;
const keyCount = positiveInt('keys', options.keys) ?? (quick ? 100_000 : 1_000_000);
const batchSize = positiveInt('batch', options.batch);
const window = positiveInt('window', options.window);
const stallSeconds = positiveInt('stall', options.stall);
if (keyCount > 10_000_000) usageError('--keys is limited to 10,000,000 (key names have 7 digits)');

const KEY_DIGITS = 7; // key:0000000 … key:9999999, 11 bytes
const VALUE_DIGITS = 6; // val:000000 … val:999999, 10 bytes
const keyName = (i) => `key:${String(i).padStart(KEY_DIGITS, '0')}`;
const valueOf = (i) => `val:${String(i % 10 ** VALUE_DIGITS).padStart(VALUE_DIGITS, '0')}`;

const log = (line) => process.stderr.write(`${line}\n`);

/** SET commands [from, to) as one RESP buffer. Keys and values have fixed lengths (11 and 10). */
function encodeSetBatch(from, to) {
  let out = '';
  for (let i = from; i < to; i++) out += `*3\r\n$3\r\nSET\r\n$11\r\n${keyName(i)}\r\n$10\r\n${valueOf(i)}\r\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Load keyCount keys with at most `window` batches in flight; returns seconds taken.
 * Fails (instead of hanging) when the server sends no reply for `stallSeconds`.
 */
async function loadKeys(conn, name) {
  const started = process.hrtime.bigint();
  const inFlight = [];
  let errors = 0;
  let firstError;
  const repliesBefore = conn.replyCount;
  const watchdog = setInterval(() => {
    if (conn.waiters.length && Date.now() - conn.lastReplyAt > stallSeconds * 1000) {
      conn.fail(new Error(`${name} stopped replying: ${formatInt(conn.replyCount - repliesBefore)} of ${formatInt(keyCount)} SET replies, none for ${stallSeconds} s`));
    }
  }, 250);
  const settle = async () => {
    const result = await inFlight.shift();
    errors += result.errors;
    firstError ??= result.firstError;
  };
  try {
    conn.lastReplyAt = Date.now();
    for (let from = 0; from < keyCount; from += batchSize) {
      const to = Math.min(from + batchSize, keyCount);
      const batch = conn.sendBatch(encodeSetBatch(from, to), to - from);
      batch.catch(() => {}); // awaited in order by settle(); this only marks it handled
      inFlight.push(batch);
      if (inFlight.length >= window) await settle();
    }
    while (inFlight.length) await settle();
  } finally {
    clearInterval(watchdog);
  }
  if (errors) throw new Error(`${name}: ${errors} SET commands failed, first: ${firstError}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** used_memory from INFO memory, or null when the reply has no such field. */
async function usedMemory(conn) {
  const info = await withTimeout(conn.command('INFO', 'memory'), 10_000, 'INFO memory');
  if (typeof info !== 'string') return null;
  const m = /^used_memory:(\d+)\r?$/m.exec(info);
  return m ? Number(m[1]) : null;
}

async function snapshot(conn, server) {
  const dbsize = await withTimeout(conn.command('DBSIZE'), 10_000, 'DBSIZE');
  return {
    usedMemory: await usedMemory(conn).catch(() => null),
    rss: processTreeRss(server.pid),
    dbsize: typeof dbsize === 'number' ? dbsize : null,
  };
}

async function measure(name, template) {
  log(`${name}: starting (${template})`);
  const server = await startServer({ name, template });
  let conn;
  try {
    conn = await RespConnection.connect(server.port);
    await new Promise((r) => setTimeout(r, 200)); // let startup allocations settle
    const before = await snapshot(conn, server);
    log(`${name}: loading ${formatInt(keyCount)} keys`);
    const loadSeconds = await loadKeys(conn, name);
    // Give the server a moment for background work (incremental rehashing, allocator purges).
    await new Promise((r) => setTimeout(r, 500));
    const after = await snapshot(conn, server);
    const last = await withTimeout(conn.command('GET', keyName(keyCount - 1)), 10_000, 'GET');
    if (last instanceof RespErrorReply || last !== valueOf(keyCount - 1)) {
      throw new Error(`${name}: GET ${keyName(keyCount - 1)} returned ${JSON.stringify(last)}, expected ${valueOf(keyCount - 1)}`);
    }
    const perKey = (a, b) => (a !== null && b !== null ? (b - a) / keyCount : null);
    const result = {
      name,
      argv: server.argv,
      before,
      after,
      loadSeconds,
      keysPerSecond: keyCount / loadSeconds,
      usedMemoryPerKey: perKey(before.usedMemory, after.usedMemory),
      rssPerKey: perKey(before.rss, after.rss),
    };
    log(
      `${name}: ${formatInt(after.dbsize)} keys in ${loadSeconds.toFixed(2)} s; used_memory ${formatBytes(after.usedMemory)} ` +
        `(${result.usedMemoryPerKey?.toFixed(1) ?? '—'} B/key); RSS ${formatBytes(after.rss)} (${result.rssPerKey?.toFixed(1) ?? '—'} B/key)`,
    );
    return result;
  } finally {
    conn?.close();
    await server.stop();
  }
}

function report({ redis, wasmdis, env, templates, elapsed }) {
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? b / a : null);
  const bytes = (n) => (Number.isFinite(n) ? `${n.toFixed(1)} B` : '—');
  const rows = [
    ['keys after load (DBSIZE)', formatInt(redis.after.dbsize), formatInt(wasmdis.after.dbsize), '', ''],
    ['used_memory before', formatBytes(redis.before.usedMemory), formatBytes(wasmdis.before.usedMemory), '', ''],
    ['used_memory after', formatBytes(redis.after.usedMemory), formatBytes(wasmdis.after.usedMemory), '', ''],
    ['used_memory per key', bytes(redis.usedMemoryPerKey), bytes(wasmdis.usedMemoryPerKey),
      formatRatio(ratio(redis.usedMemoryPerKey, wasmdis.usedMemoryPerKey)), ratioBar(ratio(redis.usedMemoryPerKey, wasmdis.usedMemoryPerKey))],
    ['RSS before', formatBytes(redis.before.rss), formatBytes(wasmdis.before.rss), '', ''],
    ['RSS after', formatBytes(redis.after.rss), formatBytes(wasmdis.after.rss), '', ''],
    ['RSS per key', bytes(redis.rssPerKey), bytes(wasmdis.rssPerKey), formatRatio(ratio(redis.rssPerKey, wasmdis.rssPerKey)), ratioBar(ratio(redis.rssPerKey, wasmdis.rssPerKey))],
    ['load rate (keys/s, one pipelined connection)', formatInt(redis.keysPerSecond), formatInt(wasmdis.keysPerSecond),
      formatRatio(ratio(redis.keysPerSecond, wasmdis.keysPerSecond)), ''],
  ];
  const table = formatTable(['', 'redis', 'wasmdis', 'wasmdis/redis', ''], rows, { align: ['left', 'right', 'right', 'right', 'left'] });
  const notes = [];
  for (const s of [redis, wasmdis]) {
    if (s.error) notes.push(`${s.name} failed: ${s.error}`);
    else if (!Number.isFinite(s.after.usedMemory)) notes.push(`${s.name} reported no \`used_memory\` in INFO memory: compare RSS only.`);
    if (Number.isFinite(s.after.dbsize) && s.after.dbsize !== keyCount) notes.push(`${s.name}: DBSIZE ${s.after.dbsize} ≠ ${keyCount} keys loaded.`);
  }
  process.stdout.write(`\n${table}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`);
  process.stdout.write(`\n(${formatInt(keyCount)} keys, ${elapsed.toFixed(0)} s; for memory a ratio below 1 means wasmdis uses less)\n`);
  if (options['no-write']) return;

  const markdown = [
    `# Memory per key: wasmdis vs redis-server${quick ? ' (quick run — not a baseline)' : ''}`,
    ...(process.env.BENCH_WASMDIS_CMD ? ['', `> The wasmdis slot ran a custom command (BENCH_WASMDIS_CMD): \`${templates.wasmdis}\`.`] : []),
    '',
    'Generated by `node bench/memory/run.mjs' + (process.argv.length > 2 ? ` ${shellQuote(process.argv.slice(2))}` : '') + '`; see bench/README.md.',
    '',
    environmentMarkdown(env, {
      redis: `\`${templates.redis}\``,
      wasmdis: `\`${templates.wasmdis}\``,
      data: `${formatInt(keyCount)} string keys \`${keyName(0)}\` … \`${keyName(keyCount - 1)}\` (11 bytes), distinct 10-byte values, SET over one connection, ${batchSize} commands per write, ${window} writes in flight`,
      'total time': `${elapsed.toFixed(0)} s`,
    }),
    '',
    'Per key = (after − before) / keys. RSS is the server process tree\'s VmRSS. For memory, `wasmdis/redis` below 1 means wasmdis uses less; for the load rate, above 1 means it is faster.',
    '',
    table,
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n');
  const data = {
    benchmark: 'memory',
    quick,
    environment: env,
    servers: templates,
    settings: { keys: keyCount, keyBytes: 4 + KEY_DIGITS, valueBytes: 4 + VALUE_DIGITS, batch: batchSize, window },
    elapsedSeconds: elapsed,
    redis,
    wasmdis,
    ratios: {
      usedMemoryPerKey: ratio(redis.usedMemoryPerKey, wasmdis.usedMemoryPerKey),
      rssPerKey: ratio(redis.rssPerKey, wasmdis.rssPerKey),
      loadRate: ratio(redis.keysPerSecond, wasmdis.keysPerSecond),
    },
  };
  const written = writeResults('memory', { data, markdown, quick });
  process.stdout.write(`wrote ${written.markdown} and ${written.json}\n`);
}

async function main() {
  await requirePrograms(['redis-server']);
  requireWasmdisBuild();
  const templates = serverCommands();
  const env = await describeEnvironment();
  const started = Date.now();
  // A failure on one server still reports the other; the run then exits with status 1.
  const attempt = (name) =>
    measure(name, templates[name]).catch((err) => {
      if (err?.constructor !== Error) throw err;
      log(`${name}: ${err.message}`);
      return { name, error: err.message.split('\n')[0], before: {}, after: {}, usedMemoryPerKey: null, rssPerKey: null, keysPerSecond: null };
    });
  const redis = await attempt('redis');
  const wasmdis = await attempt('wasmdis');
  report({ redis, wasmdis, env, templates, elapsed: (Date.now() - started) / 1000 });
  return redis.error || wasmdis.error ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Plain Errors are ours and say what to do; anything else is a bug worth a stack.
    process.stderr.write(`${err?.constructor === Error ? `error: ${err.message}` : (err?.stack ?? err)}\n`);
    process.exit(1);
  },
);
