/**
 * Threads (issue #3): many connections, spread over the workers by the kernel, increment one
 * key at once. Every increment must land exactly once, and every reply must be a value no
 * other increment saw: the keyspace behaves as if the commands ran one at a time.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { encodeCommand } from '../../src/index.js';
import {
  describeDistribution,
  describeServerCpu,
  parseClientList,
  PipeClient,
  startThreaded,
  threadCpu,
  type Threaded,
} from './threaded-server.js';

const CONNECTIONS = 8;
const PER_CONNECTION = 5000;
/** Commands per pipeline: several round trips per connection, so the workers interleave. */
const BATCH = 100;
/** Every fifth command is INCRBY by this much instead of INCR. */
const INCRBY = 7;

/** `n` commands from `make(i)` as one buffer. */
function batch(n: number, make: (i: number) => string[]): Buffer {
  return Buffer.concat(Array.from({ length: n }, (_, i) => encodeCommand(make(i))));
}

describe('threads: concurrent increments of one key', () => {
  let server: Threaded;
  let clients: PipeClient[] = [];
  const one = async (c: PipeClient, ...args: string[]) => (await c.run(encodeCommand(args), 1))[0]!;

  beforeAll(async () => {
    server = await startThreaded({}, 'concurrent-incr');
    clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => PipeClient.connect(server)));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });

  it('every connection is listed by CLIENT LIST, whichever worker serves it', async () => {
    const ids = await Promise.all(clients.map(async (c) => Number(await one(c, 'CLIENT', 'ID'))));
    expect(new Set(ids).size).toBe(CONNECTIONS);
    const list = parseClientList(await one(clients[0]!, 'CLIENT', 'LIST'));
    console.log(`[concurrent-incr] ${describeDistribution(list)}`);
    const listed = new Set(list.map((f) => Number(f.id)));
    for (const id of ids) expect(listed.has(id), `CLIENT LIST lacks id=${id}`).toBe(true);
    expect(list.length).toBe(CONNECTIONS);
  });

  /** Every connection sends PER_CONNECTION commands in BATCH-sized pipelines, all at once. */
  async function hammer(make: (i: number) => string[]): Promise<string[][]> {
    const full = batch(BATCH, make);
    const cpuBefore = threadCpu();
    const replies = await Promise.all(
      clients.map(async (c) => {
        const seen: string[] = [];
        for (let start = 0; start < PER_CONNECTION; start += BATCH) seen.push(...(await c.run(full, BATCH)));
        return seen;
      }),
    );
    console.log(`[concurrent-incr] CPU of the server's threads: ${describeServerCpu(server, cpuBefore, threadCpu())}`);
    for (const seen of replies) {
      expect(seen.length).toBe(PER_CONNECTION);
      const err = seen.find((r) => r.startsWith('-'));
      if (err) expect.fail(`error reply: ${err}`);
    }
    return replies;
  }

  /** One connection's replies only grow (its commands run in order); no two are equal. */
  function checkReplies(replies: string[][]): void {
    const all = new Set<number>();
    for (const seen of replies) {
      for (let i = 1; i < seen.length; i++) {
        if (!(Number(seen[i]) > Number(seen[i - 1]))) expect.fail(`reply ${i} (${seen[i]}) not above reply ${i - 1} (${seen[i - 1]})`);
      }
      for (const v of seen) all.add(Number(v));
    }
    // each increment saw its own value: no two increments read the same old value
    expect(all.size).toBe(CONNECTIONS * PER_CONNECTION);
  }

  it(`INCR/INCRBY: ${CONNECTIONS} × ${PER_CONNECTION} pipelined increments end at the exact total`, async () => {
    const key = 'counter';
    await one(clients[0]!, 'DEL', key);
    let expected = 0;
    for (let i = 0; i < PER_CONNECTION; i++) expected += i % 5 === 4 ? INCRBY : 1;
    expected *= CONNECTIONS;
    // BATCH is a multiple of 5, so every batch has the same mix
    const replies = await hammer((i) => (i % 5 === 4 ? ['INCRBY', key, String(INCRBY)] : ['INCR', key]));
    expect(Number(await one(clients[CONNECTIONS - 1]!, 'GET', key))).toBe(expected);
    checkReplies(replies);
    expect(Math.max(...replies.flat().map(Number))).toBe(expected);
  });

  it(`INCRBYFLOAT: ${CONNECTIONS} × ${PER_CONNECTION} increments of 0.5 end at the exact sum`, async () => {
    const key = 'float-counter';
    await one(clients[0]!, 'DEL', key);
    const replies = await hammer(() => ['INCRBYFLOAT', key, '0.5']);
    expect(await one(clients[CONNECTIONS - 1]!, 'GET', key)).toBe(String(CONNECTIONS * PER_CONNECTION * 0.5));
    checkReplies(replies);
  });

  it('INCR and INCRBYFLOAT interleaved on one key from every connection', async () => {
    const key = 'mixed-counter';
    await one(clients[0]!, 'SET', key, '0');
    // INCRBYFLOAT leaves "N" for whole numbers, so INCR keeps working on the same key
    await hammer((i) => (i % 2 === 0 ? ['INCRBYFLOAT', key, '2'] : ['INCR', key]));
    expect(await one(clients[0]!, 'GET', key)).toBe(String((CONNECTIONS * PER_CONNECTION * 3) / 2));
  });
});
