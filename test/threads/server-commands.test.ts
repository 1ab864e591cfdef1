/**
 * Threads (issue #3): server commands see and reach every worker. CLIENT LIST / ID / KILL,
 * INFO clients, CONFIG SET, DBSIZE / FLUSHALL / FLUSHDB / SWAPDB and SHUTDOWN must behave as
 * on one thread whichever worker the connection issuing them is on.
 *
 * Which worker serves a connection is the kernel's choice, so the tests use several
 * connections and, when CLIENT LIST shows the worker, pick pairs on different workers and log
 * whether they found one.
 */
import net from 'node:net';
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { decodeReply } from '../../src/resp/reply-decoder.js';
import { RawClient, escapeBytes, type Arg } from '../helpers/raw-client.js';
import {
  describeDistribution,
  eventually,
  parseClientList,
  startThreaded,
  withTimeout,
  workerOf,
  type Threaded,
} from './threaded-server.js';

const N = 6;

/** Send one command and decode its reply (errors as ReplyError values, not thrown). */
async function call(c: RawClient, ...args: Arg[]): Promise<unknown> {
  const raw = await c.send(...args);
  const d = decodeReply(raw, 0, { stringify: true });
  if (!d) throw new Error(`incomplete reply ${escapeBytes(raw)}`);
  return d.value;
}

function errorText(v: unknown): string | undefined {
  return v instanceof Error ? v.message : undefined;
}

async function clientList(c: RawClient): Promise<Record<string, string>[]> {
  return parseClientList((await call(c, 'CLIENT', 'LIST')) as string);
}

async function infoField(c: RawClient, section: string, field: string): Promise<string | undefined> {
  const text = (await call(c, 'INFO', section)) as string;
  return new RegExp(`^${field}:(.*)$`, 'm').exec(text)?.[1]?.trim();
}

describe('threads: server commands across workers', () => {
  let server: Threaded;
  let conns: RawClient[] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    server = await startThreaded({}, 'server-commands');
  });
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await server?.stop();
  });
  beforeEach(async () => {
    // a fresh set of named connections for every test
    await Promise.all(conns.map((c) => c.close()));
    conns = await Promise.all(Array.from({ length: N }, () => RawClient.connect(server.port, { host: server.host })));
    ids = (await Promise.all(conns.map((c) => call(c, 'CLIENT', 'ID')))) as number[];
    await Promise.all(conns.map((c, i) => call(c, 'CLIENT', 'SETNAME', `c${i}`)));
    await call(conns[0]!, 'FLUSHALL');
    // connections of the previous test are gone (their close may still be in flight)
    expect(await eventually(async () => (await clientList(conns[0]!)).length === N, 2000)).toBe(true);
  });

  it('CLIENT ID is unique across workers; every CLIENT LIST shows all connections with their names', async () => {
    expect(new Set(ids).size).toBe(N);
    for (const id of ids) expect(Number.isInteger(id) && id > 0).toBe(true);
    const first = await clientList(conns[0]!);
    console.log(`[server-commands] ${describeDistribution(first)}`);
    for (let i = 0; i < N; i++) {
      const list = await clientList(conns[i]!);
      expect(list.map((f) => f.name).sort(), `CLIENT LIST on c${i}`).toEqual(Array.from({ length: N }, (_, j) => `c${j}`));
      for (let j = 0; j < N; j++) {
        const line = list.find((f) => f.name === `c${j}`)!;
        expect(Number(line.id), `id of c${j} in CLIENT LIST on c${i}`).toBe(ids[j]);
      }
      // CLIENT LIST ID filters across workers too
      const one = parseClientList((await call(conns[i]!, 'CLIENT', 'LIST', 'ID', ids[(i + 3) % N]!)) as string);
      expect(one.map((f) => f.name)).toEqual([`c${(i + 3) % N}`]);
    }
    // the db= field of a connection on another worker is current
    expect(await call(conns[0]!, 'SELECT', 3)).toBe('OK');
    for (let i = 1; i < N; i++) {
      const line = (await clientList(conns[i]!)).find((f) => f.name === 'c0')!;
      expect(line.db, `db of c0 seen from c${i}`).toBe('3');
    }
  });

  it('INFO clients connected_clients counts every worker\'s connections', async () => {
    for (const c of conns) expect(await infoField(c, 'clients', 'connected_clients')).toBe(String(N));
    const extra = await RawClient.connect(server.port, { host: server.host });
    try {
      await call(extra, 'PING');
      for (const c of conns) expect(await infoField(c, 'clients', 'connected_clients')).toBe(String(N + 1));
    } finally {
      await extra.close();
    }
    expect(await eventually(async () => (await infoField(conns[0]!, 'clients', 'connected_clients')) === String(N))).toBe(true);
  });

  it('INFO stats adds up every worker\'s counters', async () => {
    const before = Number(await infoField(conns[0]!, 'stats', 'total_connections_received'));
    const inBefore = Number(await infoField(conns[0]!, 'stats', 'total_net_input_bytes'));
    const extra = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect(server.port, { host: server.host })));
    try {
      const payload = 'x'.repeat(10_000);
      await Promise.all(extra.map((c) => call(c, 'ECHO', payload)));
      // traffic counters are batched per thread and shared every 100 ms
      await new Promise((r) => setTimeout(r, 250));
      for (let i = 0; i < N; i++) {
        expect(Number(await infoField(conns[i]!, 'stats', 'total_connections_received')), `seen from c${i}`).toBe(before + 4);
        // every extra connection's ECHO counted, whichever worker read it
        expect(Number(await infoField(conns[i]!, 'stats', 'total_net_input_bytes')) - inBefore).toBeGreaterThan(4 * 10_000);
      }
    } finally {
      await Promise.all(extra.map((c) => c.close()));
    }
  });

  it('CLIENT KILL ID / ADDR close a connection on any worker', async () => {
    const list = await clientList(conns[0]!);
    const worker = (i: number) => workerOf(list.find((f) => f.name === `c${i}`)!);
    // pick (killer, victim) pairs on different workers when the server says which is which
    const pairs: [number, number][] = [];
    const used = new Set<number>();
    for (let k = 0; k < N; k++) {
      for (let v = 0; v < N; v++) {
        if (k === v || used.has(k) || used.has(v) || pairs.length >= 2) continue;
        if (worker(k) !== undefined && worker(k) === worker(v)) continue;
        pairs.push([k, v]);
        used.add(k).add(v);
      }
    }
    while (pairs.length < 2) {
      const k = [...Array(N).keys()].find((i) => !used.has(i))!;
      used.add(k);
      const v = [...Array(N).keys()].find((i) => !used.has(i))!;
      used.add(v);
      pairs.push([k, v]);
    }
    console.log(
      `[server-commands] CLIENT KILL pairs (killer → victim): ${pairs
        .map(([k, v]) => `c${k}${worker(k) ? ` (${worker(k)})` : ''} → c${v}${worker(v) ? ` (${worker(v)})` : ''}`)
        .join(', ')}`,
    );

    const [byId, byAddr] = pairs as [[number, number], [number, number]];
    expect(await call(conns[byId[0]]!, 'CLIENT', 'KILL', 'ID', ids[byId[1]]!)).toBe(1);
    expect(await conns[byId[1]]!.waitClosed(2000), `c${byId[1]} closed after CLIENT KILL ID`).toBe(true);

    const victim = conns[byAddr[1]]!;
    const addr = `127.0.0.1:${victim.socket.localPort}`;
    expect(await call(conns[byAddr[0]]!, 'CLIENT', 'KILL', 'ADDR', addr)).toBe(1);
    expect(await victim.waitClosed(2000), `c${byAddr[1]} closed after CLIENT KILL ADDR`).toBe(true);

    // gone from every connection's view
    const alive = [...Array(N).keys()].filter((i) => i !== byId[1] && i !== byAddr[1]);
    for (const i of alive) {
      const ok = await eventually(async () => (await clientList(conns[i]!)).length === N - 2);
      expect(ok, `CLIENT LIST on c${i} still shows killed clients`).toBe(true);
      expect(await infoField(conns[i]!, 'clients', 'connected_clients')).toBe(String(N - 2));
    }
    // killing a killed or unknown id: the filter form counts, the old form errs
    expect(await call(conns[alive[0]!]!, 'CLIENT', 'KILL', 'ID', ids[byId[1]]!)).toBe(0);
    expect(await call(conns[alive[0]!]!, 'CLIENT', 'KILL', 'ID', 999_999)).toBe(0);
    expect(errorText(await call(conns[alive[0]!]!, 'CLIENT', 'KILL', addr))).toBe('ERR No such client');
    // the old form (CLIENT KILL ip:port) across workers
    const last = alive[alive.length - 1]!;
    const lastAddr = `127.0.0.1:${conns[last]!.socket.localPort}`;
    expect(await call(conns[alive[0]!]!, 'CLIENT', 'KILL', lastAddr)).toBe('OK');
    expect(await conns[last]!.waitClosed(2000), `c${last} closed after CLIENT KILL ip:port`).toBe(true);
    alive.pop();
    // the survivors still work
    for (const i of alive) expect(await call(conns[i]!, 'PING')).toBe('PONG');
  });

  it('CONFIG SET on one connection is seen by CONFIG GET on all others', async () => {
    for (const [setter, value] of [
      [0, 'allkeys-lru'],
      [N - 1, 'volatile-ttl'],
      [2, 'noeviction'],
    ] as const) {
      expect(await call(conns[setter]!, 'CONFIG', 'SET', 'maxmemory-policy', value)).toBe('OK');
      for (let i = 0; i < N; i++) {
        const seen = await eventually(async () => {
          const r = (await call(conns[i]!, 'CONFIG', 'GET', 'maxmemory-policy')) as string[];
          return r[1] === value;
        });
        expect(seen, `c${i} sees maxmemory-policy ${value} set on c${setter}`).toBe(true);
      }
    }
  });

  it('CONFIG SET maxmemory takes effect on every worker', async () => {
    expect(await call(conns[0]!, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction')).toBe('OK');
    expect(await call(conns[0]!, 'CONFIG', 'SET', 'maxmemory', '1')).toBe('OK');
    try {
      for (let i = 0; i < N; i++) {
        const refused = await eventually(async () => (errorText(await call(conns[i]!, 'SET', `mm:${i}`, 'x')) ?? '').startsWith('OOM'));
        expect(refused, `SET on c${i} refused with OOM after maxmemory 1`).toBe(true);
      }
    } finally {
      expect(await call(conns[N - 1]!, 'CONFIG', 'SET', 'maxmemory', '0')).toBe('OK');
    }
    for (let i = 0; i < N; i++) {
      const accepted = await eventually(async () => (await call(conns[i]!, 'SET', `mm:${i}`, 'x')) === 'OK');
      expect(accepted, `SET on c${i} accepted after maxmemory 0`).toBe(true);
    }
  });

  it('a CONFIG SET takes effect at once and stays: other workers mirroring older changes never undo it', async () => {
    // every thread hears about every change, some time later; before this was fixed each one also
    // wrote the engine's shared copy on hearing it, so an old "maxmemory 0" could land after a
    // newer "maxmemory 1" and let the SET right behind it through
    expect(await call(conns[0]!, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction')).toBe('OK');
    try {
      for (let round = 0; round < 200; round++) {
        const c = conns[round % N]!;
        const [, , set] = await c.pipeline([['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'maxmemory', '1'], ['SET', 'race', 'x']]);
        expect(set!.toString('latin1').startsWith('-OOM'), `round ${round}: ${set!.toString('latin1')}`).toBe(true);
      }
    } finally {
      expect(await call(conns[0]!, 'CONFIG', 'SET', 'maxmemory', '0')).toBe('OK');
    }
  });

  it('DBSIZE, FLUSHDB, FLUSHALL and SWAPDB are consistent from every connection', async () => {
    await Promise.all(conns.map((c, i) => c.pipeline(Array.from({ length: 10 }, (_, j) => ['SET', `c${i}:${j}`, `${i}.${j}`]))));
    for (const c of conns) expect(await call(c, 'DBSIZE')).toBe(N * 10);
    for (const c of conns) expect(await infoField(c, 'keyspace', 'db0')).toMatch(new RegExp(`^keys=${N * 10},expires=0`));

    // database 1 from c0; the others stay in database 0
    expect(await call(conns[0]!, 'SELECT', 1)).toBe('OK');
    for (let j = 0; j < 5; j++) await call(conns[0]!, 'SET', `db1:${j}`, 'x');
    expect(await call(conns[0]!, 'DBSIZE')).toBe(5);
    for (let i = 1; i < N; i++) expect(await call(conns[i]!, 'DBSIZE')).toBe(N * 10);
    expect(await call(conns[1]!, 'GET', 'db1:0')).toBeNull();

    // SWAPDB from c1: c0 (in db 1) now sees the 60 keys, the others see 5
    expect(await call(conns[1]!, 'SWAPDB', 0, 1)).toBe('OK');
    expect(await call(conns[0]!, 'DBSIZE')).toBe(N * 10);
    for (let i = 1; i < N; i++) expect(await call(conns[i]!, 'DBSIZE')).toBe(5);
    expect(await call(conns[N - 1]!, 'GET', 'db1:0')).toBe('x');
    expect(await call(conns[1]!, 'SWAPDB', 0, 1)).toBe('OK');

    // FLUSHDB from c0 empties database 1 only
    expect(await call(conns[0]!, 'FLUSHDB')).toBe('OK');
    expect(await call(conns[0]!, 'DBSIZE')).toBe(0);
    for (let i = 1; i < N; i++) expect(await call(conns[i]!, 'DBSIZE')).toBe(N * 10);

    // FLUSHALL from c3 empties everything, seen by everyone
    await call(conns[0]!, 'SET', 'db1:again', 'x');
    expect(await call(conns[3]!, 'FLUSHALL')).toBe('OK');
    for (const c of conns) expect(await call(c, 'DBSIZE')).toBe(0);
    for (let i = 1; i < N; i++) expect(await call(conns[i]!, 'GET', `c${i}:0`)).toBeNull();
    // and every connection can write again
    await Promise.all(conns.map((c, i) => call(c, 'SET', `after:${i}`, i)));
    expect(await call(conns[0]!, 'DBSIZE')).toBe(1); // c0 is in database 1
    for (let i = 1; i < N; i++) expect(await call(conns[i]!, 'DBSIZE')).toBe(N - 1);
  });
});

describe('threads: SHUTDOWN from a connection stops the whole server', () => {
  it('closed resolves, every connection is closed, the port refuses new ones', async () => {
    const server = await startThreaded({}, 'server-commands shutdown');
    const conns: RawClient[] = [];
    try {
      for (let i = 0; i < N; i++) conns.push(await RawClient.connect(server.port, { host: server.host }));
      await Promise.all(conns.map((c) => call(c, 'SET', `k${conns.indexOf(c)}`, 'v')));
      console.log(`[server-commands] before SHUTDOWN: ${describeDistribution(await clientList(conns[0]!))}`);
      let closedResolved = false;
      void server.handle.closed.then(() => (closedResolved = true));

      // SHUTDOWN from the last connection (any worker): no reply, the connection closes
      conns[N - 1]!.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
      await withTimeout(server.handle.closed, 10_000, 'ServerHandle.closed after SHUTDOWN');
      expect(closedResolved).toBe(true);
      for (let i = 0; i < N; i++) expect(await conns[i]!.waitClosed(3000), `c${i} closed after SHUTDOWN`).toBe(true);

      const refused = await new Promise<boolean>((resolve) => {
        const s = net.createConnection({ host: server.host, port: server.port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused, 'a new connection after SHUTDOWN').toBe(true);
      // close() after SHUTDOWN is harmless
      await server.stop();
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await server.stop().catch(() => undefined);
    }
  });
});
