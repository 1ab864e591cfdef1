// Request streams for the parser benchmark: what clients really pipeline at a server.
//
// It owns: building each stream once (RESP arrays of bulk strings, as every client library and
// redis-benchmark send them), the list of commands it must parse back to, and the split into
// 16 KiB reads for the incremental variants. It must not know any parser.
//
// No inline commands: redis-parser (the peer) is a reply parser and cannot read them.
// Everything is deterministic (a seeded PRNG), so every run parses the same bytes.

/** Size of one read in the incremental ("fed in 16 KiB chunks") variants. */
export const CHUNK_SIZE = 16 * 1024;

const CRLF = Buffer.from('\r\n');

/** One command as RESP: `*<n>` then `$<len>` + bytes for every argument. */
export function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) parts.push(Buffer.from(`$${a.length}\r\n`), a, CRLF);
  return Buffer.concat(parts);
}

/** mulberry32: a small seeded PRNG, so the mixed stream is the same on every run. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b = (s) => Buffer.from(s, 'latin1');
const key = (i) => b(`key:${String(i % 1_000_000).padStart(6, '0')}`);
/** A value of `len` bytes whose content depends on `seed`, so a misplaced value is caught. */
const value = (len, seed) => Buffer.alloc(len, 0x61 + (seed % 26));

/** Append commands from `next(i)` until the stream reaches `bytes`. */
function build(bytes, next) {
  const commands = [];
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const args = next(i);
    const wire = encodeCommand(args);
    commands.push(args);
    parts.push(wire);
    size += wire.length;
  }
  return { commands, stream: Buffer.concat(parts, size) };
}

/** The stream cut into CHUNK_SIZE reads (views, no copies). */
function chunked(stream) {
  const chunks = [];
  for (let p = 0; p < stream.length; p += CHUNK_SIZE) chunks.push(stream.subarray(p, Math.min(p + CHUNK_SIZE, stream.length)));
  return chunks;
}

const MiB = 1024 * 1024;

function setGet() {
  // redis-benchmark -t set,get -P N: SET key:000123 xxx / GET key:000123
  const xxx = b('xxx');
  return build(2 * MiB, (i) => (i % 2 === 0 ? [b('SET'), key(i >> 1), xxx] : [b('GET'), key(i >> 1)]));
}

function setLarge(valueLen, bytes) {
  return build(bytes, (i) => [b('SET'), key(i), value(valueLen, i)]);
}

function msetPairs(pairs) {
  return build(2 * MiB, (i) => {
    const args = [b('MSET')];
    for (let p = 0; p < pairs; p++) args.push(key(i * pairs + p), b(`val:${String(p).padStart(6, '0')}`));
    return args;
  });
}

function delMany(keys) {
  return build(2 * MiB, (i) => {
    const args = [b('DEL')];
    for (let k = 0; k < keys; k++) args.push(key(i * keys + k));
    return args;
  });
}

/** A day in the life of a cache: mostly small GET/SET, some lists, hashes, multi-key and larger values. */
function mixed() {
  const rnd = prng(0x5eed);
  const int = (n) => Math.floor(rnd() * n);
  const keys = (n) => Array.from({ length: n }, () => key(int(100_000)));
  return build(2 * MiB, (i) => {
    const r = rnd() * 100;
    if (r < 35) return [b('GET'), key(int(100_000))];
    if (r < 60) return [b('SET'), key(int(100_000)), value(3 + int(62), i)];
    if (r < 68) return [b('INCR'), b(`counter:${int(1000)}`)];
    if (r < 74) return [b('LPUSH'), b(`list:${int(1000)}`), ...keys(3)];
    if (r < 80) return [b('HSET'), b(`user:${int(10_000)}`), b('name'), value(8 + int(16), i), b('visits'), b(String(int(1e6)))];
    if (r < 85) return [b('EXPIRE'), key(int(100_000)), b(String(60 + int(3600)))];
    if (r < 90) return [b('MGET'), ...keys(10)];
    if (r < 94) return [b('MSET'), ...keys(10).flatMap((k) => [k, value(10, i)])];
    if (r < 97) return [b('SET'), key(int(100_000)), value(512 + int(3584), i)];
    if (r < 98) return [b('SET'), key(int(100_000)), value(16 * 1024, i)];
    if (r < 99) return [b('DEL'), ...keys(20)];
    return [b('PING')];
  });
}

/**
 * The workloads, in report order. Each: id (stable, used in parser.json), group (small, large values,
 * many arguments, mixed), label, an optional note for the results file, the whole stream, the
 * reads it is fed in, and the commands it must parse to.
 */
export function buildWorkloads() {
  const small = setGet();
  const big16k = setLarge(16 * 1024, 3 * MiB);
  const big1m = setLarge(MiB, 4 * MiB);
  const mset = msetPairs(100);
  const del = delMany(1000);
  const mix = mixed();
  const whole = (w) => ({ ...w, reads: [w.stream], feed: 'whole stream per call' });
  const split = (w) => ({ ...w, reads: chunked(w.stream), feed: `${CHUNK_SIZE / 1024} KiB reads` });
  return [
    { id: 'setget', group: 'small', label: 'SET/GET, 3-byte values', ...whole(small) },
    { id: 'setget-16k-reads', group: 'small', label: 'SET/GET, 3-byte values, 16 KiB reads', ...split(small) },
    { id: 'set-16k', group: 'large values', label: 'SET, 16 KiB values', ...whole(big16k) },
    {
      id: 'set-1m',
      group: 'large values',
      label: 'SET, 1 MiB values',
      note: 'Whole 1 MiB values in one read: the JS parsers return views and read only the headers, while the WASM parser first copies every byte into WASM memory (as the server must). A server sees such values in many reads: see the next row.',
      ...whole(big1m),
    },
    { id: 'set-1m-16k-reads', group: 'large values', label: 'SET, 1 MiB values, 16 KiB reads', ...split(big1m) },
    { id: 'mset-100', group: 'many arguments', label: 'MSET, 100 pairs', ...whole(mset) },
    { id: 'del-1000', group: 'many arguments', label: 'DEL, 1,000 keys', ...whole(del) },
    { id: 'mixed', group: 'mixed', label: 'mixed (GET/SET/INCR/LPUSH/HSET/MGET/MSET/…)', ...whole(mix) },
    { id: 'mixed-16k-reads', group: 'mixed', label: 'mixed, 16 KiB reads', ...split(mix) },
  ];
}
