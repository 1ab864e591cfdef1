#!/usr/bin/env node
// Reads the facts of every command in src/commands/catalog.ts from a live
// redis-server 7.0 (COMMAND INFO + COMMAND DOCS, over RESP3 so sets, maps and
// simple strings stay distinguishable) and writes src/commands/facts.generated.ts.
//
// Facts only: arity, flags, key positions, key specs, ACL categories, tips,
// group, since, doc flags, history versions and the argument structure.
// Prose (summaries, complexity, history notes, replaced_by) is ours and lives
// in src/commands/summaries.ts.
//
// Usage: node scripts/gen-command-spec.mjs [--port N]
//   without --port a private redis-server is started on a free port and stopped after.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './lib/import-ts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = 'src/commands/facts.generated.ts';

/**
 * Commands newer than Redis 7.0 that clients send anyway; their facts are
 * copied by hand from the Redis release that introduced them
 * (CLIENT SETINFO: Redis 7.2 src/commands/client-setinfo.json).
 */
const LATER_FACTS = {
  'client|setinfo': {
    arity: 4, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    aclCategories: ['@slow', '@connection'], tips: [], keySpecs: [],
    group: 'connection', since: '7.2.0',
    arguments: [{
      name: 'attr', type: 'oneof', arguments: [
        { name: 'libname', type: 'string', token: 'lib-name' },
        { name: 'libver', type: 'string', token: 'lib-ver' },
      ],
    }],
  },
};

// ---------------------------------------------------------------- RESP3 client

/** Decodes one RESP3 value keeping its kind: {k: 'map'|'set'|'array'|'bulk'|'status'|'int'|'null'|'error', v}. */
function decode(buf, pos) {
  const eol = buf.indexOf('\r\n', pos, 'latin1');
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString('latin1', pos + 1, eol);
  let at = eol + 2;
  switch (type) {
    case '+': return { value: { k: 'status', v: line }, end: at };
    case '-': return { value: { k: 'error', v: line }, end: at };
    case ':': return { value: { k: 'int', v: Number(line) }, end: at };
    case '_': return { value: { k: 'null', v: null }, end: at };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: { k: 'null', v: null }, end: at };
      if (buf.length < at + n + 2) return undefined;
      return { value: { k: 'bulk', v: buf.toString('utf8', at, at + n) }, end: at + n + 2 };
    }
    case '*': case '~': case '%': {
      const n = Number(line) * (type === '%' ? 2 : 1);
      const items = [];
      for (let i = 0; i < n; i++) {
        const r = decode(buf, at);
        if (!r) return undefined;
        items.push(r.value);
        at = r.end;
      }
      if (type === '%') {
        const pairs = [];
        for (let i = 0; i < n; i += 2) pairs.push([items[i], items[i + 1]]);
        return { value: { k: 'map', v: pairs }, end: at };
      }
      return { value: { k: type === '~' ? 'set' : 'array', v: items }, end: at };
    }
    default: throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

class RespConnection {
  constructor(port) {
    this.port = port;
    this.buf = Buffer.alloc(0);
    this.waiters = [];
  }
  open() {
    return new Promise((res, rej) => {
      this.sock = net.connect(this.port, '127.0.0.1', res);
      this.sock.once('error', rej);
      this.sock.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.drain(); });
    });
  }
  drain() {
    while (this.waiters.length > 0) {
      const r = decode(this.buf, 0);
      if (!r) return;
      this.buf = this.buf.subarray(r.end);
      this.waiters.shift()(r.value);
    }
  }
  call(...args) {
    const parts = [`*${args.length}\r\n`];
    for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
    this.sock.write(parts.join(''));
    return new Promise((res) => { this.waiters.push(res); this.drain(); });
  }
  close() { this.sock.destroy(); }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  await new Promise((res, rej) => { child.once('spawn', res); child.once('error', rej); });
  for (let i = 0; i < 100; i++) {
    try {
      const c = new RespConnection(port);
      await c.open();
      c.close();
      return { port, stop: () => child.kill('SIGTERM') };
    } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

// ---------------------------------------------------------------- shape checks

function expect(node, kind, where) {
  if (node.k !== kind) throw new Error(`${where}: expected ${kind}, got ${node.k}`);
  return node.v;
}
const statusSet = (node, where) => expect(node, 'set', where).map((x, i) => expect(x, 'status', `${where}[${i}]`));
const bulkSet = (node, where) => expect(node, 'set', where).map((x, i) => expect(x, 'bulk', `${where}[${i}]`));

/** A key spec as COMMAND INFO returns it; flags are simple strings, everything else bulk/int/map. */
function keySpec(node, where) {
  const out = {};
  for (const [k, v] of expect(node, 'map', where)) {
    const key = expect(k, 'bulk', where);
    if (key === 'flags') out.flags = statusSet(v, `${where}.flags`);
    else if (key === 'notes') out.notes = expect(v, 'bulk', `${where}.notes`);
    else if (key === 'begin_search' || key === 'find_keys') out[key] = searchSpec(v, `${where}.${key}`);
    else throw new Error(`${where}: unknown key spec field ${key}`);
  }
  return out;
}
function searchSpec(node, where) {
  const out = {};
  for (const [k, v] of expect(node, 'map', where)) {
    const key = expect(k, 'bulk', where);
    if (key === 'type') out.type = expect(v, 'bulk', `${where}.type`);
    else if (key === 'spec') {
      out.spec = {};
      for (const [sk, sv] of expect(v, 'map', `${where}.spec`)) {
        out.spec[expect(sk, 'bulk', where)] = sv.k === 'int' ? sv.v : expect(sv, 'bulk', `${where}.spec`);
      }
    } else throw new Error(`${where}: unknown field ${key}`);
  }
  return out;
}

/** Argument structure from COMMAND DOCS. */
function argSpec(node, where) {
  const out = {};
  for (const [k, v] of expect(node, 'map', where)) {
    const key = expect(k, 'bulk', where);
    switch (key) {
      case 'name': case 'type': case 'token': case 'since':
        out[key] = expect(v, 'bulk', `${where}.${key}`); break;
      case 'deprecated_since': out.deprecatedSince = expect(v, 'bulk', `${where}.${key}`); break;
      case 'key_spec_index': out.keySpecIndex = expect(v, 'int', `${where}.${key}`); break;
      case 'flags': out.flags = statusSet(v, `${where}.flags`); break;
      case 'summary': // prose: would need a field in summaries.ts first
        throw new Error(`${where}: argument summaries are not supported yet`);
      case 'arguments':
        out.arguments = expect(v, 'array', where).map((a, i) => argSpec(a, `${where}.arguments[${i}]`));
        break;
      default: throw new Error(`${where}: unknown argument field ${key}`);
    }
  }
  return out;
}

function infoFacts(node, name) {
  const v = expect(node, 'array', `INFO ${name}`);
  if (v.length !== 10) throw new Error(`INFO ${name}: ${v.length} fields`);
  if (expect(v[0], 'bulk', name) !== name) throw new Error(`INFO ${name}: name ${v[0].v}`);
  return {
    arity: expect(v[1], 'int', `${name}.arity`),
    flags: statusSet(v[2], `${name}.flags`),
    firstKey: expect(v[3], 'int', name),
    lastKey: expect(v[4], 'int', name),
    step: expect(v[5], 'int', name),
    aclCategories: statusSet(v[6], `${name}.acl`),
    tips: bulkSet(v[7], `${name}.tips`),
    keySpecs: expect(v[8], 'set', `${name}.keyspecs`).map((s, i) => keySpec(s, `${name}.keySpecs[${i}]`)),
  };
}

function docsFacts(node, name) {
  const pairs = expect(node, 'map', `DOCS ${name}`);
  if (pairs.length !== 1 || pairs[0][0].v !== name) throw new Error(`DOCS ${name}: not found`);
  const out = {};
  for (const [k, v] of expect(pairs[0][1], 'map', name)) {
    const key = expect(k, 'bulk', name);
    switch (key) {
      case 'summary': case 'complexity': case 'subcommands': break; // ours / rebuilt from the catalog
      case 'since': case 'group': out[key] = expect(v, 'bulk', `${name}.${key}`); break;
      case 'deprecated_since': out.deprecatedSince = expect(v, 'bulk', name); break;
      case 'doc_flags': out.docFlags = statusSet(v, `${name}.doc_flags`); break;
      case 'replaced_by': out.hasReplacedBy = true; break; // the text is ours (summaries.ts)
      case 'history':
        out.history = expect(v, 'set', name).map((h) => expect(expect(h, 'array', name)[0], 'bulk', name));
        break;
      case 'arguments':
        out.arguments = expect(v, 'array', name).map((a, i) => argSpec(a, `${name}.arguments[${i}]`));
        break;
      default: throw new Error(`DOCS ${name}: unknown field ${key}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- main

const portArg = process.argv.indexOf('--port');
const server = portArg > 0 ? { port: Number(process.argv[portArg + 1]), stop() {} } : await startRedis();
const conn = new RespConnection(server.port);
let version;
const facts = {};
try {
  await conn.open();
  const hello = await conn.call('HELLO', '3');
  version = new Map(expect(hello, 'map', 'HELLO').map(([k, v]) => [k.v, v.v])).get('version');
  if (!/^7\.0\./.test(version)) throw new Error(`need redis-server 7.0, found ${version}`);
  const { CATALOG } = await importTs(ROOT, 'src/commands/catalog.ts');
  const names = [];
  for (const c of CATALOG) {
    names.push(c.name);
    for (const s of c.subcommands ?? []) names.push(`${c.name}|${s.name}`);
  }
  for (const name of names) {
    if (LATER_FACTS[name]) { facts[name] = LATER_FACTS[name]; continue; }
    const info = expect(await conn.call('COMMAND', 'INFO', name), 'array', name)[0];
    if (info.k === 'null') throw new Error(`redis-server ${version} has no command ${name}`);
    const docs = await conn.call('COMMAND', 'DOCS', name);
    facts[name] = { ...infoFacts(info, name), ...docsFacts(docs, name) };
  }
} finally {
  conn.close();
  server.stop();
}

const lines = [
  `// generated by scripts/gen-command-spec.mjs from redis-server ${version} (COMMAND INFO, COMMAND DOCS) — do not edit`,
  '// Facts only. Summaries and other prose are ours: src/commands/summaries.ts.',
  "import type { CommandFacts } from './spec.js';",
  '',
  '/** Redis facts for every command in the catalog, by full name (`client|id`). */',
  'export const COMMAND_FACTS: Readonly<Record<string, CommandFacts>> = {',
];
for (const [name, f] of Object.entries(facts)) {
  lines.push(`  ${JSON.stringify(name)}: {`);
  for (const [k, v] of Object.entries(f)) lines.push(`    ${k}: ${JSON.stringify(v)},`);
  lines.push('  },');
}
lines.push('};', '');
writeFileSync(join(ROOT, OUT), lines.join('\n'));
console.log(`wrote ${OUT}: ${Object.keys(facts).length} commands from redis-server ${version}`);
