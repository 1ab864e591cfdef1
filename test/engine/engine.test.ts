// The in-process Engine: the library API, active expiry (keys nobody reads are reclaimed),
// maxmemory with each eviction family, and INCRBYFLOAT's long-double arithmetic.
import { describe, it, expect } from 'vitest';
import { Engine, ReplyError } from '../../src/index.js';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman, type LongDouble } from '../../src/commands/long-double.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Engine (in-process)', () => {
  it('runs commands and decodes replies', async () => {
    const db = await Engine.create();
    expect(await db.call('SET', 'k', 'v')).toBe('OK');
    expect(await db.call('GET', 'k')).toBe('v');
    expect(await db.call('INCR', 'n')).toBe(1);
    expect(await db.call('MGET', 'k', 'n', 'missing')).toEqual(['v', '1', null]);
    await expect(db.call('INCR', 'k')).rejects.toThrow(ReplyError);
    await expect(db.call('INCR', 'k')).rejects.toThrow('ERR value is not an integer or out of range');
    expect((await db.callRaw(['PING'])).toString()).toBe('+PONG\r\n');
    expect(await db.call('HELLO', '3')).toMatchObject({ server: 'redis', proto: 3 });
    expect(await db.call('GET', 'missing')).toBeNull();
    db.close();
  });

  it('is binary-safe for keys and values', async () => {
    const db = await Engine.create();
    const key = Buffer.from([0, 1, 2, 255, 13, 10]);
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(await db.call('SET', key, value)).toBe('OK');
    const raw = await db.callRaw(['GET', key]);
    expect(raw.subarray(0, 6).toString()).toBe('$256\r\n');
    expect(raw.subarray(6, 262).equals(value)).toBe(true);
  });

  it('keeps databases apart (SELECT, MOVE, SWAPDB)', async () => {
    const db = await Engine.create({ databases: 4 });
    await db.call('SET', 'a', '0');
    expect(await db.call('SELECT', '3')).toBe('OK');
    expect(await db.call('GET', 'a')).toBeNull();
    await expect(db.call('SELECT', '4')).rejects.toThrow('ERR DB index is out of range');
    await db.call('SELECT', '0');
    expect(await db.call('MOVE', 'a', '2')).toBe(1);
    expect(await db.call('SWAPDB', '0', '2')).toBe('OK');
    expect(await db.call('GET', 'a')).toBe('0');
  });

  it('reclaims expired keys nobody reads (active expiry)', async () => {
    const db = await Engine.create();
    for (let i = 0; i < 500; i++) await db.call('SET', `k${i}`, 'v', 'PX', '20');
    for (let i = 0; i < 50; i++) await db.call('SET', `keep${i}`, 'v');
    expect(await db.call('DBSIZE')).toBe(550);
    await sleep(40);
    // no key is read: only the periodic cycle can reclaim them
    let rounds = 0;
    while ((await db.call('DBSIZE')) !== 50 && rounds < 100) { db.cron(); rounds++; }
    expect(await db.call('DBSIZE')).toBe(50);
    const info = (await db.call('INFO', 'stats')) as string;
    expect(info).toMatch(/expired_keys:500\r\n/);
  });

  it('lazily expires a key on access', async () => {
    const db = await Engine.create();
    await db.call('SET', 'k', 'v', 'PX', '10');
    expect(await db.call('PTTL', 'k')).toBeGreaterThan(0);
    await sleep(20);
    expect(await db.call('GET', 'k')).toBeNull();
    expect(await db.call('EXISTS', 'k')).toBe(0);
  });

  it('grows and shrinks its tables without losing keys (incremental rehashing)', async () => {
    const db = await Engine.create();
    const n = 20000;
    for (let i = 0; i < n; i++) await db.call('SET', `key:${i}`, String(i));
    // a SCAN during growth must still see every key exactly as Redis guarantees (at least once)
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = (await db.call('SCAN', cursor, 'COUNT', '100')) as [string, string[]];
      keys.forEach((k) => seen.add(k));
      cursor = next;
      await db.call('SET', `extra:${cursor}`, 'x'); // keep writing while scanning
    } while (cursor !== '0');
    for (let i = 0; i < n; i++) expect(seen.has(`key:${i}`)).toBe(true);
    for (let i = 0; i < n; i++) await db.call('DEL', `key:${i}`);
    for (let r = 0; r < 50; r++) db.cron(); // shrinks the table incrementally
    const remaining = (await db.call('DBSIZE')) as number;
    expect((await db.call('KEYS', 'extra:*') as string[]).length).toBe(remaining);
    expect((await db.call('KEYS', 'key:*') as string[]).length).toBe(0);
  });
});

describe('Engine pushes (onPush)', () => {
  it('hands Pub/Sub messages and keyspace events to the listener, replies to call()', async () => {
    const e = await Engine.create({ config: { 'notify-keyspace-events': 'KEA' } });
    const got: unknown[] = [];
    e.onPush((m) => got.push(m));
    expect(await e.call('HELLO', '3')).toMatchObject({ proto: 3 });
    expect(await e.call('SUBSCRIBE', 'ch')).toEqual(['subscribe', 'ch', 1]);
    expect(await e.call('PSUBSCRIBE', '__keyevent@0__:*')).toEqual(['psubscribe', '__keyevent@0__:*', 2]);
    expect(await e.call('PUBLISH', 'ch', 'x')).toBe(1);
    expect(await e.call('SET', 'k', 'v')).toBe('OK');
    expect(await e.call('PEXPIRE', 'k', 1)).toBe(1); // Redis publishes "expire" after this reply
    await new Promise((r) => setTimeout(r, 10));
    e.cron(); // active expiry: "expired"
    expect(got).toEqual([
      ['message', 'ch', 'x'],
      ['pmessage', '__keyevent@0__:*', '__keyevent@0__:set', 'k'],
      ['pmessage', '__keyevent@0__:*', '__keyevent@0__:expire', 'k'],
      ['pmessage', '__keyevent@0__:*', '__keyevent@0__:expired', 'k'],
    ]);
    e.close();
  });
});

describe('maxmemory', () => {
  const fill = async (db: Engine, n: number) => {
    let stored = 0;
    for (let i = 0; i < n; i++) {
      try { await db.call('SET', `k${i}`, 'x'.repeat(100)); stored++; } catch (e) { return { stored, error: (e as Error).message }; }
    }
    return { stored, error: null };
  };

  it('noeviction refuses writes with OOM and keeps serving reads', async () => {
    const db = await Engine.create({ config: { maxmemory: '4mb', 'maxmemory-policy': 'noeviction' } });
    const r = await fill(db, 100000);
    expect(r.error).toBe("OOM command not allowed when used memory > 'maxmemory'.");
    expect(await db.call('GET', 'k0')).toBe('x'.repeat(100));
    expect(await db.call('DEL', 'k0')).toBe(1); // DEL is not denyoom
  });

  for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
    it(`${policy} evicts to stay under the limit`, async () => {
      const db = await Engine.create({ config: { maxmemory: '4mb', 'maxmemory-policy': policy } });
      const r = await fill(db, 60000);
      expect(r.error).toBeNull();
      const info = (await db.call('INFO', 'all')) as string;
      expect(Number(/used_memory:(\d+)/.exec(info)![1])).toBeLessThanOrEqual(4 * 1024 * 1024);
      expect(Number(/evicted_keys:(\d+)/.exec(info)![1])).toBeGreaterThan(0);
      expect(await db.call('DBSIZE')).toBeLessThan(60000);
    });
  }

  it('volatile-ttl evicts only keys with a TTL, nearest expiry first', async () => {
    const db = await Engine.create({ config: { maxmemory: '4mb', 'maxmemory-policy': 'volatile-ttl' } });
    await db.call('SET', 'persistent', 'p');
    let i = 0;
    for (; i < 60000; i++) await db.call('SET', `t${i}`, 'x'.repeat(100), 'EX', String(100000 + i));
    expect(await db.call('GET', 'persistent')).toBe('p');
    expect(await db.call('EXISTS', `t${i - 1}`)).toBe(1);
  });
});

describe('INCRBYFLOAT long double', () => {
  const add = (a: string, b: string) => {
    const x = parseLongDouble(a) as LongDouble, y = parseLongDouble(b) as LongDouble;
    const r = addLongDouble(x, y);
    return typeof r === 'string' ? r : formatLongDoubleHuman(r);
  };
  it('matches redis-server 7.0 digit for digit (values taken from a live server)', () => {
    expect(add('5005.8', '100')).toBe('5105.79999999999999982');
    expect(add('0', '1.23456789012345678')).toBe('1.23456789012345678');
    expect(add('10.5', '0.1')).toBe('10.6');
    expect(add('0', '0x10')).toBe('16');
    expect(add('446.763084969052', '5e-10')).toBe('446.763084969552');
    expect(add('1.5', '-1.5')).toBe('0');
    expect(add('-0', '0')).toBe('0');
    expect(add('0', '1e-20')).toBe('0');
    expect(add('0', '1e400').length).toBe(401);
  });
  it('rejects what strtold/string2ld reject', () => {
    for (const bad of ['', ' 1', '1 ', 'nan', 'abc', '1e', '--1', '1e99999']) expect(parseLongDouble(bad)).toBeUndefined();
    expect(parseLongDouble('inf')).toBe('inf');
    expect(parseLongDouble('-Infinity')).toBe('-inf');
  });
});

describe('INFO stats counters', () => {
  it('counts keyspace hits and misses on read lookups only, as Redis does', async () => {
    const db = await Engine.create();
    await db.call('SET', 'a', '1');            // write lookup: not counted
    await db.call('GET', 'a');                 // hit
    await db.call('GET', 'nokey');             // miss
    await db.call('MGET', 'a', 'nokey');       // hit, miss
    await db.call('INCR', 'a');                // write lookup: not counted
    await db.call('EXISTS', 'a', 'nokey');     // hit, miss (read without touching)
    const info = (await db.call('INFO', 'stats')) as string;
    expect(info).toMatch(/keyspace_hits:3\r\n/);
    expect(info).toMatch(/keyspace_misses:3\r\n/);
    // commands are counted after they run, so INFO does not count itself
    expect(info).toMatch(/total_commands_processed:6\r\n/);
  });
});
