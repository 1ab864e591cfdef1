/**
 * ioredis and node-redis (RESP2 and RESP3) against an in-process Engine through its duplex
 * streams (Engine.connect): no TCP. Several clients share one keyspace; each is its own session,
 * and closing one cleans up exactly as a TCP disconnect does.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { Engine } from '../../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry `check` until it passes (cleanup after a disconnect happens once the stream closes). */
async function eventually(check: () => Promise<void>, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try { await check(); return; } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(5);
    }
  }
}

// No TCP: every listen and every outgoing socket connect during this file is recorded.
const netCalls: string[] = [];
const origListen = net.Server.prototype.listen;
const origConnect = net.Socket.prototype.connect;
beforeAll(() => {
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    netCalls.push('listen');
    return (origListen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof origListen;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    netCalls.push('connect');
    return (origConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof origConnect;
});
afterAll(() => {
  net.Server.prototype.listen = origListen;
  net.Socket.prototype.connect = origConnect;
  expect(netCalls).toEqual([]);
});

/** Sessions the engine lists (CLIENT LIST), its own included. */
async function clientCount(engine: Engine): Promise<number> {
  return ((await engine.call('CLIENT', 'LIST')) as string).trim().split('\n').length;
}

describe('in-process duplex: raw stream', () => {
  it('answers RESP requests, keeps sessions apart, QUIT ends the stream', async () => {
    const engine = await Engine.create();
    const a = engine.connect();
    const b = engine.connect();
    const out: Buffer[] = [];
    a.on('data', (d: Buffer) => out.push(d));
    const ended = new Promise<void>((r) => a.once('close', () => r()));
    a.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n');
    a.write('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
    await ended;
    expect(Buffer.concat(out).toString()).toBe('+OK\r\n+OK\r\n$-1\r\n+OK\r\n');
    // b is still on db 0
    const bout: Buffer[] = [];
    b.on('data', (d: Buffer) => bout.push(d));
    b.write('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    await eventually(async () => expect(Buffer.concat(bout).toString()).toBe('$1\r\nv\r\n'));
    expect(typeof b.clientId).toBe('number');
    expect(b.clientId).not.toBe(a.clientId);
    engine.close();
    expect(b.destroyed).toBe(true);
  });

  it('refuses past maxclients with Redis\'s error', async () => {
    const engine = await Engine.create({ config: { maxclients: '1' } });
    const a = engine.connect();
    const b = engine.connect();
    const out: Buffer[] = [];
    b.on('data', (d: Buffer) => out.push(d));
    await new Promise<void>((r) => b.once('end', () => r()));
    expect(Buffer.concat(out).toString()).toBe('-ERR max number of clients reached\r\n');
    a.destroy();
    engine.close();
  });
});

describe('in-process duplex: ioredis', () => {
  let engine: Engine;
  const clients: Redis[] = [];
  const connect = async (extra: Record<string, unknown> = {}): Promise<Redis> => {
    const r = new Redis({ ...engine.ioredisOptions(), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...extra });
    r.on('error', () => { /* surfaced through rejections */ });
    await r.connect();
    clients.push(r);
    return r;
  };
  beforeAll(async () => { engine = await Engine.create(); });
  afterAll(() => {
    for (const c of clients) c.disconnect();
    engine.close();
  });

  it('SET/GET, errors with Redis\'s text, binary values', async () => {
    const r = await connect();
    expect(r.status).toBe('ready');
    expect(await r.set('k', 'v')).toBe('OK');
    expect(await r.get('k')).toBe('v');
    expect(await engine.call('GET', 'k')).toBe('v'); // one keyspace
    await expect(r.incr('k')).rejects.toThrow('ERR value is not an integer or out of range');
    await r.lpush('l', 'x');
    await expect(r.get('l')).rejects.toThrow('WRONGTYPE Operation against a key holding the wrong kind of value');
    await expect(r.call('NOSUCHCMD', 'a')).rejects.toThrow("ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' ");
    const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const key = Buffer.from([0, 13, 10, 255]);
    expect(await r.set(key, bin)).toBe('OK');
    expect((await r.getBuffer(key))!.equals(bin)).toBe(true);
    const big = Buffer.alloc(300_000, 0xab);
    await r.set('big', big);
    expect((await r.getBuffer('big'))!.equals(big)).toBe(true);
  });

  it('pipelines and MULTI/EXEC (with WATCH)', async () => {
    const r = await connect();
    const p = r.pipeline();
    for (let i = 0; i < 200; i++) p.set(`p${i}`, String(i));
    p.incr('p0').get('p199');
    const res = await p.exec();
    expect(res!.length).toBe(202);
    expect(res![200]).toEqual([null, 1]);
    expect(res![201]).toEqual([null, '199']);
    expect(await r.multi().set('t', '1').incr('t').get('t').exec()).toEqual([[null, 'OK'], [null, 2], [null, '2']]);
    const other = await connect();
    await r.watch('w');
    await other.set('w', 'changed');
    expect(await r.multi().set('w', 'mine').exec()).toBeNull();
    expect(await r.get('w')).toBe('changed');
  });

  it('a blocking BLPOP is served by another client', async () => {
    const a = await connect();
    const b = await connect();
    const waiting = a.blpop('q', 0);
    await sleep(10);
    expect(await b.rpush('q', 'x', 'y')).toBe(2);
    expect(await waiting).toEqual(['q', 'x']);
    expect(await b.lrange('q', 0, -1)).toEqual(['y']);
    // a times out with a nil reply
    expect(await a.blpop('none', 0.05)).toBeNull();
  });

  it('SUBSCRIBE + PUBLISH between two clients; disconnect drops the subscription', async () => {
    const sub = await connect();
    const pub = await connect();
    const got: string[] = [];
    sub.on('message', (ch: string, m: string) => got.push(`${ch}:${m}`));
    sub.on('pmessage', (pat: string, ch: string, m: string) => got.push(`${pat}>${ch}:${m}`));
    await sub.subscribe('news');
    await sub.psubscribe('n*');
    expect(await pub.publish('news', 'hello')).toBe(2);
    expect(await pub.pubsub('NUMSUB', 'news')).toEqual(['news', 1]);
    expect(await pub.pubsub('NUMPAT')).toBe(1);
    await eventually(async () => expect(got).toEqual(['news:hello', 'n*>news:hello']));
    sub.disconnect();
    await eventually(async () => expect(await pub.pubsub('NUMSUB', 'news')).toEqual(['news', 0]));
    expect(await pub.pubsub('NUMPAT')).toBe(0);
    expect(await pub.publish('news', 'nobody')).toBe(0);
  });

  it('QUIT / disconnect close the session as a TCP disconnect does', async () => {
    const before = await clientCount(engine);
    const a = await connect();
    const b = await connect();
    expect(await clientCount(engine)).toBe(before + 2);
    expect(await a.client('SETNAME', 'quitter')).toBe('OK');
    expect(await engine.call('CLIENT', 'LIST')).toMatch(/name=quitter /);
    expect(await a.quit()).toBe('OK');
    await eventually(async () => expect(await clientCount(engine)).toBe(before + 1));
    expect(await engine.call('CLIENT', 'LIST')).not.toMatch(/name=quitter /);
    // a client blocked in BLPOP disconnects: its wait is forgotten, a later push stays in the list
    const blocked = b.blpop('gone', 0).catch(() => 'closed');
    await sleep(10);
    expect(await engine.call('INFO', 'clients')).toMatch(/blocked_clients:1\r\n/);
    b.disconnect();
    expect(await blocked).toBe('closed');
    await eventually(async () => expect(await clientCount(engine)).toBe(before));
    expect(await engine.call('INFO', 'clients')).toMatch(/blocked_clients:0\r\n/);
    expect(await engine.call('RPUSH', 'gone', 'v')).toBe(1);
    expect(await engine.call('LLEN', 'gone')).toBe(1);
  });

  it('CLIENT KILL closes the stream; ioredis reconnects through a new in-process connection', async () => {
    const victim = await connect({ retryStrategy: () => 1 });
    const id = (await victim.client('ID')) as number;
    const killer = await connect();
    expect(await killer.client('KILL', 'ID', String(id))).toBe(1);
    await eventually(async () => {
      const nid = (await victim.client('ID')) as number;
      expect(nid).toBeGreaterThan(id);
    });
    expect(await victim.get('k')).toBe('v');
  });

  it('selects a database through the options', async () => {
    const r = await connect({ db: 3 });
    await r.set('only3', '1');
    expect(await engine.call('EXISTS', 'only3')).toBe(0);
    await engine.call('SELECT', '3');
    expect(await engine.call('EXISTS', 'only3')).toBe(1);
    await engine.call('SELECT', '0');
  });
});

for (const RESP of [2, 3] as const) {
  describe(`in-process duplex: node-redis RESP${RESP}`, () => {
    let engine: Engine;
    type Client = ReturnType<typeof createClient>;
    const clients: Client[] = [];
    const connect = async (): Promise<Client> => {
      const c = createClient({ ...engine.nodeRedisOptions(), RESP });
      c.on('error', () => { /* surfaced through rejections */ });
      await c.connect();
      clients.push(c);
      return c;
    };
    beforeAll(async () => { engine = await Engine.create(); });
    afterAll(() => {
      for (const c of clients) if (c.isOpen) c.destroy();
      engine.close();
    });

    it('SET/GET, errors with Redis\'s text, binary values', async () => {
      const c = await connect();
      expect(await c.set('k', 'v')).toBe('OK');
      expect(await c.get('k')).toBe('v');
      expect(await c.hello()).toMatchObject({ proto: RESP });
      await expect(c.incr('k')).rejects.toThrow('ERR value is not an integer or out of range');
      await c.lPush('l', 'x');
      await expect(c.get('l')).rejects.toThrow('WRONGTYPE Operation against a key holding the wrong kind of value');
      const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
      await c.set('bin', bin);
      const bc = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      expect((await bc.get('bin') as unknown as Buffer).equals(bin)).toBe(true);
      expect(await c.hSet('h', { a: '1', b: '2' })).toBe(2);
      expect(await c.hGetAll('h')).toEqual({ a: '1', b: '2' });
    });

    it('pipelines (one batch) and MULTI/EXEC', async () => {
      const c = await connect();
      const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => c.set(`p${i}`, String(i))));
      expect(replies.every((r) => r === 'OK')).toBe(true);
      expect(await c.mGet(['p0', 'p299', 'nope'])).toEqual(['0', '299', null]);
      expect(await c.multi().set('t', '1').incr('t').get('t').exec()).toEqual(['OK', 2, '2']);
      await expect(c.multi().set('t', '1').addCommand(['NOSUCHCMD']).exec()).rejects.toThrow(/unknown command 'NOSUCHCMD'/);
    });

    it('a blocking BLPOP is served by another client', async () => {
      const a = await connect();
      const b = await connect();
      const waiting = a.blPop('q', 0);
      await sleep(10);
      await b.rPush('q', ['x', 'y']);
      expect(await waiting).toEqual({ key: 'q', element: 'x' });
      expect(await b.lRange('q', 0, -1)).toEqual(['y']);
    });

    it('SUBSCRIBE + PUBLISH between two clients; destroy drops the subscription', async () => {
      const sub = await connect();
      const pub = await connect();
      const got: string[] = [];
      await sub.subscribe('news', (m, ch) => got.push(`${ch}:${m}`));
      expect(await pub.publish('news', 'hi')).toBe(1);
      expect(await pub.pubSubNumSub('news')).toEqual({ news: 1 });
      await eventually(async () => expect(got).toEqual(['news:hi']));
      sub.destroy();
      await eventually(async () => expect(await pub.pubSubNumSub('news')).toEqual({ news: 0 }));
    });

    it('close / QUIT remove the session (CLIENT LIST)', async () => {
      const before = await clientCount(engine);
      const a = await connect();
      const b = await connect();
      expect(await clientCount(engine)).toBe(before + 2);
      await a.close();
      await eventually(async () => expect(await clientCount(engine)).toBe(before + 1));
      expect(await b.quit()).toBe('OK'); // QUIT (quit() keeps node-redis from reconnecting)
      await eventually(async () => expect(await clientCount(engine)).toBe(before));
    });
  });
}
