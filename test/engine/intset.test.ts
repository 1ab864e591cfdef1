// The intset (assembly/ds/intset.ts) driven directly against a JavaScript model: random adds and
// removes of values of every width (16, 32, 64 bits, both signs), checking after each step the
// length, the width Redis would have chosen (the widest value ever added: an intset never
// narrows), the ascending order and membership. Compiles assembly/testing/intset.ts with asc first.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prng } from '../resp/prng.js';

const root = path.resolve(import.meta.dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let x: Record<string, (...a: any[]) => any>;
let memory: WebAssembly.Memory;
const SLOT = 8 << 20; // where the intset pointer lives (far above the heap the test uses)

beforeAll(() => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasmdis-intset-')), 'intset.wasm');
  execFileSync(process.execPath, [path.join(root, 'node_modules/assemblyscript/bin/asc.js'), 'assembly/testing/intset.ts',
    '--runtime', 'stub', '--importMemory', '--initialMemory', '256', '--maximumMemory', '65536',
    '--enable', 'threads,bulk-memory', '-O3', '--noAssert', '-o', out], { cwd: root, stdio: 'pipe' });
  memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(out)), {
    env: { memory, abort: () => { throw new Error('abort'); }, clockNs: () => 0n },
  });
  x = inst.exports as typeof x;
  expect(x.init!(16, 12345, Date.now())).toBe(0);
}, 60_000);

const view = () => new DataView(memory.buffer);
const ptr = () => view().getUint32(SLOT, true);

function widthOf(v: bigint): number {
  if (v >= -32768n && v <= 32767n) return 2;
  if (v >= -2147483648n && v <= 2147483647n) return 4;
  return 8;
}

/** A value from one of the width bands, near their edges half of the time. */
function value(g: Prng, maxWidth: number): bigint {
  const edges = [0n, 1n, -1n, 32767n, -32768n, 32768n, -32769n, 2147483647n, -2147483648n, 2147483648n, -2147483649n,
    9223372036854775807n, -9223372036854775808n];
  const band = g.int(maxWidth === 2 ? 1 : maxWidth === 4 ? 2 : 3);
  if (g.next() < 0.3) return edges.filter((e) => widthOf(e) <= maxWidth)[g.int(edges.filter((e) => widthOf(e) <= maxWidth).length)]!;
  const span = band === 0 ? 200n : band === 1 ? 4_000_000_000n : 1n << 62n;
  return BigInt(Math.floor(g.next() * 1e9)) * span / 1_000_000_000n - span / 2n;
}

describe('intset (assembly/ds/intset.ts)', () => {
  for (const maxWidth of [2, 4, 8]) {
    it(`matches a sorted set model through 20,000 random operations (values up to ${maxWidth * 8} bits)`, () => {
      const g = new Prng(maxWidth * 31);
      view().setUint32(SLOT, x.intsetNew!(), true);
      const model = new Set<bigint>();
      let width = 2;
      for (let i = 0; i < 20_000; i++) {
        // grow for a while, then shrink, so the block grows and gives memory back
        const adding = Math.floor(i / 2500) % 2 === 0 ? g.next() < 0.75 : g.next() < 0.3;
        const v = value(g, maxWidth);
        if (adding) {
          const r = x.intsetAdd!(SLOT, v);
          expect(r).toBe(model.has(v) ? 0 : 1);
          model.add(v);
          width = Math.max(width, widthOf(v));
        } else {
          const present = model.size > 0 && g.next() < 0.7;
          const w = present ? [...model][g.int(model.size)]! : v;
          expect(x.intsetRemove!(SLOT, w)).toBe(model.has(w) ? 1 : 0);
          model.delete(w);
        }
        expect(x.intsetFind!(ptr(), v)).toBe(model.has(v) ? 1 : 0);
        if (i % 97 === 0 || i === 19_999) {
          const s = ptr();
          expect(x.intsetLen!(s)).toBe(model.size);
          expect(x.intsetWidth!(s)).toBe(width);
          const sorted = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const got = sorted.map((_, j) => BigInt(x.intsetGet!(s, j)));
          expect(got).toEqual(sorted);
        }
      }
      const c = x.intsetCopy!(ptr());
      expect(x.intsetLen!(c)).toBe(model.size);
      x.intsetFree!(c);
      x.intsetFree!(ptr());
    });
  }
});
