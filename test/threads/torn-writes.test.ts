/**
 * Threads (issue #3): multi-key commands are atomic across workers. Writers set ten keys to
 * one value with MSET (or delete all ten with DEL) while readers read all ten with MGET and
 * count them with EXISTS; no reader may ever see a mix of two writes.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Redis } from 'ioredis';
import { Prng } from '../resp/prng.js';
import { describeServerCpu, ioredis, quitAll, startThreaded, threadCpu, type Threaded } from './threaded-server.js';

const WRITERS = 3;
const READERS = 3;
const RUN_MS = 3000;
const BATCH = 50;
const KEYS = Array.from({ length: 10 }, (_, i) => `k${i + 1}`);

describe('threads: no torn writes', () => {
  let server: Threaded;
  let clients: Redis[] = [];

  beforeAll(async () => {
    server = await startThreaded({}, 'torn-writes');
    clients = await Promise.all(Array.from({ length: WRITERS + READERS }, () => ioredis(server)));
  });
  afterAll(async () => {
    await quitAll(clients);
    await server?.stop();
  });

  it(`MSET/DEL of 10 keys vs MGET/EXISTS of the same keys, ${RUN_MS / 1000} s`, async () => {
    const seed = Number(process.env.WASMDIS_SEED ?? (Date.now() & 0x7fffffff));
    console.log(`[torn-writes] seed ${seed} (WASMDIS_SEED=${seed} reproduces the values written)`);
    await clients[0]!.mset(...KEYS.flatMap((k) => [k, 'initial']));
    const deadline = Date.now() + RUN_MS;
    const stats = { msets: 0, dels: 0, mgets: 0, exists: 0, nullReads: 0 };
    const torn: string[] = [];

    const writer = async (c: Redis, w: number) => {
      const rng = new Prng(seed + w);
      let n = 0;
      while (Date.now() < deadline && torn.length === 0) {
        const p = c.pipeline();
        for (let i = 0; i < BATCH; i++) {
          if (rng.int(20) === 0) {
            p.del(...KEYS);
            stats.dels++;
          } else {
            // sizes vary so values are reallocated, not overwritten in place
            const value = `w${w}:${n++}:${'x'.repeat(rng.int(300))}`;
            p.mset(...KEYS.flatMap((k) => [k, value]));
            stats.msets++;
          }
        }
        for (const [err] of (await p.exec())!) if (err) throw err;
      }
    };

    const reader = async (c: Redis) => {
      while (Date.now() < deadline && torn.length === 0) {
        const p = c.pipeline();
        for (let i = 0; i < BATCH; i++) {
          if (i % 5 === 4) p.exists(...KEYS);
          else p.mget(...KEYS);
        }
        for (const [err, v] of (await p.exec())!) {
          if (err) throw err;
          if (Array.isArray(v)) {
            stats.mgets++;
            const values = v as (string | null)[];
            if (values[0] === null) stats.nullReads++;
            if (!values.every((x) => x === values[0])) {
              torn.push(`MGET saw ${JSON.stringify(values.map((x) => (x === null ? null : x.slice(0, 24))))}`);
            }
          } else {
            stats.exists++;
            if (v !== 0 && v !== KEYS.length) torn.push(`EXISTS k1..k10 returned ${v}`);
          }
        }
      }
    };

    const cpuBefore = threadCpu();
    await Promise.all([
      ...clients.slice(0, WRITERS).map((c, w) => writer(c, w)),
      ...clients.slice(WRITERS).map((c) => reader(c)),
    ]);
    console.log(`[torn-writes] ${JSON.stringify(stats)}; CPU of the server's threads: ${describeServerCpu(server, cpuBefore, threadCpu())}`);
    expect(torn.slice(0, 5)).toEqual([]);
    // the run did something on both sides
    expect(stats.msets).toBeGreaterThan(100);
    expect(stats.mgets).toBeGreaterThan(100);

    // after the run: ten equal values or none
    const final = await clients[0]!.mget(...KEYS);
    expect(final.every((x) => x === final[0])).toBe(true);
  });
});
