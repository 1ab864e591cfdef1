/**
 * Threads (issue #3): connection pools of real clients, as applications use them, against a
 * server with worker threads: 10 ioredis clients and a node-redis v5 client pool doing mixed
 * commands at once, every reply checked.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Redis } from 'ioredis';
import { createClientPool } from 'redis';
import { Prng } from '../resp/prng.js';
import { describeDistribution, ioredis, parseClientList, quitAll, startThreaded, withTimeout, type Threaded } from './threaded-server.js';

const POOL = 10;

describe('threads: ioredis and node-redis pools', () => {
  let server: Threaded;

  beforeAll(async () => {
    server = await startThreaded({}, 'client-pools');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`${POOL} ioredis clients, mixed commands at once`, async () => {
    const clients: Redis[] = await Promise.all(Array.from({ length: POOL }, () => ioredis(server)));
    try {
      const list = parseClientList((await clients[0]!.client('LIST')) as string);
      console.log(`[client-pools] ioredis: ${describeDistribution(list)}`);
      expect(list.length).toBeGreaterThanOrEqual(POOL);
      await clients[0]!.del('io:shared');
      const seed = Number(process.env.WASMDIS_SEED ?? (Date.now() & 0x7fffffff));
      console.log(`[client-pools] seed ${seed}`);

      const ROUNDS = 200;
      await Promise.all(
        clients.map(async (c, i) => {
          const rng = new Prng(seed + i);
          const model = new Map<string, string>();
          for (let round = 0; round < ROUNDS; round++) {
            const k = `io:${i}:${rng.int(8)}`;
            const v = `v${rng.int(1e6)}`;
            // several commands in flight at once on one client (ioredis queues them)
            const [set, got, len, appended, exists] = await Promise.all([
              c.set(k, v),
              c.get(k),
              c.strlen(k),
              c.append(k, '!'),
              c.exists(k, `io:${i}:none`),
              c.incr('io:shared'),
            ]);
            expect(set).toBe('OK');
            expect(got).toBe(v);
            expect(len).toBe(v.length);
            expect(appended).toBe(v.length + 1);
            expect(exists).toBe(1);
            model.set(k, `${v}!`);
            if (round % 20 === 19) {
              const pairs = [...model].flat();
              expect(await c.mset(...pairs)).toBe('OK');
              expect(await c.mget(...model.keys())).toEqual([...model.values()]);
              const victim = [...model.keys()][rng.int(model.size)]!;
              expect(await c.getdel(victim)).toBe(model.get(victim));
              model.delete(victim);
              expect(await c.expire(`io:${i}:x`, 100)).toBe(0);
              await c.set(`io:${i}:x`, '1', 'EX', 100);
              const ttl = await c.ttl(`io:${i}:x`);
              expect(ttl).toBeGreaterThan(90);
              expect(await c.incrbyfloat(`io:${i}:x`, '0.5')).toBe('1.5');
              await c.del(`io:${i}:x`);
            }
          }
          // this client's keys, read back through another client
          const other = clients[(i + 1) % POOL]!;
          for (const [k, v] of model) expect(await other.get(k)).toBe(v);
        }),
      );
      expect(await clients[0]!.get('io:shared')).toBe(String(POOL * ROUNDS));
    } finally {
      await quitAll(clients);
    }
  });

  it(`node-redis createClientPool (${POOL} clients), concurrent tasks`, async () => {
    const pool = createClientPool(
      { socket: { host: server.host, port: server.port, reconnectStrategy: false } },
      { minimum: POOL, maximum: POOL, acquireTimeout: 10_000 },
    );
    const errors: Error[] = [];
    pool.on('error', (e: Error) => errors.push(e));
    await pool.connect();
    try {
      await pool.flushAll();
      const TASKS = 300;
      const results = await Promise.all(
        Array.from({ length: TASKS }, (_, t) =>
          pool.execute(async (client) => {
            const k = `nr:${t}`;
            expect(await client.set(k, String(t))).toBe('OK');
            expect(await client.incrBy(k, 10)).toBe(t + 10);
            expect(await client.get(k)).toBe(String(t + 10));
            expect(await client.mGet([k, `nr:missing:${t}`])).toEqual([String(t + 10), null]);
            const id = (await client.sendCommand(['CLIENT', 'ID'])) as number;
            return { counter: await client.incr('nr:shared'), id };
          }),
        ),
      );
      const counters = results.map((r) => r.counter).sort((a, b) => a - b);
      expect(counters).toEqual(Array.from({ length: TASKS }, (_, i) => i + 1)); // each saw its own value
      const ids = new Set(results.map((r) => r.id));
      console.log(`[client-pools] node-redis: ${TASKS} tasks ran on ${ids.size} pooled connection(s); pool.totalClients=${pool.totalClients}`);
      expect(ids.size).toBeGreaterThan(1);
      expect(ids.size).toBeLessThanOrEqual(POOL);

      // commands through the pool itself, and every key visible from any pooled connection
      expect(await pool.get('nr:shared')).toBe(String(TASKS));
      expect(await pool.dbSize()).toBe(TASKS + 1);
      const values = await pool.mGet(Array.from({ length: TASKS }, (_, t) => `nr:${t}`));
      expect(values).toEqual(Array.from({ length: TASKS }, (_, t) => String(t + 10)));
      const list = parseClientList(String(await pool.sendCommand(['CLIENT', 'LIST'])));
      console.log(`[client-pools] node-redis: ${describeDistribution(list)}`);
      for (const id of ids) expect(list.some((f) => Number(f.id) === id), `CLIENT LIST lacks id=${id}`).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await withTimeout(pool.close(), 5000, 'pool.close()').catch(() => pool.destroy());
    }
  });
});
