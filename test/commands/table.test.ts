// Compiles assembly/commands/table.generated.ts on its own (stub runtime, -O3)
// and checks the WASM lookup and per-id facts against src/commands/spec.ts.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import asc from 'assemblyscript/asc';
import { COMMANDS, type CommandSpec } from '../../src/commands/spec.js';

interface TableExports {
  memory: WebAssembly.Memory;
  lookupCommand(ptr: number, len: number): number;
  lookupSubcommand(container: number, ptr: number, len: number): number;
  commandFlags(id: number): number;
  commandArity(id: number): number;
  commandFirstKey(id: number): number;
  commandLastKey(id: number): number;
  commandKeyStep(id: number): number;
  commandArityAccepts(id: number, argc: number): number;
  MAX_COMMAND_ID: WebAssembly.Global;
  FLAG_HOST: WebAssembly.Global;
  FLAG_CONTAINER: WebAssembly.Global;
  [flag: string]: unknown;
}

let wasm: TableExports;
let scratch: number; // a page of our own for name bytes

beforeAll(async () => {
  const source = readFileSync(new URL('../../assembly/commands/table.generated.ts', import.meta.url), 'utf8');
  // the table falls back to the custom commands (assembly/commands/custom.ts) for unknown names
  // and ids; compiled alone, it gets a stand-in with none registered
  const noCustom = [
    'export function customLookup(ptr: usize, len: i32): i32 { return -1; }',
    ...['customFlags', 'customArity', 'customFirstKey', 'customLastKey', 'customKeyStep']
      .map((f) => `export function ${f}(id: i32): ${f === 'customFlags' ? 'u32' : 'i32'} { return 0; }`),
  ].join('\n');
  const { binary, stderr } = await asc.compileString({ 'table.generated.ts': source, 'custom.ts': noCustom }, { runtime: 'stub', optimizeLevel: 3 });
  if (!binary) throw new Error(`asc failed:\n${stderr.toString()}`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(binary)), {});
  wasm = instance.exports as unknown as TableExports;
  scratch = wasm.memory.grow(1) * 65536;
}, 60_000);

function put(bytes: Uint8Array): number {
  new Uint8Array(wasm.memory.buffer, scratch, bytes.length).set(bytes);
  return bytes.length;
}
const lookup = (bytes: Uint8Array) => wasm.lookupCommand(scratch, put(bytes));
const lookupSub = (container: number, bytes: Uint8Array) => wasm.lookupSubcommand(container, scratch, put(bytes));
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** Every mixed-case spelling for short names; a few for long ones. */
function spellings(name: string): string[] {
  const letters = [...name].filter((c) => /[a-z]/.test(c)).length;
  if (letters <= 8) {
    const out: string[] = [];
    for (let m = 0; m < 1 << letters; m++) {
      let k = 0;
      out.push([...name].map((c) => (/[a-z]/.test(c) && (m >> k++) & 1 ? c.toUpperCase() : c)).join(''));
    }
    return out;
  }
  const alternate = (odd: number) => [...name].map((c, i) => (i % 2 === odd ? c.toUpperCase() : c)).join('');
  return [name, name.toUpperCase(), alternate(0), alternate(1)];
}

/** Does byte `b` spell the same letter as the name's byte `c` (or is it that very byte)? */
const sameLetter = (b: number, c: number) => b === c || (c >= 0x61 && c <= 0x7a && b === c - 0x20);

function checkAllVariants(name: string, id: number, find: (bytes: Uint8Array) => number, peers: Map<string, number>) {
  for (const s of spellings(name)) expect([s, find(ascii(s))]).toEqual([s, id]);
  // Every single-byte substitution: it matches only when it is a case change,
  // or when it happens to spell another command of the same family.
  const base = ascii(name);
  for (let i = 0; i < base.length; i++) {
    for (let b = 0; b < 256; b++) {
      const bytes = base.slice();
      bytes[i] = b;
      const spelled = Buffer.from(bytes).toString('latin1').toLowerCase();
      const want = sameLetter(b, base[i]!) ? id : /^[a-z_|-]*$/.test(spelled) ? peers.get(spelled) ?? -1 : -1;
      const got = find(bytes);
      if (got !== want) expect({ name, at: i, byte: b, got }).toEqual({ name, at: i, byte: b, got: want });
    }
  }
  // Prefixes and one byte more never match.
  for (let n = 0; n < base.length; n++) {
    const want = peers.get(name.slice(0, n)) ?? -1;
    expect([name.slice(0, n), find(base.subarray(0, n))]).toEqual([name.slice(0, n), want]);
  }
  const longer = new Uint8Array(base.length + 1);
  longer.set(base);
  longer[base.length] = 0x61;
  expect(find(longer)).toBe(peers.get(`${name}a`) ?? -1);
}

describe('assembly/commands/table.generated.ts', () => {
  it('finds every top-level command in any case, and nothing else', () => {
    const peers = new Map(COMMANDS.map((c) => [c.name, c.id]));
    for (const c of COMMANDS) checkAllVariants(c.name, c.id, lookup, peers);
    for (const s of ['', 'x', 'GETT', 'client|id', 'object encoding', 'g\0t']) expect(lookup(ascii(s))).toBe(-1);
  });

  it('finds every subcommand within its container only', () => {
    for (const c of COMMANDS) {
      const subs = c.subcommands ?? [];
      const peers = new Map(subs.map((s) => [s.name.split('|')[1]!, s.id]));
      for (const s of subs) {
        checkAllVariants(s.name.split('|')[1]!, s.id, (bytes) => lookupSub(c.id, bytes), peers);
      }
      expect(lookupSub(c.id, ascii('nosuchsub'))).toBe(-1);
    }
    const get = COMMANDS.find((c) => c.name === 'get')!;
    expect(lookupSub(get.id, ascii('help'))).toBe(-1);
  });

  it('serves arity, flags and key positions per id', () => {
    const flagBits = new Map<string, number>();
    for (const [k, v] of Object.entries(wasm)) {
      if (k.startsWith('FLAG_')) flagBits.set(k.slice(5).toLowerCase(), (v as WebAssembly.Global).value as number);
    }
    const check = (c: CommandSpec) => {
      expect([c.name, wasm.commandArity(c.id), wasm.commandFirstKey(c.id), wasm.commandLastKey(c.id), wasm.commandKeyStep(c.id)])
        .toEqual([c.name, c.arity, c.firstKey, c.lastKey, c.step]);
      const flags = wasm.commandFlags(c.id) >>> 0;
      for (const [name, bit] of flagBits) {
        const want = name === 'host' ? c.host : name === 'container' ? Boolean(c.subcommands) : c.flags.includes(name);
        expect([c.name, name, (flags & bit) !== 0]).toEqual([c.name, name, want]);
      }
      for (let argc = 0; argc < 8; argc++) {
        const want = c.arity >= 0 ? argc === c.arity : argc >= -c.arity;
        expect([c.name, argc, wasm.commandArityAccepts(c.id, argc) !== 0]).toEqual([c.name, argc, want]);
      }
    };
    for (const c of COMMANDS) {
      check(c);
      c.subcommands?.forEach(check);
    }
    const max = wasm.MAX_COMMAND_ID.value as number;
    for (const id of [-1, 0, max + 1, 0x7fffffff]) {
      expect([wasm.commandArity(id), wasm.commandFlags(id), wasm.commandFirstKey(id)]).toEqual([0, 0, 0]);
    }
  });
});
