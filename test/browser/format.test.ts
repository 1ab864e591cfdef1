/**
 * The playground's reply formatting and argument splitting (playground/src/resp.ts, split.ts)
 * against the real redis-cli: the same commands go to a throwaway redis-server through a raw
 * socket (bytes to our formatter) and through `redis-cli --no-raw` (its terminal formatting);
 * the texts must be equal. RESP2 and RESP3.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBinary, redisAvailable, startRedis, type RedisInstance } from '../helpers/redis-oracle.js';
import { RawClient } from '../helpers/raw-client.js';
import { formatRaw, formatReply, parseReply, escapeBytes, printsRaw, quoteBytes } from '../../playground/src/resp.js';
import { splitArgs, encodeRequest } from '../../playground/src/split.js';

const enc = (s: string) => new TextEncoder().encode(s);

// Commands whose replies redis-cli formats; run in this order on a fresh server.
const SETUP: string[][] = [
  ['SET', 'str', 'hello'], ['SET', 'bin', 'a\x00b\r\n\t\x07\x08"\\\xff'], ['SET', 'utf', 'héllo €'],
  ['RPUSH', 'list', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2', 'f3', '3'], ['SADD', 'set', 'x'],
  ['ZADD', 'z', '1.5', 'a', '2', 'b', '-3.25', 'c'], ['XADD', 'st', '1-1', 'a', '1', 'b', '2'],
  ['XADD', 'st', '2-1', 'c', '3'],
];
const CASES: string[][] = [
  ['PING'], ['GET', 'str'], ['GET', 'bin'], ['GET', 'utf'], ['GET', 'nokey'], ['STRLEN', 'str'],
  ['LRANGE', 'list', '0', '-1'], ['LRANGE', 'nokey', '0', '-1'], ['HGETALL', 'hash'], ['HGETALL', 'nokey'],
  ['SMEMBERS', 'set'], ['SMEMBERS', 'nokey'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZSCORE', 'z', 'a'],
  ['XRANGE', 'st', '-', '+'], ['XINFO', 'STREAM', 'st'], ['NOSUCHCOMMAND', 'x'], ['GET'], ['LPUSH', 'str', 'x'],
  ['COMMAND', 'INFO', 'get', 'set'], ['CONFIG', 'GET', 'maxmemory*'], ['HELLO'], ['BLPOP', 'nokey', '0.01'],
  ['TYPE', 'list'], ['TTL', 'str'], ['OBJECT', 'ENCODING', 'list'], ['MGET', 'str', 'nokey', 'utf'],
  ['SCAN', '0', 'COUNT', '100', 'MATCH', 'li*'],
];

function redisCli(port: number, resp3: boolean, args: string[]): string {
  const r = spawnSync('redis-cli', ['-p', String(port), ...(resp3 ? ['-3'] : []), '--no-raw', ...args], { encoding: 'latin1' });
  return r.stdout;
}

describeWithBinary('redis-cli', 'playground formatting matches redis-cli', () => {
  let redis: RedisInstance;
  beforeAll(async () => {
    if (!redisAvailable()) return;
    redis = await startRedis();
    const c = await RawClient.connect(redis.port);
    for (const cmd of SETUP) await c.send(...cmd.map((a) => Buffer.from(a, 'latin1')));
    await c.close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('prints the replies of INFO, CLIENT LIST … raw, as redis-cli does', async () => {
    if (!redis) return;
    const c = await RawClient.connect(redis.port);
    const cases = [['INFO', 'keyspace'], ['INFO', 'nosuchsection'], ['CLIENT', 'LIST', 'badarg'], ['LOLWUT', 'VERSION', '5', '10', '2', '2'], ['info', 'persistence']];
    for (const cmd of cases) {
      expect(printsRaw(cmd)).toBe(true);
      const raw = await c.send(...cmd);
      const norm = (s: string) => s.replace(/\r\n/g, '\n').replace(/\n$/, '').replace(/\n(rdb_last_cow_size|mem_fragmentation|rdb_last_load|aof_last_cow|module_fork_last_cow|[a-z_]*time[a-z_]*):.*/g, '');
      expect(norm(Buffer.from(formatRaw(parseReply(raw)!.reply), 'utf8').toString('latin1')), cmd.join(' ')).toBe(norm(redisCli(redis.port, false, cmd)));
    }
    expect(printsRaw(['GET', 'x'])).toBe(false);
    expect(printsRaw(['CLUSTER', 'NODES', 'x'])).toBe(false);
    await c.close();
  });

  for (const resp3 of [false, true]) {
    it(`replies as redis-cli ${resp3 ? '-3 ' : ''}prints them`, async () => {
      if (!redis) return;
      const c = await RawClient.connect(redis.port);
      if (resp3) await c.send('HELLO', '3');
      for (const cmd of CASES) {
        const raw = await c.send(...cmd.map((a) => Buffer.from(a, 'latin1')));
        const ours = formatReply(parseReply(raw)!.reply);
        const theirs = redisCli(redis.port, resp3, cmd);
        // id and client-specific fields differ between the two connections
        const norm = (s: string) => s.replace(/("id"(?: =>|\n *\d+\)) \(integer\) )\d+/, '$1N');
        expect(norm(Buffer.from(ours, 'utf8').toString('latin1')), `${resp3 ? 'RESP3' : 'RESP2'} ${cmd.join(' ')}`).toBe(norm(theirs));
      }
      await c.close();
    });
  }
});

it('splits arguments as redis-cli does', () => {
  const dec = (a: Uint8Array[] | undefined) => a?.map((x) => Array.from(x).map((c) => String.fromCharCode(c)).join(''));
  expect(dec(splitArgs('  set  a   b '))).toEqual(['set', 'a', 'b']);
  expect(dec(splitArgs('set "a b" \'c d\''))).toEqual(['set', 'a b', 'c d']);
  expect(dec(splitArgs('set "x\\ny\\t\\x41\\x4" \'it\\\'s\\n\''))).toEqual(['set', 'x\ny\tAx4', "it's\\n"]);
  expect(dec(splitArgs('set ab"cd ef"'))).toEqual(['set', 'abcd ef']);
  expect(dec(splitArgs('set ""'))).toEqual(['set', '']);
  expect(splitArgs('set "abc')).toBeUndefined();
  expect(splitArgs("set 'abc")).toBeUndefined();
  expect(splitArgs('set "a"b')).toBeUndefined();
  expect(dec(splitArgs('get é'))).toEqual(['get', '\xc3\xa9']);
  expect(splitArgs('   ')).toEqual([]);
});

it('escapes protocol bytes for the RESP view', () => {
  const req = encodeRequest([enc('PING')]);
  expect(escapeBytes(req)).toBe('*1\\r\\n$4\\r\\nPING\\r\\n');
  expect(escapeBytes(Uint8Array.from([0, 0x5c, 0xff, 0x41]))).toBe('\\x00\\\\\\xffA');
  expect(quoteBytes(Uint8Array.from([0x22, 0x0a, 0x7f]))).toBe('"\\"\\n\\x7f"');
});

describeWithBinary('redis-cli', 'playground help <command> matches redis-cli help', () => {
  // the syntax line is built from the engine's COMMAND DOCS; redis-cli builds its own from the
  // same argument trees: the lines must be equal (summaries are our own words, not compared)
  const COMMANDS = [['get'], ['set'], ['zadd'], ['lpos'], ['sort'], ['client', 'kill'], ['config', 'set'], ['bitfield'],
    ['zrangestore'], ['geoadd'], ['migrate'], ['hello'], ['xadd'], ['subscribe'], ['object', 'encoding'], ['georadius']];
  let redis: RedisInstance;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis.stop(); });

  it('syntax lines equal redis-cli\'s, for commands, subcommands and their argument trees', async () => {
    const { Engine } = await import('../../src/engine/engine.js');
    const { helpText } = await import('../../playground/src/help.js');
    const engine = await Engine.create();
    try {
      let compared = 0;
      for (const words of COMMANDS) {
        const raw = await engine.callRaw(['COMMAND', 'DOCS', words[0]!]);
        const docs = parseReply(new Uint8Array(raw))!.reply;
        const known = (await engine.call('COMMAND', 'INFO', words[0]!)) as unknown[];
        if (known[0] === null) continue; // a command this engine does not have yet
        const ours = helpText(words, docs);
        const cli = spawnSync('redis-cli', ['-p', String(redis.port), 'help', ...words], { encoding: 'utf8' }).stdout.replace(/\x1b\[[0-9;]*m/g, '');
        const cliLine = cli.split(/\r?\n/).find((l) => l.trim() !== '')!;
        expect(ours?.split('\n')[0], words.join(' ')).toBe(cliLine);
        expect(ours).toMatch(/\n {2}summary: .+\n {2}since: \d+\.\d+\.\d+\n {2}group: [a-z_-]+$/);
        compared++;
      }
      expect(compared).toBeGreaterThan(10);
      expect(helpText(['nosuch'], parseReply(new Uint8Array(await engine.callRaw(['COMMAND', 'DOCS', 'nosuch'])))!.reply)).toBeUndefined();
    } finally {
      engine.close();
    }
  });
});
