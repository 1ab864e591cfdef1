#!/usr/bin/env node
// Generates the WASM side of the command table from src/commands/spec.ts:
//   assembly/commands/table.generated.ts  ids, name lookup, arity/flags/key positions
//   src/commands/ids.generated.ts         the same ids as TypeScript constants
// Usage: node scripts/gen-commands.mjs [--check]   (npm run gen:commands)
//   --check  write nothing; exit 1 when a generated file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './lib/import-ts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AS_OUT = 'assembly/commands/table.generated.ts';
const TS_OUT = 'src/commands/ids.generated.ts';

/** Flag bits of commandFlags(); order is part of the ABI between host and WASM: append only. */
const FLAG_BITS = [
  ['write', 'WRITE'],
  ['readonly', 'READONLY'],
  ['denyoom', 'DENYOOM'],
  ['admin', 'ADMIN'],
  ['pubsub', 'PUBSUB'],
  ['noscript', 'NOSCRIPT'],
  ['blocking', 'BLOCKING'],
  ['loading', 'LOADING'],
  ['stale', 'STALE'],
  ['fast', 'FAST'],
  ['no_auth', 'NO_AUTH'],
  ['no_multi', 'NO_MULTI'],
  ['may_replicate', 'MAY_REPLICATE'],
  [null, 'HOST', 'executes in the TypeScript host, not in WASM'],
  ['skip_monitor', 'SKIP_MONITOR'],
  ['skip_slowlog', 'SKIP_SLOWLOG'],
  ['no_mandatory_keys', 'NO_MANDATORY_KEYS'],
  ['allow_busy', 'ALLOW_BUSY'],
  ['movablekeys', 'MOVABLEKEYS'],
  [null, 'CONTAINER', 'has subcommands (dispatch on argv[1] with lookupSubcommand)'],
];

const { COMMANDS } = await importTs(ROOT, 'src/commands/spec.ts');

const constName = (fullName) => fullName.toUpperCase().replace(/[|\-:]/g, '_');
const isLetter = (c) => (c >= 0x61 && c <= 0x7a);

function flagsOf(cmd) {
  let bits = 0;
  FLAG_BITS.forEach(([redis, name], bit) => {
    const on = redis ? cmd.flags.includes(redis) : name === 'HOST' ? cmd.host : Boolean(cmd.subcommands);
    if (on) bits |= 1 << bit;
  });
  return bits >>> 0;
}

const hex = (n, digits) => '0x' + n.toString(16).padStart(digits, '0');

/**
 * The loads that cover `len` bytes, widest first; the last load may overlap
 * the previous one (e.g. 11 bytes = u64 at 0 and u64 at 3).
 */
function loadsFor(len) {
  if (len >= 8) return len === 8 ? [[0, 8]] : [[0, 8], [len - 8, 8]]; // len <= 16
  if (len >= 4) return len === 4 ? [[0, 4]] : [[0, 4], [len - 4, 4]];
  if (len === 3) return [[0, 2], [2, 1]];
  return [[0, len]];
}

/**
 * The word loads that compare `name`: OR 0x20 into every byte where the name
 * has a letter (for those bytes `b | 0x20 == letter` holds exactly for the two
 * cases of that letter, so no other byte can match) and compare the other
 * bytes exactly. Returns [{ load, want }] with `load` an expression over `ptr`.
 */
function wordLoads(name) {
  const bytes = Buffer.from(name, 'latin1');
  if (bytes.length > 16) throw new Error(`name too long for lookup: ${name}`);
  const type = { 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' };
  return loadsFor(bytes.length).map(([off, width]) => {
    let mask = 0n;
    let want = 0n;
    for (let i = width - 1; i >= 0; i--) {
      const b = bytes[off + i];
      mask = (mask << 8n) | (isLetter(b) ? 0x20n : 0n);
      want = (want << 8n) | BigInt(b);
    }
    const t = type[width];
    const load = `load<${t}>(ptr${off ? `, ${off}` : ''})`;
    return { load: mask === 0n ? load : `${load} | <${t}>${hex(mask, width * 2)}`, want: `<${t}>${hex(want, width * 2)}` };
  });
}

/** `switch (len)` then `switch (first byte | 0x20)` then a short chain of word compares. */
function lookupBody(entries, constOf, indent) {
  const pad = ' '.repeat(indent);
  const byLen = new Map();
  for (const e of entries) {
    const short = e.name.slice(e.name.indexOf('|') + 1);
    for (const ch of short) {
      const c = ch.charCodeAt(0);
      if (!(isLetter(c) || c === 0x5f || c === 0x2d)) throw new Error(`unexpected byte in name ${e.name}`);
    }
    if (!isLetter(short.charCodeAt(0))) throw new Error(`name must start with a letter: ${e.name}`);
    if (!byLen.has(short.length)) byLen.set(short.length, []);
    byLen.get(short.length).push({ short, e });
  }
  const out = [`${pad}switch (len) {`];
  for (const len of [...byLen.keys()].sort((a, b) => a - b)) {
    out.push(`${pad}  case ${len}: {`);
    const byFirst = new Map();
    for (const x of byLen.get(len)) {
      const f = x.short.charCodeAt(0);
      if (!byFirst.has(f)) byFirst.set(f, []);
      byFirst.get(f).push(x);
    }
    // A letter's byte | 0x20 is its lower case; no other byte maps onto a lower-case letter.
    out.push(`${pad}    switch (<i32>load<u8>(ptr) | 0x20) {`);
    for (const f of [...byFirst.keys()].sort((a, b) => a - b)) {
      out.push(`${pad}      case 0x${f.toString(16)}: { // ${String.fromCharCode(f)}`);
      // Each distinct masked word is loaded once per bucket.
      const words = new Map();
      const conds = byFirst.get(f).map(({ short, e }) => {
        const terms = wordLoads(short).map(({ load, want }) => {
          if (!words.has(load)) {
            words.set(load, `w${words.size}`);
            out.push(`${pad}        const w${words.size - 1} = ${load};`);
          }
          return `${words.get(load)} == ${want}`;
        });
        return `${pad}        if (${terms.join(' && ')}) return ${constOf(e)}; // ${short}`;
      });
      out.push(...conds);
      out.push(`${pad}        return -1;`, `${pad}      }`);
    }
    out.push(`${pad}    }`, `${pad}    return -1;`, `${pad}  }`);
  }
  out.push(`${pad}}`, `${pad}return -1;`);
  return out;
}

// ---------------------------------------------------------------- AssemblyScript

const all = [];
for (const c of COMMANDS) {
  all.push(c);
  for (const s of c.subcommands ?? []) all.push(s);
}
const maxId = Math.max(...all.map((c) => c.id));
const rows = new Array(maxId + 1).fill(null);
for (const c of all) {
  if (rows[c.id]) throw new Error(`duplicate id ${c.id}: ${rows[c.id].name} and ${c.name}`);
  rows[c.id] = c;
}
for (const c of all) {
  for (const v of [c.arity, c.firstKey, c.lastKey, c.step]) {
    if (v < -128 || v > 127) throw new Error(`${c.name}: ${v} does not fit the i8 table`);
  }
}

const as = [
  '// generated by scripts/gen-commands.mjs from src/commands/spec.ts — do not edit',
  '//',
  '// The WASM view of the command table: stable command ids, a case-insensitive',
  '// name lookup and per-id arity, flags and legacy key positions. No managed',
  '// allocations: names are matched with word compares, per-id facts come from a',
  '// constant data segment.',
  '//',
  '// Ids above MAX_COMMAND_ID and names not in the table fall back to the custom commands the',
  '// host registered at run time (custom.ts).',
  '//',
  '// COMMAND_TABLE: one 8-byte record per id (0 ..= MAX_COMMAND_ID, unused ids all zero)',
  '// ┌───────────────────────────────┬────────┬──────────┬─────────┬─────────┐',
  '// │ flags u32 (FLAG_*)            │ arity  │ firstKey │ lastKey │ step    │',
  '// │                               │ i8     │ i8       │ i8      │ i8      │',
  '// └───────────────────────────────┴────────┴──────────┴─────────┴─────────┘',
  '//  0                               4        5          6         7',
  '',
  'import { customLookup, customFlags, customArity, customFirstKey, customLastKey, customKeyStep } from "./custom";',
  '',
  '// ---- command ids (top level; containers dispatch their subcommands themselves)',
];
for (const c of COMMANDS) as.push(`export const CMD_${constName(c.name)}: i32 = ${c.id};`);
as.push('', '// ---- subcommand ids (lookupSubcommand)');
for (const c of COMMANDS) {
  for (const s of c.subcommands ?? []) as.push(`export const CMD_${constName(s.name)}: i32 = ${s.id};`);
}
as.push('', `/** Largest id in use; ids are stable and append-only. */`, `export const MAX_COMMAND_ID: i32 = ${maxId};`, '');
as.push('// ---- commandFlags() bits');
FLAG_BITS.forEach(([redis, name, doc], bit) => {
  as.push(`/** ${doc ?? `Redis flag "${redis}"`} */`);
  as.push(`export const FLAG_${name}: u32 = 1 << ${bit};`);
});

as.push('', 'const COMMAND_TABLE: usize = memory.data<u32>([');
for (let id = 0; id <= maxId; id++) {
  const c = rows[id];
  if (!c) { as.push(`  0, 0, // ${id}: unused`); continue; }
  const packed = ((c.arity & 0xff) | ((c.firstKey & 0xff) << 8) | ((c.lastKey & 0xff) << 16) | ((c.step & 0xff) << 24)) >>> 0;
  as.push(`  ${hex(flagsOf(c), 8)}, ${hex(packed, 8)}, // ${id}: ${c.name} arity ${c.arity} keys ${c.firstKey},${c.lastKey},${c.step}`);
}
as.push(']);', '');

as.push(
  '/**',
  ' * Id of the top-level command named by the `len` bytes at `ptr` (ASCII case-insensitive), or -1;',
  ' * names not in the static table are looked up among the custom commands.',
  ' */',
  'export function lookupCommand(ptr: usize, len: i32): i32 {',
  '  const id = lookupStaticCommand(ptr, len);',
  '  return id >= 0 ? id : customLookup(ptr, len);',
  '}',
  '',
  '/** Id of the static command named by the `len` bytes at `ptr` (ASCII case-insensitive), or -1. */',
  'function lookupStaticCommand(ptr: usize, len: i32): i32 {',
  ...lookupBody(COMMANDS, (c) => `CMD_${constName(c.name)}`, 2),
  '}',
  '',
  '/** Id of the subcommand of `container` named by the `len` bytes at `ptr`, or -1. */',
  'export function lookupSubcommand(container: i32, ptr: usize, len: i32): i32 {',
  '  switch (container) {',
);
for (const c of COMMANDS) {
  if (!c.subcommands) continue;
  as.push(`    case CMD_${constName(c.name)}: {`);
  as.push(...lookupBody(c.subcommands, (s) => `CMD_${constName(s.name)}`, 6));
  as.push('    }');
}
as.push('  }', '  return -1;', '}', '');

const accessor = (name, doc, type, offset, load) => [
  `/** ${doc} (0 for an unknown id). */`,
  '// @ts-ignore: decorator',
  '@inline',
  `export function ${name}(id: i32): ${type} {`,
  `  if (<u32>id > <u32>MAX_COMMAND_ID) return ${customAccessor[name]}(id);`,
  `  return ${load}(COMMAND_TABLE + (<usize>id << 3)${offset ? `, ${offset}` : ''});`,
  '}',
  '',
];
const customAccessor = {
  commandFlags: 'customFlags', commandArity: 'customArity', commandFirstKey: 'customFirstKey',
  commandLastKey: 'customLastKey', commandKeyStep: 'customKeyStep',
};
as.push(
  ...accessor('commandFlags', 'FLAG_* bits of a command', 'u32', 0, 'load<u32>'),
  ...accessor('commandArity', 'Redis arity: N = exactly N arguments including the name, -N = at least N', 'i32', 4, '<i32>load<i8>'),
  ...accessor('commandFirstKey', 'Position of the first key argument, 0 if none', 'i32', 5, '<i32>load<i8>'),
  ...accessor('commandLastKey', 'Position of the last key argument; negative counts from the end (-1 = last)', 'i32', 6, '<i32>load<i8>'),
  ...accessor('commandKeyStep', 'Distance between key arguments', 'i32', 7, '<i32>load<i8>'),
  '/** Does `argc` (command name included) satisfy the arity of `id`? */',
  '// @ts-ignore: decorator',
  '@inline',
  'export function commandArityAccepts(id: i32, argc: i32): bool {',
  '  const arity = commandArity(id);',
  '  return arity >= 0 ? argc == arity : argc >= -arity;',
  '}',
  '',
);

// ---------------------------------------------------------------- TypeScript mirror

const ts = [
  '// generated by scripts/gen-commands.mjs from src/commands/spec.ts — do not edit',
  '// The command ids of assembly/commands/table.generated.ts, for the TypeScript host.',
  '',
  '/** Top-level command ids. */',
  'export const CMD = {',
  ...COMMANDS.map((c) => `  ${constName(c.name)}: ${c.id},`),
  '} as const;',
  '',
  '/** Subcommand ids (same id space). */',
  'export const SUBCMD = {',
  ...COMMANDS.flatMap((c) => (c.subcommands ?? []).map((s) => `  ${constName(s.name)}: ${s.id},`)),
  '} as const;',
  '',
  `/** Largest id in use. */`,
  `export const MAX_COMMAND_ID = ${maxId};`,
  '',
  '/** commandFlags() bits of the WASM table. */',
  'export const COMMAND_FLAG = {',
  ...FLAG_BITS.map(([, name], bit) => `  ${name}: ${(1 << bit) >>> 0},`),
  '} as const;',
  '',
];
const outputs = [[AS_OUT, as.join('\n')], [TS_OUT, ts.join('\n')]];
if (process.argv.includes('--check')) {
  const stale = outputs.filter(([file, text]) => {
    try { return readFileSync(join(ROOT, file), 'utf8') !== text; } catch { return true; }
  });
  for (const [file] of stale) console.error(`${file} is out of date: run npm run gen:commands`);
  process.exit(stale.length > 0 ? 1 : 0);
}
for (const [file, text] of outputs) writeFileSync(join(ROOT, file), text);
console.log(`wrote ${AS_OUT} and ${TS_OUT}: ${all.length} commands, max id ${maxId}`);
