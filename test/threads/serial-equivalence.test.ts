/**
 * Threads (issue #3): random workloads from several connections at once give the same result
 * as running them one after another on a single-thread engine.
 *
 * Each connection works on its own keys (prefix c<N>:, in databases 0 and 1, switching with
 * SELECT) plus one shared counter it only ever changes with INCRBY. With disjoint keys every
 * serial order consistent with each connection's own order gives the same result, and the
 * counter's sums do not depend on the order at all, so replaying connection after connection
 * on a fresh `Engine` is a valid serial order. Checked:
 * - every reply of every connection (exact RESP bytes) equals the replay's reply, except the
 *   shared counter's INCRBY replies (those depend on the interleaving);
 * - the final state (every key in databases 0 and 1, its value, EXPIRETIME and whether TTL > 0)
 *   equals the replay's.
 * Expiry times are absolute and far in the future (or in the past, which deletes at once), so
 * nothing depends on the clock. WASMDIS_SEED=<n> reproduces a run.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Engine } from '../../src/index.js';
import { decodeReply } from '../../src/resp/reply-decoder.js';
import { RawClient, escapeBytes, type Arg } from '../helpers/raw-client.js';
import { Prng } from '../resp/prng.js';
import { startThreaded, type Threaded } from './threaded-server.js';

const CONNECTIONS = 4;
const COMMANDS = 3000;
const MAX_BATCH = 40;
const SHARED = 'shared';

interface Cmd {
  args: string[];
  /** false: the reply depends on the other connections (shared counter) */
  compare: boolean;
}

/** One connection's random command list over its own keys. */
function workload(conn: number, rng: Prng, timeBase: number): Cmd[] {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `c${conn}:${k}`);
  const key = () => rng.pick(keys);
  const two = (): [string, string] => {
    const a = key();
    let b = key();
    while (b === a) b = key();
    return [a, b];
  };
  const value = (): string => {
    switch (rng.int(5)) {
      case 0:
        return String(rng.range(-1000, 1000));
      case 1:
        return `${rng.range(-50, 50)}.${rng.int(100)}`;
      case 2:
        return 'x'.repeat(rng.range(0, 80));
      default:
        return `v${rng.int(1_000_000)}`;
    }
  };
  const secs = () => String(rng.int(30) === 0 ? 1 : timeBase + rng.int(1000));
  const ms = () => String(rng.int(30) === 0 ? 1000 : (timeBase + rng.int(1000)) * 1000 + rng.int(1000));
  const gens: (() => string[])[] = [
    () => ['SET', key(), value()],
    () => ['SET', key(), value(), rng.pick(['NX', 'XX', 'GET', 'KEEPTTL'])],
    () => ['SET', key(), value(), rng.pick(['EXAT', 'PXAT']), rng.int(2) ? secs() : ms()],
    () => ['GET', key()],
    () => ['GETDEL', key()],
    () => (rng.int(2) ? ['GETEX', key(), 'PERSIST'] : ['GETEX', key(), 'EXAT', secs()]),
    () => ['GETSET', key(), value()],
    () => ['SETNX', key(), value()],
    () => ['APPEND', key(), value()],
    () => ['STRLEN', key()],
    () => ['GETRANGE', key(), String(rng.range(-5, 5)), String(rng.range(-5, 20))],
    () => ['SETRANGE', key(), String(rng.int(20)), value()],
    () => ['INCR', key()],
    () => ['DECR', key()],
    () => ['INCRBY', key(), String(rng.range(-100, 100))],
    () => ['DECRBY', key(), String(rng.range(-100, 100))],
    () => ['INCRBYFLOAT', key(), `${rng.range(-5, 5)}.${rng.int(10)}`],
    () => ['MSET', ...two().flatMap((k) => [k, value()])],
    () => ['MSETNX', ...two().flatMap((k) => [k, value()])],
    () => ['MGET', key(), key(), key()],
    () => ['DEL', ...two()],
    () => ['UNLINK', key()],
    () => ['EXISTS', key(), key(), key()],
    () => ['TYPE', key()],
    () => ['TOUCH', key(), key()],
    () => ['EXPIREAT', key(), secs(), ...(rng.int(2) ? [rng.pick(['NX', 'XX', 'GT', 'LT'])] : [])],
    () => ['PEXPIREAT', key(), ms()],
    () => ['PERSIST', key()],
    () => ['EXPIRETIME', key()],
    () => ['PEXPIRETIME', key()],
    () => ['RENAME', ...two()],
    () => ['RENAMENX', ...two()],
    () => ['COPY', ...two(), ...(rng.int(2) ? ['DB', String(rng.int(2))] : []), ...(rng.int(2) ? ['REPLACE'] : [])],
    () => ['MOVE', key(), String(rng.int(2))],
    () => ['LCS', ...two()],
    () => ['OBJECT', 'ENCODING', key()],
    () => ['SELECT', String(rng.int(2))],
  ];
  const cmds: Cmd[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    if (rng.int(8) === 0) cmds.push({ args: ['INCRBY', SHARED, String(rng.range(1, 100))], compare: false });
    else cmds.push({ args: rng.pick(gens)(), compare: true });
  }
  return cmds;
}

type Call = (args: Arg[]) => Promise<Buffer>;

function decode(buf: Buffer): unknown {
  const d = decodeReply(buf, 0, { stringify: true });
  if (!d) throw new Error(`incomplete reply ${escapeBytes(buf)}`);
  return d.value;
}

/** Every key of databases 0 and 1 with its value, EXPIRETIME and TTL > 0, sorted. */
async function snapshot(call: Call): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const db of [0, 1]) {
    expect(decode(await call(['SELECT', db]))).toBe('OK');
    const keys = (decode(await call(['KEYS', '*'])) as string[]).sort();
    for (const k of keys) {
      const ttl = decode(await call(['TTL', k])) as number;
      out[`${db}/${k}`] = {
        value: decode(await call(['GET', k])),
        expiretime: decode(await call(['EXPIRETIME', k])),
        ttlPositive: ttl > 0,
      };
    }
  }
  await call(['SELECT', 0]);
  return out;
}

describe('threads: random workloads equal their serial replay', () => {
  let server: Threaded;
  let clients: RawClient[] = [];

  beforeAll(async () => {
    server = await startThreaded({}, 'serial-equivalence');
    clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => RawClient.connect(server.port, { host: server.host })));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });

  it(`${CONNECTIONS} connections × ${COMMANDS} commands, disjoint keys + one shared INCRBY counter`, async () => {
    const seed = Number(process.env.WASMDIS_SEED ?? (Date.now() & 0x7fffffff));
    console.log(`[serial-equivalence] seed ${seed} (WASMDIS_SEED=${seed} reproduces this run)`);
    const timeBase = Math.floor(Date.now() / 1000) + 100_000;
    const workloads = Array.from({ length: CONNECTIONS }, (_, c) => workload(c, new Prng(seed * 31 + c), timeBase));

    // live: all connections at once, each in pipelined batches of random length
    const live = await Promise.all(
      clients.map(async (client, c) => {
        const rng = new Prng(seed ^ (0x5bd1e995 + c));
        const cmds = workloads[c]!;
        const replies: Buffer[] = [];
        for (let i = 0; i < cmds.length; ) {
          const n = Math.min(rng.range(1, MAX_BATCH), cmds.length - i);
          replies.push(...(await client.pipeline(cmds.slice(i, i + n).map((x) => x.args))));
          i += n;
        }
        return replies;
      }),
    );
    const liveState = await snapshot((args) => clients[0]!.send(...args));

    // replay: connection after connection on one fresh single-thread engine
    const engine = await Engine.create();
    try {
      const mismatches: string[] = [];
      for (let c = 0; c < CONNECTIONS; c++) {
        await engine.callRaw(['SELECT', '0']); // every connection starts in database 0
        const cmds = workloads[c]!;
        for (let i = 0; i < cmds.length; i++) {
          const reply = await engine.callRaw(cmds[i]!.args);
          if (cmds[i]!.compare && !reply.equals(live[c]![i]!) && mismatches.length < 5) {
            mismatches.push(
              `connection ${c} command ${i} ${cmds[i]!.args.join(' ').slice(0, 120)}: ` +
                `threaded ${escapeBytes(live[c]![i]!, 120)} vs serial ${escapeBytes(reply, 120)}`,
            );
          }
        }
      }
      const serialState = await snapshot((args) => engine.callRaw(args));
      expect(mismatches).toEqual([]);
      expect(Object.keys(liveState).length).toBeGreaterThan(CONNECTIONS); // the workload left something
      expect(liveState).toEqual(serialState);
      const shared = liveState[`0/${SHARED}`] as { value: string } | undefined;
      console.log(`[serial-equivalence] ${Object.keys(liveState).length} keys at the end; shared counter (db 0) = ${shared?.value}`);
    } finally {
      engine.close();
    }
  });
});
