#!/usr/bin/env node
// Memory per key and per element: wasmdis side by side with redis-server, for every data type.
//
// One scenario is one kind of data (issue #4 item 9):
//   small  N keys of one type, each small enough for the compact encodings (strings; lists,
//          hashes, sets of integers, sets of strings and sorted sets of 5 elements) — bytes per key
//   large  one key of one type holding M elements (list, hash, set, sorted set) — bytes per element
// For each scenario each server is started fresh (one at a time, so they never compete for the
// cores), loaded through a raw, deeply pipelined socket, and measured before and after: INFO
// memory `used_memory`, the VmRSS of the server's process tree (/proc/PID/status) and DBSIZE;
// then the data is checked (DBSIZE, the length or value of the last key) and the server stopped.
// Per unit = (after − before) / N keys or M elements.
//
// Output: a table per scenario with both servers and the wasmdis/redis ratios, written to
// bench/results/memory.{md,json}.

import { encodeRange, loadPipelined } from '../lib/load.mjs';
import { positiveInt, readOptions, usageError } from '../lib/options.mjs';
import { RespConnection, RespErrorReply, withTimeout } from '../lib/resp-connection.mjs';
import { describeEnvironment, environmentMarkdown, shellQuote, writeResults } from '../lib/results.mjs';
import { processTreeRss, requirePrograms, requireWasmdisBuild, serverCommands, startServer } from '../lib/server-process.mjs';
import { formatBytes, formatInt, formatRatio, formatTable, ratioBar } from '../lib/table.mjs';

// ---------------------------------------------------------------------------------------------
// The data. Every name and value has a fixed length, and values are distinct, so nothing can
// be shared between keys and the byte counts are exact.

const KEY_DIGITS = 7; // key:0000000 … key:9999999, 11 bytes
const VALUE_DIGITS = 6; // val:000000 … val:999999, 10 bytes
const ELEMENT_DIGITS = 8; // m:00000000 …, 10 bytes
const SMALL = 5; // elements per small collection
const PER_COMMAND = 1000; // elements per command when loading one large key

const keyName = (i) => `key:${String(i).padStart(KEY_DIGITS, '0')}`;
const valueOf = (i) => `val:${String(i % 10 ** VALUE_DIGITS).padStart(VALUE_DIGITS, '0')}`;
/** A 10-byte string with prefix `p` (one character) and 8 digits of `n`. */
const tenBytes = (p, n) => `${p}:${String(n % 10 ** ELEMENT_DIGITS).padStart(ELEMENT_DIGITS, '0')}`;
const FIELDS = Array.from({ length: SMALL }, (_, j) => `field:${String(j + 1).padStart(4, '0')}`); // field:0001 …, 10 bytes

/**
 * Small collections: command i creates key i with SMALL elements; element j of key i gets the
 * arguments `elementArgs(i × SMALL + j, j)` (one or two strings).
 */
function smallCommand(cmd, elementArgs) {
  return (i) => {
    const args = [cmd, keyName(i)];
    for (let j = 0; j < SMALL; j++) {
      const a = elementArgs(i * SMALL + j, j);
      if (typeof a === 'string') args.push(a);
      else args.push(a[0], a[1]);
    }
    return args;
  };
}

/**
 * @typedef {{ id: string, kind: 'small' | 'large', type: string, label: string, data: string,
 *   command: (i: number, count: number) => string[], check: (count: number) => { command: string[], expect: unknown },
 *   key?: string }} Scenario
 */

/** @type {Scenario[]} */
const SCENARIOS = [
  {
    id: 'strings',
    kind: 'small',
    type: 'string',
    label: 'strings',
    data: '`SET key:0000000 val:000000` …: 11-byte keys, distinct 10-byte values',
    command: (i) => ['SET', keyName(i), valueOf(i)],
    check: (n) => ({ command: ['GET', keyName(n - 1)], expect: valueOf(n - 1) }),
  },
  {
    id: 'lists',
    kind: 'small',
    type: 'list',
    label: 'small lists (5 elements)',
    data: '`RPUSH key:0000000 m:00000000 … m:00000004` …: 5 distinct 10-byte elements per key',
    command: smallCommand('RPUSH', (n) => tenBytes('m', n)),
    check: (n) => ({ command: ['LLEN', keyName(n - 1)], expect: SMALL }),
  },
  {
    id: 'hashes',
    kind: 'small',
    type: 'hash',
    label: 'small hashes (5 fields)',
    data: '`HSET key:0000000 field:0001 v:00000000 … field:0005 v:00000004` …: 5 field/value pairs per key, 10 bytes each, values distinct',
    command: smallCommand('HSET', (n, j) => [FIELDS[j], tenBytes('v', n)]),
    check: (n) => ({ command: ['HLEN', keyName(n - 1)], expect: SMALL }),
  },
  {
    id: 'intsets',
    kind: 'small',
    type: 'set',
    label: 'small sets of integers (5)',
    data: '`SADD key:0000000 0 1 2 3 4`, `SADD key:0000001 5 … 9` …: 5 distinct integers per key (up to 5·N, so 32-bit beyond the first 6,554 keys)',
    command: smallCommand('SADD', (n) => String(n)),
    check: (n) => ({ command: ['SCARD', keyName(n - 1)], expect: SMALL }),
  },
  {
    id: 'sets',
    kind: 'small',
    type: 'set',
    label: 'small sets of strings (5)',
    data: '`SADD key:0000000 m:00000000 … m:00000004` …: 5 distinct 10-byte members per key',
    command: smallCommand('SADD', (n) => tenBytes('m', n)),
    check: (n) => ({ command: ['SCARD', keyName(n - 1)], expect: SMALL }),
  },
  {
    id: 'zsets',
    kind: 'small',
    type: 'zset',
    label: 'small sorted sets (5)',
    data: '`ZADD key:0000000 0 m:00000000 … 4 m:00000004` …: 5 distinct 10-byte members per key, distinct integer scores',
    command: smallCommand('ZADD', (n) => [String(n), tenBytes('m', n)]),
    check: (n) => ({ command: ['ZCARD', keyName(n - 1)], expect: SMALL }),
  },
  largeScenario('list', 'RPUSH', 'LLEN', (i) => tenBytes('m', i), 'elements `m:00000000` …, 10 bytes, distinct'),
  largeScenario('hash', 'HSET', 'HLEN', (i) => [tenBytes('f', i), tenBytes('v', i)], 'fields `f:00000000` … with values `v:00000000` …, 10 bytes each'),
  largeScenario('set', 'SADD', 'SCARD', (i) => tenBytes('m', i), 'members `m:00000000` …, 10 bytes'),
  largeScenario('zset', 'ZADD', 'ZCARD', (i) => [String(i), tenBytes('m', i)], 'members `m:00000000` …, 10 bytes, integer scores 0, 1, 2 …'),
];

/** One key `big:<type>` with `count` elements, loaded PER_COMMAND elements per command. */
function largeScenario(type, cmd, lengthCmd, elementArgs, what) {
  const key = `big:${type}`;
  return {
    id: `large-${type}`,
    kind: 'large',
    type,
    key,
    label: `one large ${type === 'zset' ? 'sorted set' : type}`,
    data: `\`${cmd} ${key}\` with ${formatInt(PER_COMMAND)} elements per command: ${what}`,
    command: (c, count) => {
      const args = [cmd, key];
      for (let i = c * PER_COMMAND, end = Math.min(count, (c + 1) * PER_COMMAND); i < end; i++) {
        const a = elementArgs(i);
        if (typeof a === 'string') args.push(a);
        else args.push(a[0], a[1]);
      }
      return args;
    },
    check: (n) => ({ command: [lengthCmd, key], expect: n }),
  };
}

// ---------------------------------------------------------------------------------------------

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: '100,000 keys and elements instead of 1,000,000; writes memory-quick.*' },
    keys: { type: 'string', env: 'BENCH_KEYS', help: 'keys per small scenario (default 1000000, quick 100000)' },
    elements: { type: 'string', env: 'BENCH_ELEMENTS', help: 'elements of the one key of a large scenario (default 1000000, quick 100000)' },
    scenarios: {
      type: 'string',
      env: 'BENCH_SCENARIOS',
      default: 'all',
      help: `comma-separated subset of: ${SCENARIOS.map((s) => s.id).join(', ')}; or small, large, all`,
    },
    batch: { type: 'string', env: 'BENCH_BATCH', default: '10000', help: 'keys (small) or elements (large) per write' },
    window: { type: 'string', env: 'BENCH_WINDOW', default: '8', help: 'writes in flight at once' },
    stall: { type: 'string', env: 'BENCH_STALL_SECONDS', default: '20', help: 'give up when the server sends no reply for this long' },
    'no-write': { type: 'boolean', env: 'BENCH_NO_WRITE', default: false, help: 'print only, do not write bench/results/' },
  },
  { usage: 'Usage: node bench/memory/run.mjs [options]' },
);

const quick = options.quick;
const keyCount = positiveInt('keys', options.keys) ?? (quick ? 100_000 : 1_000_000);
const elementCount = positiveInt('elements', options.elements) ?? (quick ? 100_000 : 1_000_000);
const batchSize = positiveInt('batch', options.batch);
const window = positiveInt('window', options.window);
const stallSeconds = positiveInt('stall', options.stall);
if (keyCount > 10_000_000) usageError('--keys is limited to 10,000,000 (key names have 7 digits)');
if (keyCount * SMALL > 10 ** ELEMENT_DIGITS || elementCount > 10 ** ELEMENT_DIGITS) usageError('--keys × 5 and --elements are limited to 100,000,000 (element names have 8 digits)');

const scenarios = [];
for (const raw of options.scenarios.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
  const picked = raw === 'all' ? SCENARIOS : raw === 'small' || raw === 'large' ? SCENARIOS.filter((s) => s.kind === raw) : SCENARIOS.filter((s) => s.id === raw);
  if (picked.length === 0) usageError(`unknown scenario ${raw}; known: ${SCENARIOS.map((s) => s.id).join(', ')}, small, large, all`);
  for (const s of picked) if (!scenarios.includes(s)) scenarios.push(s);
}
if (scenarios.length === 0) usageError('--scenarios: give at least one');

const log = (line) => process.stderr.write(`${line}\n`);

/** Keys (small) or elements (large) in a scenario, the unit bytes are counted per. */
const unitCount = (s) => (s.kind === 'small' ? keyCount : elementCount);
const unitName = (s) => (s.kind === 'small' ? 'key' : 'element');

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

/** The commands of a scenario and how they are written: `perWrite` commands per Buffer. */
function encodeScenario(scenario) {
  const units = unitCount(scenario);
  const commands = scenario.kind === 'small' ? units : Math.ceil(units / PER_COMMAND);
  const perWrite = scenario.kind === 'small' ? batchSize : Math.max(1, Math.round(batchSize / PER_COMMAND));
  const writes = [];
  for (let from = 0; from < commands; from += perWrite) {
    writes.push(encodeRange((i) => scenario.command(i, units), from, Math.min(from + perWrite, commands)));
  }
  return { commands, perWrite, writes };
}

/**
 * Start `name` fresh, load the scenario (`encoded`: the writes, encoded before any server
 * starts, so both servers get the same bytes and the load rate does not include encoding),
 * measure, check, stop.
 */
async function measure(scenario, name, template, encoded) {
  const server = await startServer({ name, template });
  let conn;
  try {
    conn = await RespConnection.connect(server.port);
    await new Promise((r) => setTimeout(r, 200)); // let startup allocations settle
    const before = await snapshot(conn, server);
    const units = unitCount(scenario);
    const { commands, perWrite, writes } = encoded;
    const loadSeconds = await loadPipelined(conn, {
      total: commands,
      batch: perWrite,
      window,
      stallSeconds,
      name,
      what: `${scenario.command(0, units)[0]} commands`,
      encodeBatch: (from) => writes[from / perWrite],
    });
    // Give the server a moment for background work (incremental rehashing, allocator purges).
    await new Promise((r) => setTimeout(r, 500));
    const after = await snapshot(conn, server);
    const expectedKeys = scenario.kind === 'small' ? units : 1;
    if (after.dbsize !== expectedKeys) throw new Error(`${name}: DBSIZE ${after.dbsize} after loading, expected ${expectedKeys}`);
    const { command, expect } = scenario.check(units);
    const got = await withTimeout(conn.command(...command), 10_000, command[0]);
    if (got instanceof RespErrorReply || got !== expect) {
      throw new Error(`${name}: ${command.join(' ')} returned ${JSON.stringify(got instanceof RespErrorReply ? got.message : got)}, expected ${JSON.stringify(expect)}`);
    }
    const sample = scenario.kind === 'small' ? keyName(units - 1) : scenario.key;
    const encoding = await withTimeout(conn.command('OBJECT', 'ENCODING', sample), 10_000, 'OBJECT ENCODING');
    const per = (a, b) => (a !== null && b !== null ? (b - a) / units : null);
    const result = {
      name,
      argv: server.argv,
      before,
      after,
      encoding: typeof encoding === 'string' ? encoding : null,
      loadSeconds,
      unitsPerSecond: units / loadSeconds,
      usedMemoryPerUnit: per(before.usedMemory, after.usedMemory),
      rssPerUnit: per(before.rss, after.rss),
    };
    log(
      `  ${name.padEnd(8)} ${formatInt(units)} ${unitName(scenario)}s in ${loadSeconds.toFixed(2)} s (${result.encoding ?? '?'}); ` +
        `used_memory ${formatBytes(after.usedMemory)} (${result.usedMemoryPerUnit?.toFixed(1) ?? '—'} B/${unitName(scenario)}); ` +
        `RSS ${formatBytes(after.rss)} (${result.rssPerUnit?.toFixed(1) ?? '—'} B/${unitName(scenario)})`,
    );
    return result;
  } finally {
    conn?.close();
    await server.stop();
  }
}

const ratioOf = (redis, wasmdis) => (Number.isFinite(redis) && Number.isFinite(wasmdis) && redis > 0 ? wasmdis / redis : null);
const bytes = (n) => (Number.isFinite(n) ? `${n.toFixed(1)} B` : '—');

function report({ results, env, templates, elapsed }) {
  const errorCell = (s, v) => (s.error ? 'error' : v);
  const mainTable = formatTable(
    ['data', 'n', 'per', 'encoding redis / wasmdis', 'used redis', 'used wasmdis', 'used w/r', '', 'RSS redis', 'RSS wasmdis', 'RSS w/r'],
    results.map(({ scenario: s, redis, wasmdis, ratios }) => [
      s.label,
      formatInt(unitCount(s)),
      unitName(s),
      `${redis.encoding ?? '—'} / ${wasmdis.encoding ?? '—'}`,
      errorCell(redis, bytes(redis.usedMemoryPerUnit)),
      errorCell(wasmdis, bytes(wasmdis.usedMemoryPerUnit)),
      formatRatio(ratios.usedMemory),
      ratioBar(ratios.usedMemory),
      errorCell(redis, bytes(redis.rssPerUnit)),
      errorCell(wasmdis, bytes(wasmdis.rssPerUnit)),
      formatRatio(ratios.rss),
    ]),
    { align: ['left', 'right', 'left', 'left', 'right', 'right', 'right', 'left', 'right', 'right', 'right'] },
  );
  const detailRows = [];
  for (const { scenario: s, redis, wasmdis, ratios } of results) {
    for (const r of [redis, wasmdis]) {
      detailRows.push([
        s.label,
        r.name,
        formatBytes(r.before.usedMemory),
        formatBytes(r.after.usedMemory),
        formatBytes(r.before.rss),
        formatBytes(r.after.rss),
        r.loadSeconds === undefined ? '—' : `${r.loadSeconds.toFixed(2)} s`,
        r.unitsPerSecond ? formatInt(r.unitsPerSecond) : '—',
        r === wasmdis ? formatRatio(ratios.loadRate) : '',
      ]);
    }
  }
  const detailTable = formatTable(
    ['data', 'server', 'used before', 'used after', 'RSS before', 'RSS after', 'load', `${'keys or elements'}/s`, 'rate w/r'],
    detailRows,
    { align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
  const notes = [];
  for (const { scenario: s, redis, wasmdis } of results) {
    for (const r of [redis, wasmdis]) {
      if (r.error) notes.push(`- ${s.label}: ${r.name} failed: ${r.error}`);
      else if (!Number.isFinite(r.after.usedMemory)) notes.push(`- ${s.label}: ${r.name} reported no \`used_memory\` in INFO memory: compare RSS only.`);
    }
  }
  process.stdout.write(`\n${mainTable}\n\n${detailTable}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`);
  process.stdout.write(`\n(${results.length} scenarios, ${elapsed.toFixed(0)} s; for memory a ratio below 1 means wasmdis uses less)\n`);
  if (options['no-write']) return;

  const markdown = [
    `# Memory per key and per element: wasmdis vs redis-server${quick ? ' (quick run — not a baseline)' : ''}`,
    ...(process.env.BENCH_WASMDIS_CMD ? ['', `> The wasmdis slot ran a custom command (BENCH_WASMDIS_CMD): \`${templates.wasmdis}\`.`] : []),
    '',
    'Generated by `node bench/memory/run.mjs' + (process.argv.length > 2 ? ` ${shellQuote(process.argv.slice(2))}` : '') + '`; see bench/README.md.',
    '',
    environmentMarkdown(env, {
      redis: `\`${templates.redis}\``,
      wasmdis: `\`${templates.wasmdis}\``,
      loading: `one connection per server, ${formatInt(batchSize)} keys (small) or elements (large) per write, ${window} writes in flight; each server started fresh for each scenario, one server at a time`,
      'total time': `${elapsed.toFixed(0)} s`,
    }),
    '',
    'Data (key names `key:0000000` …, 11 bytes):',
    '',
    ...results.map(({ scenario: s }) => `- ${s.label}: ${formatInt(unitCount(s))} ${s.kind === 'small' ? 'keys' : 'elements in one key'}; ${s.data}`),
    '',
    'Per key (small) or per element (large) = (after − before) / count, from `used_memory` (what the server says its data takes; Redis: the allocator\'s count) and the server process tree\'s VmRSS (what the OS sees; for wasmdis that includes Node and a WebAssembly memory grown in steps). `w/r` = wasmdis / redis: below 1 means wasmdis uses less. Encoding: `OBJECT ENCODING` of the last key loaded.',
    '',
    mainTable,
    '',
    'Before and after loading, and the load rate (one pipelined connection; bounded by the Node loader on the other core as much as by the server; `rate w/r` above 1 means wasmdis loaded faster):',
    '',
    detailTable,
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n');
  const data = {
    benchmark: 'memory',
    quick,
    environment: env,
    servers: templates,
    settings: { keys: keyCount, elements: elementCount, smallSize: SMALL, elementsPerCommand: PER_COMMAND, batch: batchSize, window, scenarios: scenarios.map((s) => s.id) },
    elapsedSeconds: elapsed,
    scenarios: results.map(({ scenario: s, redis, wasmdis, ratios }) => ({
      id: s.id,
      kind: s.kind,
      type: s.type,
      label: s.label,
      data: s.data,
      count: unitCount(s),
      per: unitName(s),
      redis,
      wasmdis,
      ratios,
    })),
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
  // A failure on one server or scenario still reports the rest; the run then exits with status 1.
  const attempt = (scenario, name, encoded) =>
    measure(scenario, name, templates[name], encoded).catch((err) => {
      if (err?.constructor !== Error) throw err;
      log(`  ${name}: ${err.message}`);
      return { name, error: err.message.split('\n')[0], before: {}, after: {}, encoding: null, usedMemoryPerUnit: null, rssPerUnit: null, unitsPerSecond: null };
    });
  const results = [];
  for (const scenario of scenarios) {
    log(`${scenario.label}: ${formatInt(unitCount(scenario))} ${scenario.kind === 'small' ? 'keys' : 'elements in one key'}`);
    const encoded = encodeScenario(scenario);
    const redis = await attempt(scenario, 'redis', encoded);
    const wasmdis = await attempt(scenario, 'wasmdis', encoded);
    results.push({
      scenario,
      redis,
      wasmdis,
      ratios: {
        usedMemory: ratioOf(redis.usedMemoryPerUnit, wasmdis.usedMemoryPerUnit),
        rss: ratioOf(redis.rssPerUnit, wasmdis.rssPerUnit),
        loadRate: ratioOf(redis.unitsPerSecond, wasmdis.unitsPerSecond),
      },
    });
  }
  report({ results, env, templates, elapsed: (Date.now() - started) / 1000 });
  return results.some((r) => r.redis.error || r.wasmdis.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Plain Errors are ours and say what to do; anything else is a bug worth a stack.
    process.stderr.write(`${err?.constructor === Error ? `error: ${err.message}` : (err?.stack ?? err)}\n`);
    process.exit(1);
  },
);
