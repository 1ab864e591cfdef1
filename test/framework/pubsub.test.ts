/**
 * The framework's PubSub helper: byte-for-byte transcripts against a real redis-server (RESP2
 * and RESP3: confirmations, message / pmessage, PING and the subscribed-context error, RESET,
 * QUIT), glob patterns against Redis's KEYS matcher, cleanup on close, and ioredis / node-redis
 * subscribers against a framework server using the helper.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { listen, PubSub, type FrameworkServer, type Conn, type Command } from '../../src/framework/index.js';
import { stringMatch } from '../../src/resp/glob.js';
import { describeWithRedis, startRedis, type RedisInstance } from '../helpers/redis-oracle.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A framework server with a PubSub helper and GET (always null). */
async function pubsubServer(): Promise<{ srv: FrameworkServer; ps: PubSub }> {
  const ps = new PubSub();
  const srv = await listen('127.0.0.1:0', (conn: Conn, cmd: Command) => {
    if (ps.handle(conn, cmd)) return;
    if (cmd.name === 'get') { conn.writeNull(); return; }
    conn.writeError(`ERR unknown command '${cmd.args[0]!.toString('latin1')}', with args beginning with: `);
  });
  return { srv, ps };
}

/** A raw connection that accumulates what it receives. */
class Tap {
  got = Buffer.alloc(0);
  closed = false;
  private constructor(readonly s: net.Socket) {
    s.on('data', (d: Buffer) => { this.got = Buffer.concat([this.got, d]); });
    s.on('close', () => { this.closed = true; });
    s.on('error', () => {});
  }
  static open(port: number): Promise<Tap> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => resolve(new Tap(s)));
      s.once('error', reject);
    });
  }
  take(): string {
    const t = this.got.toString('latin1');
    this.got = Buffer.alloc(0);
    return t;
  }
}

const enc = (...args: (string | Buffer)[]): Buffer => Buffer.concat([
  Buffer.from(`*${args.length}\r\n`),
  ...args.flatMap((a) => [Buffer.from(`$${Buffer.byteLength(a)}\r\n`), Buffer.from(a as string), Buffer.from('\r\n')]),
]);

type Step = [who: 'sub' | 'pub', args: (string | Buffer)[], compare?: false];

/** Runs the steps on Redis and on the framework server at once; returns both transcripts. */
async function transcripts(redisPort: number, fwPort: number, steps: Step[]): Promise<[string[], string[]]> {
  const sides = await Promise.all([redisPort, fwPort].map(async (port) => ({ sub: await Tap.open(port), pub: await Tap.open(port) })));
  const out: [string[], string[]] = [[], []];
  for (const [who, args, compare] of steps) {
    for (const side of sides) side[who].s.write(enc(...args));
    await sleep(30);
    sides.forEach((side, i) => {
      const line = `${who} ${args.map(String).join(' ')} → sub:${JSON.stringify(side.sub.take())} pub:${JSON.stringify(side.pub.take())} closed:${side.sub.closed}`;
      out[i].push(compare === false ? `${who} ${args.join(' ')} (not compared)` : line);
    });
  }
  for (const side of sides) { side.sub.s.destroy(); side.pub.s.destroy(); }
  return out;
}

describeWithRedis('framework PubSub: byte for byte like Redis', () => {
  let redis: RedisInstance;
  let fw: { srv: FrameworkServer; ps: PubSub };
  beforeAll(async () => { redis = await startRedis(); fw = await pubsubServer(); });
  afterAll(async () => { await fw.srv.close(); await redis.stop(); });

  it('RESP2: confirmations, deliveries, PING and the subscribed context, RESET', async () => {
    const bin = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x41]);
    const steps: Step[] = [
      ['sub', ['UNSUBSCRIBE']], ['sub', ['PUNSUBSCRIBE']], ['sub', ['SUBSCRIBE']], ['sub', ['PSUBSCRIBE']],
      ['pub', ['PUBLISH']], ['pub', ['PUBLISH', 'a']], ['pub', ['PUBLISH', 'a', 'b', 'c']],
      ['sub', ['SUBSCRIBE', 'a', 'a', 'b']], ['sub', ['PING']], ['sub', ['PING', 'x']], ['sub', ['PING', 'x', 'y']],
      ['sub', ['GET', 'k']], ['sub', ['PSUBSCRIBE', 'h?llo', 'x[ae]y', 'z\\*']], ['sub', ['SUBSCRIBE', bin]],
      ['pub', ['PUBLISH', 'a', 'm1']], ['pub', ['PUBLISH', 'hallo', 'm2']], ['pub', ['PUBLISH', 'xey', 'm3']], ['pub', ['PUBLISH', 'xby', 'm3']],
      ['pub', ['PUBLISH', 'z*', 'm3']], ['pub', ['PUBLISH', 'zz', 'm3']],
      ['pub', ['PUBLISH', 'zz', 'm4']], ['pub', ['PUBLISH', bin, bin]], ['pub', ['PUBLISH', 'b', '']],
      ['pub', ['PING']], ['pub', ['GET', 'k']],
      ['sub', ['UNSUBSCRIBE', 'zz']], ['sub', ['UNSUBSCRIBE', 'a']], ['sub', ['UNSUBSCRIBE', 'b', bin]],
      ['sub', ['PUNSUBSCRIBE', 'x[ae]y', 'nope']], ['sub', ['PUNSUBSCRIBE', 'z\\*']], ['sub', ['PUNSUBSCRIBE']], ['sub', ['PING']], ['sub', ['GET', 'k']],
      ['sub', ['SUBSCRIBE', 'q']], ['pub', ['PUBLISH', 'q', 'before reset']], ['sub', ['RESET']], ['sub', ['PING']],
      ['pub', ['PUBLISH', 'q', 'after reset']],
      ['sub', ['PSUBSCRIBE', '*']], ['pub', ['PUBLISH', 'any', 'x']], ['sub', ['QUIT']], ['pub', ['PUBLISH', 'any', 'y']],
    ];
    const [want, got] = await transcripts(redis.port, fw.srv.port, steps);
    expect(got).toEqual(want);
  });

  it('RESP3: pushes, commands allowed while subscribed, publishing to oneself', async () => {
    const steps: Step[] = [
      ['sub', ['HELLO', '3'], false],
      ['sub', ['UNSUBSCRIBE']], ['sub', ['PUNSUBSCRIBE']], ['sub', ['SUBSCRIBE', 'a']], ['sub', ['PSUBSCRIBE', 'a*']],
      ['sub', ['PING']], ['sub', ['PING', 'x']], ['sub', ['GET', 'k']],
      ['pub', ['PUBLISH', 'a', 'hi']], ['pub', ['PUBLISH', 'abc', 'pattern only']],
      ['sub', ['PUBLISH', 'a', 'self']],
      ['sub', ['UNSUBSCRIBE', 'a', 'b']], ['sub', ['PUNSUBSCRIBE']], ['sub', ['UNSUBSCRIBE']],
      ['sub', ['SUBSCRIBE', 'r']], ['sub', ['RESET']], ['pub', ['PUBLISH', 'r', 'gone']], ['sub', ['PING']],
    ];
    const [want, got] = await transcripts(redis.port, fw.srv.port, steps);
    expect(got).toEqual(want);
  });

  it('shard channels (SSUBSCRIBE, SPUBLISH, SUNSUBSCRIBE) and PUBSUB introspection, RESP2 and RESP3', async () => {
    for (const hello of [[], [['sub', ['HELLO', '3'], false]]] as Step[][]) {
      const steps: Step[] = [
        ...hello,
        ['pub', ['PUBSUB']], ['pub', ['PUBSUB', 'nope']], ['pub', ['PUBSUB', 'NUMPAT', 'x']], ['pub', ['PUBSUB', 'channels', 'a', 'b']],
        ['pub', ['PUBSUB', 'SHARDCHANNELS', 'a', 'b']], ['pub', ['PUBSUB', 'NUMSUB']], ['pub', ['PUBSUB', 'CHANNELS']], ['pub', ['PUBSUB', 'NUMPAT']],
        ['sub', ['SSUBSCRIBE']], ['pub', ['SPUBLISH']], ['pub', ['SPUBLISH', 'a']], ['sub', ['SUNSUBSCRIBE']],
        ['sub', ['SUBSCRIBE', 'a']], ['sub', ['SSUBSCRIBE', 's1', 's2', 's1']], ['sub', ['PSUBSCRIBE', 'p*']], ['sub', ['PING']],
        ['pub', ['PUBSUB', 'NUMSUB', 'a', 'p1', 's1']], ['pub', ['PUBSUB', 'SHARDNUMSUB', 's1', 'a']], ['pub', ['PUBSUB', 'NUMPAT']],
        ['pub', ['PUBSUB', 'CHANNELS']], ['pub', ['PUBSUB', 'CHANNELS', 'b*']], ['pub', ['PUBSUB', 'SHARDCHANNELS', 's2']],
        ['pub', ['SPUBLISH', 's1', 'to shard']], ['pub', ['PUBLISH', 's1', 'not a shard message']], ['pub', ['SPUBLISH', 'a', 'no shard a']],
        ['pub', ['PUBLISH', 'p1', 'pattern']], ['sub', ['GET', 'k']],
        ['sub', ['SUNSUBSCRIBE', 's1']], ['sub', ['SUNSUBSCRIBE']], ['sub', ['SUNSUBSCRIBE']], ['sub', ['UNSUBSCRIBE']], ['sub', ['PING']],
        ['sub', ['PUNSUBSCRIBE']], ['sub', ['PING']], ['sub', ['SSUBSCRIBE', 's3']], ['sub', ['PUBSUB', 'NUMPAT']], ['sub', ['PUBSUB', 'NUMPAT', 'x']], ['sub', ['PUBSUB', 'what']],
        ['sub', ['PUBSUB']], ['sub', ['PUBSUB', 'channels', 'a', 'b']], ['sub', ['RESET']],
        ['pub', ['PUBSUB', 'SHARDNUMSUB', 's3']], ['pub', ['PUBSUB', 'NUMPAT']],
      ];
      const [want, got] = await transcripts(redis.port, fw.srv.port, steps);
      expect(got).toEqual(want);
    }
  });

  it('glob patterns match as Redis matches them (KEYS), seeded random cases', async () => {
    const r = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      let seed = 12345;
      const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
      const pick = (alphabet: string, max: number) => Array.from({ length: rnd(max + 1) }, () => alphabet[rnd(alphabet.length)]).join('');
      const keys = new Set<string>();
      while (keys.size < 150) keys.add('k' + pick('ab-^]\\[*?', 4));
      await r.flushall();
      await r.mset(...[...keys].flatMap((k) => [k, '1']));
      let compared = 0;
      for (let i = 0; i < 300; i++) {
        const pattern = 'k' + pick('ab*?[]^-\\', 6);
        const want = (await r.keys(pattern)).sort();
        const got = [...keys].filter((k) => stringMatch(Buffer.from(pattern, 'latin1'), Buffer.from(k, 'latin1'))).sort();
        expect(got, `pattern ${JSON.stringify(pattern)}`).toEqual(want);
        compared++;
      }
      expect(compared).toBe(300);
    } finally {
      r.disconnect();
    }
  });
});

describe('framework PubSub: API and cleanup', () => {
  it('publish() counts deliveries (a channel and a pattern match count twice); closed connections leave', async () => {
    const { srv, ps } = await pubsubServer();
    try {
      const sub = await Tap.open(srv.port);
      sub.s.write(enc('SUBSCRIBE', 'news'));
      sub.s.write(enc('PSUBSCRIBE', 'n*'));
      await sleep(30);
      sub.take();
      expect(ps.numsub('news')).toBe(1);
      expect(ps.publish('news', 'hello')).toBe(2);
      await sleep(20);
      expect(sub.take()).toBe('*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
      // a batch of publishes reaches a subscriber in one write
      let writes = 0;
      sub.s.on('data', () => writes++);
      for (let i = 0; i < 100; i++) ps.publish('nothing', String(i)); // n*
      await sleep(30);
      expect(writes).toBe(1);
      sub.s.destroy();
      await sleep(30);
      expect(ps.numsub('news')).toBe(0);
      expect(ps.publish('news', 'nobody')).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it('subscribe() / unsubscribe() from the application, and Buffer names', async () => {
    const ps = new PubSub();
    let mine: Conn | undefined;
    const srv = await listen('127.0.0.1:0', (conn, cmd) => {
      if (cmd.name === 'join') { mine = conn; ps.subscribe(conn, 'room', Buffer.from('r2')); return; }
      conn.writeError('ERR no');
    });
    try {
      const t = await Tap.open(srv.port);
      t.s.write(enc('JOIN'));
      await sleep(30);
      expect(t.take()).toBe('*3\r\n$9\r\nsubscribe\r\n$4\r\nroom\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nr2\r\n:2\r\n');
      expect(ps.subscriptions(mine!)).toBe(2);
      ps.unsubscribe(mine!);
      await sleep(20);
      expect(t.take()).toBe('*3\r\n$11\r\nunsubscribe\r\n$4\r\nroom\r\n:1\r\n*3\r\n$11\r\nunsubscribe\r\n$2\r\nr2\r\n:0\r\n');
      // no longer subscribed: the handler sees commands again
      t.s.write(enc('GET', 'x'));
      await sleep(20);
      expect(t.take()).toBe('-ERR no\r\n');
      t.s.destroy();
    } finally {
      await srv.close();
    }
  });
});

describe('framework PubSub: real clients', () => {
  let fw: { srv: FrameworkServer; ps: PubSub };
  beforeAll(async () => { fw = await pubsubServer(); });
  afterAll(async () => { await fw.srv.close(); });

  it('ioredis subscriber (channel and pattern) and publisher', async () => {
    const sub = new Redis({ port: fw.srv.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    const pub = new Redis({ port: fw.srv.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      const got: string[] = [];
      sub.on('message', (ch: string, msg: string) => got.push(`message ${ch} ${msg}`));
      sub.on('pmessage', (p: string, ch: string, msg: string) => got.push(`pmessage ${p} ${ch} ${msg}`));
      expect(await sub.subscribe('news', 'sport')).toBe(2);
      expect(await sub.psubscribe('n*')).toBe(3);
      expect(await pub.publish('news', 'hello')).toBe(2);
      expect(await pub.publish('sport', 'goal')).toBe(1);
      expect(await pub.publish('weather', 'rain')).toBe(0);
      for (let i = 0; i < 100 && got.length < 3; i++) await sleep(10);
      expect(got.sort()).toEqual(['message news hello', 'message sport goal', 'pmessage n* news hello']);
      expect(await sub.ping()).toEqual(['pong', '']); // RESP2 subscribed PING
      await sub.unsubscribe('news');
      await sub.punsubscribe('n*'); // (ioredis resolves an argument-less one only when the count reaches 0)
      expect(await pub.publish('news', 'again')).toBe(0);
      await sub.unsubscribe();
      expect(await sub.ping()).toBe('PONG');
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  for (const RESP of [2, 3] as const) {
    it(`node-redis RESP${RESP} subscriber and publisher`, async () => {
      const opts = { socket: { host: '127.0.0.1', port: fw.srv.port, reconnectStrategy: false as const }, RESP };
      const sub = createClient(opts);
      const pub = createClient(opts);
      sub.on('error', () => {});
      pub.on('error', () => {});
      await Promise.all([sub.connect(), pub.connect()]);
      try {
        const got: string[] = [];
        await sub.subscribe('news', (msg, ch) => got.push(`${ch}: ${msg}`));
        await sub.pSubscribe('sp*', (msg, ch) => got.push(`pattern ${ch}: ${msg}`));
        expect(await pub.publish('news', 'hello')).toBe(1);
        expect(await pub.publish('sport', 'goal')).toBe(1);
        for (let i = 0; i < 100 && got.length < 2; i++) await sleep(10);
        expect(got.sort()).toEqual(['news: hello', 'pattern sport: goal']);
        await sub.unsubscribe('news');
        await sub.pUnsubscribe('sp*');
        expect(await pub.publish('news', 'x')).toBe(0);
        expect(fw.ps.numsub('news')).toBe(0);
        if (RESP === 3) expect(await sub.ping()).toBe('PONG');
      } finally {
        await Promise.all([sub.close(), pub.close()]);
      }
    });
  }
});
