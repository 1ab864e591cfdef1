// The collection structures (assembly/ds/dict.ts, assembly/ds/listpack.ts) driven directly
// against a JavaScript model: random adds, overwrites, deletes, finds, iteration, SCAN, copy,
// random picks; packs with inserts anywhere, replaces that grow and shrink, deletes of runs.
// Compiles assembly/testing/structures.ts (the engine plus these exports) with asc first.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prng } from '../resp/prng.js';

const root = path.resolve(import.meta.dirname, '../..');
type Fn = (...a: number[]) => number;
let x: Record<string, Fn>;
let memory: WebAssembly.Memory;
const STAGE = 8 << 20; // staging area for argument bytes, far above the heap the tests use

beforeAll(() => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasmdis-ds-')), 'structures.wasm');
  execFileSync(process.execPath, [path.join(root, 'node_modules/assemblyscript/bin/asc.js'), 'assembly/testing/structures.ts',
    '--runtime', 'stub', '--importMemory', '--initialMemory', '256', '--maximumMemory', '65536',
    '--enable', 'threads,bulk-memory', '-O3', '--noAssert', '-o', out], { cwd: root, stdio: 'pipe' });
  memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(out)), {
    env: { memory, abort: () => { throw new Error('abort'); }, clockNs: () => 0n },
  });
  x = inst.exports as unknown as Record<string, Fn>;
  expect(x.init!(16, 12345, Date.now())).toBe(0);
  // keep the heap away from the staging area
  expect(x.dictNew!()).toBeLessThan(STAGE);
}, 60_000);

const u8 = () => new Uint8Array(memory.buffer);
let stageOff = 0;
/** Copy s into the staging area; returns [address, length]. */
function stage(s: string): [number, number] {
  const b = Buffer.from(s);
  if (stageOff + b.length > 1 << 20) stageOff = 0;
  const a = STAGE + stageOff;
  u8().set(b, a);
  stageOff += b.length;
  return [a, b.length];
}
const str = (p: number, n: number) => Buffer.from(u8().subarray(p, p + n)).toString();

describe('dict (assembly/ds/dict.ts)', () => {
  it('matches a Map through 200,000 random operations', () => {
    const g = new Prng(7);
    const d = x.dictNew!();
    const model = new Map<string, string>();
    for (let i = 0; i < 200_000; i++) {
      // phases that grow to thousands of keys and shrink back, so tables grow and shrink
      const range = Math.floor(i / 20_000) % 2 === 0 ? 5000 : 50;
      const k = `k${Math.floor(g.next() * range)}`;
      const [kp, kl] = stage(k);
      const r = g.next();
      if (r < 0.45) {
        const v = 'v'.repeat(Math.floor(g.next() * 60)) + i;
        const [vp, vl] = stage(v);
        const n = x.dictFind!(d, kp, kl);
        if (n) expect(x.dictSetVal!(d, n, vp, vl)).not.toBe(0);
        else expect(x.dictAdd!(d, kp, kl, vp, vl)).not.toBe(0);
        model.set(k, v);
      } else if (r < 0.8) {
        expect(x.dictDelete!(d, kp, kl) !== 0).toBe(model.delete(k));
      } else {
        const n = x.dictFind!(d, kp, kl);
        expect(n !== 0).toBe(model.has(k));
        if (n) expect(str(x.nodeVal!(n), x.nodeValLen!(n))).toBe(model.get(k));
      }
      expect(x.dictSize!(d)).toBe(model.size);
    }
    const iterated: string[] = [];
    for (let n = x.dictFirst!(d); n; n = x.dictNext!(d, n)) iterated.push(str(x.nodeKey!(n), x.nodeKeyLen!(n)));
    expect(iterated.sort()).toEqual([...model.keys()].sort());

    const scanned = new Set<string>();
    let cursor = 0;
    do {
      for (let n = x.dictScan!(d, cursor); n; n = x.nodeNextInBucket!(n)) scanned.add(str(x.nodeKey!(n), x.nodeKeyLen!(n)));
      cursor = x.dictScanNext!(d, cursor) >>> 0;
    } while (cursor !== 0);
    expect(scanned.size).toBe(model.size);

    const c = x.dictCopy!(d);
    expect(x.dictSize!(c)).toBe(model.size);
    for (const [k, v] of model) {
      const [kp, kl] = stage(k);
      const n = x.dictFind!(c, kp, kl);
      expect(str(x.nodeVal!(n), x.nodeValLen!(n))).toBe(v);
    }
    x.dictFree!(c);

    const picked = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const n = x.dictRandom!(d);
      const k = str(x.nodeKey!(n), x.nodeKeyLen!(n));
      expect(model.has(k)).toBe(true);
      picked.add(k);
    }
    // random picks reach most of a small dict
    expect(picked.size).toBeGreaterThan(Math.min(model.size, 2000) / 4);
    x.dictFree!(d);
  });

  it('SCAN visits every node present throughout, even when the table resizes between calls', () => {
    const d = x.dictNew!();
    for (let i = 0; i < 1000; i++) { const [kp, kl] = stage(`m${i}`); x.dictAdd!(d, kp, kl, 0, 0); }
    const seen = new Set<string>();
    let cursor = 0;
    let step = 0;
    do {
      for (let n = x.dictScan!(d, cursor); n; n = x.nodeNextInBucket!(n)) seen.add(str(x.nodeKey!(n), x.nodeKeyLen!(n)));
      cursor = x.dictScanNext!(d, cursor) >>> 0;
      // grow, then shrink, in the middle of the scan (m0..m999 stay throughout)
      if (++step === 50) for (let i = 0; i < 3000; i++) { const [kp, kl] = stage(`t${i}`); x.dictAdd!(d, kp, kl, 0, 0); }
      if (step === 300) for (let i = 0; i < 3000; i++) { const [kp, kl] = stage(`t${i}`); x.dictDelete!(d, kp, kl); }
    } while (cursor !== 0);
    for (let i = 0; i < 1000; i++) expect(seen.has(`m${i}`)).toBe(true);
    x.dictFree!(d);
  });
});

describe('pack (assembly/ds/listpack.ts)', () => {
  it('matches an array through 100,000 random inserts, replaces and deletes', () => {
    const g = new Prng(11);
    const slot = x.dictNew!(); // any 12-byte block: its first word holds the pack pointer
    const dv = () => new DataView(memory.buffer);
    dv().setUint32(slot, x.packNew!(), true);
    const P = () => dv().getUint32(slot, true);
    const arr: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const r = g.next();
      if (r < 0.5 || arr.length < 2) {
        const v = (g.next() < 0.1 ? 'L'.repeat(100 + Math.floor(g.next() * 300)) : 'e') + i;
        const [vp, vl] = stage(v);
        const at = Math.floor(g.next() * (arr.length + 1));
        const it = at === arr.length ? 0 : x.packAt!(P(), at);
        expect(x.packInsert!(slot, it, vp, vl)).toBe(1);
        arr.splice(at, 0, v);
      } else if (r < 0.75) {
        const at = Math.floor(g.next() * arr.length);
        const n = 1 + Math.floor(g.next() * 3);
        x.packDelete!(slot, x.packAt!(P(), at), n);
        arr.splice(at, n);
      } else if (r < 0.9) {
        const at = Math.floor(g.next() * arr.length);
        const v = 'r'.repeat(Math.floor(g.next() * 200)) + i;
        const [vp, vl] = stage(v);
        expect(x.packReplace!(slot, x.packAt!(P(), at), vp, vl)).toBe(1);
        arr[at] = v;
      } else {
        const at = Math.floor(g.next() * arr.length);
        const [vp, vl] = stage(arr[at]!);
        expect(x.packIndexOf!(P(), x.packFind!(P(), vp, vl, 1))).toBe(arr.indexOf(arr[at]!));
      }
      expect(x.packCount!(P())).toBe(arr.length);
      if (arr.length > 400) { x.packDelete!(slot, x.packFirst!(P()), 300); arr.splice(0, 300); }
    }
    const got: string[] = [];
    for (let it = x.packFirst!(P()); it; it = x.packNext!(P(), it)) got.push(str(x.packStr!(it), x.packLen!(it)));
    expect(got).toEqual(arr);
    const [mp, ml] = stage('no such entry');
    expect(x.packFind!(P(), mp, ml, 1)).toBe(0);
  });

  it('finds with a stride (fields of field/value pairs, not values)', () => {
    const slot = x.dictNew!();
    const dv = new DataView(memory.buffer);
    dv.setUint32(slot, x.packNew!(), true);
    for (const s of ['f1', 'a', 'a', 'f2', 'f3', 'a']) { const [p, n] = stage(s); x.packInsert!(slot, 0, p, n); }
    const P = new DataView(memory.buffer).getUint32(slot, true);
    const [ap, al] = stage('a');
    expect(x.packIndexOf!(P, x.packFind!(P, ap, al, 2))).toBe(2);
    expect(x.packIndexOf!(P, x.packFind!(P, ap, al, 1))).toBe(1);
    const [fp, fl] = stage('f2');
    expect(x.packFind!(P, fp, fl, 2)).toBe(0);
    expect(x.packUsed!(P)).toBe(8 + 3 * 3 + 3 * 2); // header, three 2-byte and three 1-byte entries with 1-byte prefixes
  });
});
