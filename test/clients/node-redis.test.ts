/**
 * node-redis v5 against the target, in RESP2 and in RESP3 (`createClient({ RESP: 3 })`, which
 * connects with HELLO 3).
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createClient, RESP_TYPES } from 'redis';
import { useTarget } from '../helpers/targets.js';

type Client = ReturnType<typeof createClient>;

for (const RESP of [2, 3] as const) {
  describe(`client: node-redis v5 (RESP${RESP})`, () => {
    const target = useTarget();
    let client: Client;
    const errors: Error[] = [];

    const connect = async (database = 0): Promise<Client> => {
      const t = target();
      const c = createClient({
        socket: { host: t.host, port: t.port, reconnectStrategy: false },
        RESP,
        database,
      });
      c.on('error', (e: Error) => errors.push(e));
      await c.connect();
      return c;
    };

    beforeAll(async () => {
      client = await connect();
    });
    afterAll(async () => {
      if (client?.isOpen) await client.close();
    });
    beforeEach(async () => {
      await client.flushAll();
    });

    it('connects and PINGs', async () => {
      expect(client.isReady).toBe(true);
      expect(await client.ping()).toBe('PONG');
      expect(await client.echo('x y')).toBe('x y');
      expect(await client.sendCommand(['PING', 'raw'])).toBe('raw');
      expect(errors).toEqual([]);
    });

    it('HELLO reports the protocol in use', async () => {
      const hello = (await client.sendCommand(['HELLO'])) as unknown;
      // RESP3 decodes maps to objects, RESP2 gets a flat array
      if (RESP === 3) {
        expect(hello).toMatchObject({ server: 'redis', proto: 3 });
      } else {
        const arr = hello as unknown[];
        expect(arr[arr.indexOf('proto') + 1]).toBe(2);
      }
    });

    it('SET/GET with options', async () => {
      expect(await client.set('k', 'v')).toBe('OK');
      expect(await client.get('k')).toBe('v');
      expect(await client.get('missing')).toBeNull();
      expect(await client.set('k', 'v2', { condition: 'NX' })).toBeNull();
      expect(await client.set('k', 'v2', { condition: 'XX' })).toBe('OK');
      expect(await client.set('k', 'v3', { GET: true })).toBe('v2');
      expect(await client.set('e', 'x', { expiration: { type: 'EX', value: 100 } })).toBe('OK');
      const ttl = await client.ttl('e');
      expect(ttl).toBeGreaterThanOrEqual(99);
      expect(ttl).toBeLessThanOrEqual(100);
      expect(await client.setNX('nx', '1')).toBe(1);
      expect(await client.setNX('nx', '2')).toBe(0);
      expect(await client.setEx('sx', 100, 'v')).toBe('OK');
      expect(await client.pSetEx('psx', 100_000, 'v')).toBe('OK');
      expect(await client.getSet('k', 'new')).toBe('v3');
      expect(await client.getDel('k')).toBe('new');
      expect(await client.getEx('sx', { type: 'PERSIST' })).toBe('v');
      expect(await client.ttl('sx')).toBe(-1);
    });

    it('INCR family, INCRBYFLOAT, errors', async () => {
      expect(await client.incr('c')).toBe(1);
      expect(await client.incrBy('c', 10)).toBe(11);
      expect(await client.decr('c')).toBe(10);
      expect(await client.decrBy('c', 4)).toBe(6);
      expect(String(await client.incrByFloat('f', 1.5))).toBe('1.5');
      await client.set('s', 'abc');
      await expect(client.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
      await expect(client.sendCommand(['NOSUCHCOMMAND', 'a'])).rejects.toThrow(
        "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' ",
      );
    });

    it('WRONGTYPE error (needs RPUSH)', async (ctx) => {
      const info = (await client.sendCommand(['COMMAND', 'INFO', 'RPUSH'])) as unknown[];
      if (info[0] === null) {
        console.warn('[node-redis] NOTICE: skipping WRONGTYPE test: the target does not implement RPUSH yet');
        ctx.skip();
        return;
      }
      await client.rPush('l', 'a');
      await expect(client.get('l')).rejects.toThrow(/^WRONGTYPE Operation against a key holding the wrong kind of value/);
    });

    it('MGET/MSET, APPEND, STRLEN, GETRANGE/SETRANGE, LCS', async () => {
      expect(await client.mSet({ a: '1', b: '2' })).toBe('OK');
      expect(await client.mGet(['a', 'missing', 'b'])).toEqual(['1', null, '2']);
      expect(await client.mSetNX({ a: 'x', z: 'y' })).toBe(0);
      expect(await client.append('s', 'hello')).toBe(5);
      expect(await client.strLen('s')).toBe(5);
      expect(await client.getRange('s', 1, 3)).toBe('ell');
      expect(await client.setRange('s', 5, ' world')).toBe(11);
      await client.mSet({ k1: 'ohmytext', k2: 'mynewtext' });
      expect(await client.lcs('k1', 'k2')).toBe('mytext');
      expect(await client.lcsLen('k1', 'k2')).toBe(6);
      const idx = (await client.sendCommand(['LCS', 'k1', 'k2', 'IDX'])) as unknown;
      if (RESP === 3) expect(idx).toMatchObject({ len: 6 });
      else expect((idx as unknown[])[3]).toBe(6);
    });

    it('keys: EXPIRE/TTL, PEXPIRE/PTTL, PERSIST, TYPE, RENAME, COPY, SCAN iterator, DBSIZE', async () => {
      await client.set('k', 'v');
      expect(await client.expire('k', 100)).toBe(1);
      expect(await client.pExpire('k', 200_000)).toBe(1);
      const pttl = await client.pTTL('k');
      expect(pttl).toBeGreaterThan(190_000);
      expect(await client.persist('k')).toBe(1);
      expect(await client.ttl('k')).toBe(-1);
      expect(await client.type('k')).toBe('string');
      expect(await client.rename('k', 'k2')).toBe('OK');
      expect(await client.copy('k2', 'k3')).toBe(1);
      expect(await client.exists(['k2', 'k3', 'nope'])).toBe(2);
      for (let i = 0; i < 40; i++) await client.set(`it:${i}`, String(i));
      const seen = new Set<string>();
      for await (const keys of client.scanIterator({ MATCH: 'it:*', COUNT: 5 })) {
        for (const k of keys) seen.add(k);
      }
      expect(seen.size).toBe(40);
      expect(await client.dbSize()).toBe(42);
      expect(await client.del(['k2', 'k3'])).toBe(2);
      expect(await client.expireTime('it:1')).toBe(-1);
    });

    it('database option selects the db', async () => {
      const c3 = await connect(3);
      try {
        await c3.set('in3', 'yes');
        expect(await client.get('in3')).toBeNull();
        expect(await c3.get('in3')).toBe('yes');
        await c3.flushDb();
      } finally {
        await c3.close();
      }
    });

    it('auto-pipelined concurrent commands (no MULTI)', async () => {
      const ps: Promise<unknown>[] = [];
      for (let i = 0; i < 1000; i++) ps.push(client.incr('ctr'));
      ps.push(client.mGet(['ctr', 'nokey']));
      const res = await Promise.all(ps);
      expect(res.slice(0, 1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      expect(res[1000]).toEqual(['1000', null]);
    });

    it('binary values and 1 MB values round trip', async () => {
      const bc = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
      await client.set('bin', bin);
      const got = (await bc.get('bin')) as unknown as Buffer;
      expect(Buffer.isBuffer(got)).toBe(true);
      expect(got.equals(bin)).toBe(true);
      const big = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 13) & 0xff;
      await client.set('big', big);
      const gotBig = (await bc.get('big')) as unknown as Buffer;
      expect(gotBig.length).toBe(big.length);
      expect(gotBig.equals(big)).toBe(true);
      expect(await client.strLen('big')).toBe(1024 * 1024);
    });

    it('pub/sub: channel, pattern and shard subscribers get what is published, in order', async () => {
      const sub = client.duplicate();
      sub.on('error', (e: Error) => errors.push(e));
      await sub.connect();
      const got: string[] = [];
      await sub.subscribe('news', (m, ch) => got.push(`c ${ch} ${m}`));
      await sub.pSubscribe('n*', (m, ch) => got.push(`p ${ch} ${m}`));
      await sub.sSubscribe('orders', (m, ch) => got.push(`s ${ch} ${m}`));
      expect(await client.pubSubNumSub(['news', 'none'])).toEqual({ news: 1, none: 0 });
      expect(await client.pubSubNumPat()).toBe(1);
      expect(await client.pubSubChannels()).toEqual(['news']);
      expect(await client.pubSubShardChannels()).toEqual(['orders']);
      for (let i = 0; i < 100; i++) expect(await client.publish('news', `m${i}`)).toBe(2);
      expect(await client.publish('nothing', 'x')).toBe(1);
      expect(await client.sPublish('orders', 'o1')).toBe(1);
      for (let i = 0; i < 200 && got.length < 202; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got.filter((g) => g.startsWith('c '))).toEqual(Array.from({ length: 100 }, (_, i) => `c news m${i}`));
      expect(got.filter((g) => g.startsWith('p '))).toEqual([...Array.from({ length: 100 }, (_, i) => `p news m${i}`), 'p nothing x']);
      expect(got.filter((g) => g.startsWith('s '))).toEqual(['s orders o1']);
      await sub.unsubscribe('news');
      await sub.pUnsubscribe('n*');
      await sub.sUnsubscribe('orders');
      expect(await client.publish('news', 'late')).toBe(0);
      expect(await client.pubSubNumPat()).toBe(0);
      // out of subscribed mode the connection runs ordinary commands again
      // (node-redis hands RESP2 PONG over as a Buffer on a connection that has subscribed, with redis-server too)
      expect(String(await sub.ping())).toBe('PONG');
      await sub.close();
      expect(errors).toEqual([]);
    });

    it('null replies decode to null', async () => {
      expect(await client.get('nope')).toBeNull();
      expect(await client.getDel('nope')).toBeNull();
      expect(await client.randomKey()).toBeNull();
      expect(await client.mGet(['nope', 'nope2'])).toEqual([null, null]);
    });

    it('multi().exec(): queued replies in order, runtime errors as elements', async () => {
      expect(await client.multi().set('t', '1').incr('t').get('t').exec()).toEqual(['OK', 2, '2']);
      // node-redis rejects a transaction with an error element, keeping every reply
      const err = await client.multi().incr('t').lPush('t', 'x').exec().catch((e: unknown) => e) as { replies: unknown[]; errorIndexes: number[] };
      expect(err.replies[0]).toBe(3);
      expect(String(err.replies[1])).toMatch(/WRONGTYPE/);
      expect(err.errorIndexes).toEqual([1]);
      const empty = await client.multi().exec();
      expect(empty).toEqual([]);
    });

    it('multi() queue errors reject the transaction, which runs nothing', async () => {
      await expect(client.multi().set('t', '1').addCommand(['NOSUCHCMD']).exec()).rejects.toThrow(/unknown command 'NOSUCHCMD'/);
      expect(await client.get('t')).toBeNull();
    });

    it('watch(): exec() fails with WatchError after a flush elsewhere; unwatch() clears it', async () => {
      const other = await connect();
      const c = await connect();
      try {
        await c.set('w', '1');
        await c.watch('w');
        await other.flushDb();
        await expect(c.multi().set('w', '2').exec()).rejects.toThrow(/WATCH|watch/);
        expect(await c.get('w')).toBeNull();
        await c.set('w', '1');
        await c.watch('w');
        await other.flushDb();
        await c.unwatch();
        expect(await c.multi().set('w', '3').exec()).toEqual(['OK']);
      } finally {
        await other.close();
        await c.close();
      }
    });
  });
}
