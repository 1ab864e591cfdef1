// Custom commands on the full server (issue #6 item 3): startServer({ commands }) and
// Engine.create({ commands }) with real clients (ioredis, redis-cli, raw RESP2/RESP3): arity,
// the COMMAND family, MULTI/EXEC, WATCH, keyspace access through ctx.call, errors, maxmemory,
// start-up checks, and a threaded server loading the commands from a module.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startServer, Engine, type ServerHandle } from '../../src/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { describeWithBinary } from '../helpers/redis-oracle.js';
import { commands } from './fixtures/custom-commands.mjs';

const execFileP = promisify(execFile);
const MODULE = fileURLToPath(new URL('./fixtures/custom-commands.mjs', import.meta.url));
const CUSTOM = Object.keys(commands).length;

/** A raw reply as text. */
const text = (b: Buffer): string => b.toString('latin1');

describe('custom commands (one thread)', () => {
  let server: ServerHandle;
  let redis: Redis;
  let builtins = 0;
  beforeAll(async () => {
    const e = await Engine.create();
    builtins = (await e.call('COMMAND', 'COUNT')) as number;
    e.close();
    server = await startServer({ port: 0, bind: '127.0.0.1', logLevel: 'silent', commands });
    redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: true });
    await redis.connect();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('runs with any spelling, reading and writing the keyspace through ctx.call', async () => {
    await redis.set('k', 'v');
    expect(await redis.call('myget', 'k')).toBe('v');
    expect(await redis.call('MyGeT', 'k')).toBe('v');
    expect(await redis.call('MYGET', 'missing')).toBe(null);
    expect(await redis.call('SLOWINCR', 'n')).toBe(1);
    expect(await redis.call('slowincr', 'n')).toBe(2);
    expect(await redis.get('n')).toBe('2');
    expect(await redis.call('MSETX', 'a', '1', 'b', '2')).toBe('OK');
    expect(await redis.mget('a', 'b')).toEqual(['1', '2']);
    expect(await redis.call('PI')).toBe('3.25');
    expect(await redis.call('NOTHING')).toBe(null);
    // a host command (INCRBYFLOAT) and another custom command, called from a handler
    expect(await redis.call('HOSTCALL')).toBe('1.5');
    expect(await redis.call('NESTED', 'n')).toBe(3);
    // binary-safe callBuffer
    const bin = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
    await redis.set('bin', bin);
    expect(await redis.callBuffer('BIN', 'bin')).toEqual(bin);
  });

  it('answers wrong arity with Redis\'s error, checked before the handler runs', async () => {
    const c = await RawClient.connect(server.port);
    expect(text(await c.send('MYGET'))).toBe("-ERR wrong number of arguments for 'myget' command\r\n");
    expect(text(await c.send('MyGet', 'a', 'b'))).toBe("-ERR wrong number of arguments for 'myget' command\r\n");
    expect(text(await c.send('MSETX', 'a'))).toBe("-ERR wrong number of arguments for 'msetx' command\r\n");
    expect(text(await c.send('PI', 'x'))).toBe("-ERR wrong number of arguments for 'pi' command\r\n");
    // a name nobody registered is still unknown
    expect(text(await c.send('MYGETX', 'a'))).toBe("-ERR unknown command 'MYGETX', with args beginning with: 'a' \r\n");
    await c.close();
  });

  it('shows in COMMAND COUNT, LIST, INFO, DOCS and GETKEYS', async () => {
    expect(await redis.call('COMMAND', 'COUNT')).toBe(builtins + CUSTOM);
    const all = (await redis.call('COMMAND')) as unknown[][];
    expect(all.length).toBe(builtins + CUSTOM);
    const list = (await redis.call('COMMAND', 'LIST')) as string[];
    for (const name of Object.keys(commands)) expect(list).toContain(name.toLowerCase());
    expect(await redis.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'myg*')).toEqual(['myget']);
    expect(await redis.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'write')).toEqual(expect.arrayContaining(['slowincr', 'msetx']));

    const c = await RawClient.connect(server.port);
    expect(text(await c.send('COMMAND', 'INFO', 'MYGET'))).toBe(
      '*1\r\n*10\r\n$5\r\nmyget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*2\r\n+@read\r\n+@fast\r\n*0\r\n' +
      '*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n' +
      '$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n' +
      '$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n' +
      '*0\r\n');
    // unknown names are null, custom and built-in names mix
    const infos = (await redis.call('COMMAND', 'INFO', 'msetx', 'get', 'nosuch', 'boom')) as unknown[][];
    expect(infos.map((i) => i?.[0] ?? null)).toEqual(['msetx', 'get', null, 'boom']);
    expect(infos[0]!.slice(0, 7)).toEqual(['msetx', -3, ['write', 'denyoom'], 1, -1, 2, ['@write', '@slow']]);
    expect(infos[3]!.slice(0, 7)).toEqual(['boom', -1, [], 0, 0, 0, ['@slow']]);
    expect(await redis.call('COMMAND', 'INFO', 'myget|x')).toEqual([null]);

    expect(await redis.call('COMMAND', 'DOCS', 'myget', 'boom')).toEqual([
      'myget', ['summary', 'Reads a string key through GET.', 'since', '1.0.0', 'group', 'module'],
      'boom', ['summary', 'A custom command.', 'since', '1.0.0', 'group', 'module'],
    ]);

    expect(await redis.call('COMMAND', 'GETKEYS', 'MSETX', 'k1', 'v1', 'k2', 'v2')).toEqual(['k1', 'k2']);
    expect(await redis.call('COMMAND', 'GETKEYS', 'myget', 'key')).toEqual(['key']);
    expect(await redis.call('COMMAND', 'GETKEYSANDFLAGS', 'slowincr', 'x')).toEqual([['x', ['RW', 'access', 'update']]]);
    await expect(redis.call('COMMAND', 'GETKEYS', 'PI', 'x')).rejects.toThrow('ERR The command has no key arguments');
    await expect(redis.call('COMMAND', 'GETKEYS', 'MYGET', 'a', 'b')).rejects.toThrow('ERR Invalid number of arguments specified for command');
    await c.close();
  });

  it('queues custom commands in MULTI and runs them in EXEC, in order, with the built-in ones', async () => {
    await redis.del('t');
    const r = await redis.multi().call('SLOWINCR', 't').incr('t').call('SLOWINCR', 't').call('MYGET', 't').call('INFOX').exec();
    expect(r).toEqual([[null, 1], [null, 2], [null, 3], [null, '3'], [null, ['db', 0, 'proto', 2, 'tx', 1]]]);

    const c = await RawClient.connect(server.port);
    expect(text(await c.send('MULTI'))).toBe('+OK\r\n');
    expect(text(await c.send('SLOWINCR', 't'))).toBe('+QUEUED\r\n');
    expect(text(await c.send('BOOM'))).toBe('+QUEUED\r\n');
    expect(text(await c.send('GET', 't'))).toBe('+QUEUED\r\n');
    expect(text(await c.send('EXEC'))).toBe('*3\r\n:4\r\n-ERR kaboom\r\n$1\r\n4\r\n');
    // arity errors while queueing abort the transaction, as for built-in commands
    await c.send('MULTI');
    expect(text(await c.send('MYGET'))).toBe("-ERR wrong number of arguments for 'myget' command\r\n");
    expect(text(await c.send('EXEC'))).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
    // no_multi is obeyed
    await c.send('MULTI');
    expect(text(await c.send('NOMULTI'))).toBe('-ERR Command not allowed inside a transaction\r\n');
    expect(text(await c.send('DISCARD'))).toBe('+OK\r\n');
    expect(text(await c.send('NOMULTI'))).toBe('$2\r\nok\r\n');
    await c.close();
  });

  it('invalidates WATCH when a custom command writes the key through ctx.call', async () => {
    const watcher = await RawClient.connect(server.port);
    const writer = await RawClient.connect(server.port);
    await watcher.send('SET', 'w', '1');
    expect(text(await watcher.send('WATCH', 'w'))).toBe('+OK\r\n');
    expect(text(await writer.send('SLOWINCR', 'w'))).toBe(':2\r\n');
    await watcher.send('MULTI');
    await watcher.send('SET', 'w', '100');
    expect(text(await watcher.send('EXEC'))).toBe('*-1\r\n');
    expect(text(await watcher.send('GET', 'w'))).toBe('$1\r\n2\r\n');
    // a read-only custom command does not
    await watcher.send('WATCH', 'w');
    await writer.send('MYGET', 'w');
    await watcher.send('MULTI');
    await watcher.send('SET', 'w', '100');
    expect(text(await watcher.send('EXEC'))).toBe('*1\r\n+OK\r\n');
    await Promise.all([watcher.close(), writer.close()]);
  });

  it('keyspace notifications and dirty counters work through ctx.call', async () => {
    await redis.config('SET', 'notify-keyspace-events', 'KA');
    const sub = await RawClient.connect(server.port);
    expect(text(await sub.send('SUBSCRIBE', '__keyspace@0__:ev'))).toContain('subscribe');
    const dirty = (info: string) => Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
    const before = dirty(await redis.info('persistence'));
    await redis.call('MSETX', 'ev', 'x', 'ev2', 'y');
    const msg = await sub.readReplies(1);
    expect(text(msg[0]!)).toBe('*3\r\n$7\r\nmessage\r\n$17\r\n__keyspace@0__:ev\r\n$3\r\nset\r\n');
    expect(dirty(await redis.info('persistence'))).toBe(before + 2);
    await redis.config('SET', 'notify-keyspace-events', '');
    await sub.close();
  });

  it('relays error replies, answers a throwing handler with -ERR and keeps serving', async () => {
    const c = await RawClient.connect(server.port);
    await c.send('SET', 'str', 'x');
    expect(text(await c.send('TYPED', 'str'))).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    expect(text(await c.send('BOOM'))).toBe('-ERR kaboom\r\n');
    expect(text(await c.send('LATER'))).toBe("-ERR custom command 'later' returned a Promise; handlers must be synchronous\r\n");
    // commands a handler may not call
    expect(text(await c.send('BADCALL', 'MULTI'))).toBe('-ERR This command is not allowed from a custom command\r\n');
    expect(text(await c.send('BADCALL', 'SELECT'))).toBe('-ERR This command is not allowed from a custom command\r\n');
    expect(text(await c.send('BADCALL', 'NOSUCHCMD'))).toBe("-ERR unknown command 'NOSUCHCMD', with args beginning with: \r\n");
    // (a status reply comes back from ctx.call as a string, and a returned string is a bulk reply)
    expect(text(await c.send('BADCALL', 'PING'))).toBe('$4\r\nPONG\r\n');
    // a pipeline with a failing handler in the middle: every reply, in order
    c.write(Buffer.from('*1\r\n$4\r\nBOOM\r\n*2\r\n$5\r\nMYGET\r\n$3\r\nstr\r\n*1\r\n$4\r\nPING\r\n'));
    expect((await c.readReplies(3)).map(text)).toEqual(['-ERR kaboom\r\n', '$1\r\nx\r\n', '+PONG\r\n']);
    await c.close();
    expect(await redis.ping()).toBe('PONG');
  });

  it('wakes clients blocked on a key a custom command fills; handlers cannot block', async () => {
    const blocked = await RawClient.connect(server.port);
    const pusher = await RawClient.connect(server.port);
    blocked.write(Buffer.from('*3\r\n$5\r\nBLPOP\r\n$2\r\nbl\r\n$1\r\n0\r\n'));
    await new Promise((r) => setTimeout(r, 50));
    expect(text(await pusher.send('PUSHBOTH', 'bl', 'item'))).toBe(':1\r\n');
    expect(text((await blocked.readReplies(1))[0]!)).toBe('*2\r\n$2\r\nbl\r\n$4\r\nitem\r\n');
    // blocking commands are noscript in Redis 7.0: a handler cannot call them either
    expect(text(await pusher.send('BADCALL', 'BLPOP'))).toBe('-ERR This command is not allowed from a custom command\r\n');
    await Promise.all([blocked.close(), pusher.close()]);
    const db = await Engine.create({ commands: { POPNOW: { arity: 1, handler: (ctx) => ctx.call('BLPOP', 'none', '0') } } });
    await expect(db.call('POPNOW')).rejects.toThrow('ERR This command is not allowed from a custom command');
    db.close();
  });

  it('renders replies for RESP3 clients', async () => {
    const c = await RawClient.connect(server.port);
    await c.send('HELLO', '3');
    expect(text(await c.send('INFOX'))).toBe('%3\r\n$2\r\ndb\r\n:0\r\n$5\r\nproto\r\n:3\r\n$2\r\ntx\r\n#f\r\n');
    expect(text(await c.send('PI'))).toBe(',3.25\r\n');
    expect(text(await c.send('NOTHING'))).toBe('_\r\n');
    expect(text(await c.send('MYGET', 'nokey'))).toBe('_\r\n');
    await c.send('SELECT', '3');
    expect(text(await c.send('INFOX'))).toBe('%3\r\n$2\r\ndb\r\n:3\r\n$5\r\nproto\r\n:3\r\n$2\r\ntx\r\n#f\r\n');
    // ctx.call runs in the client's database
    await c.send('SET', 'db3key', 'three');
    expect(text(await c.send('MYGET', 'db3key'))).toBe('$5\r\nthree\r\n');
    expect(await redis.call('MYGET', 'db3key')).toBe(null);
    await c.close();
  });

  it('refuses denyoom custom commands over maxmemory, not the others', async () => {
    const c = await RawClient.connect(server.port);
    await c.send('SET', 'm', '1');
    await c.send('CONFIG', 'SET', 'maxmemory', '1');
    expect(text(await c.send('SLOWINCR', 'm'))).toBe("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    expect(text(await c.send('MYGET', 'm'))).toBe('$1\r\n1\r\n');
    await c.send('CONFIG', 'SET', 'maxmemory', '0');
    expect(text(await c.send('SLOWINCR', 'm'))).toBe(':2\r\n');
    await c.close();
  });

  describeWithBinary('redis-cli', 'redis-cli', () => {
    it('calls custom commands and reads their COMMAND INFO', async () => {
      const cli = (...args: string[]) => execFileP('redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), ...args]);
      expect((await cli('SET', 'cli', '5')).stdout).toBe('OK\n');
      expect((await cli('slowincr', 'cli')).stdout).toBe('6\n');
      expect((await cli('MYGET', 'cli')).stdout).toBe('6\n');
      expect((await cli('BOOM')).stdout).toBe('ERR kaboom\n\n'); // (redis-cli adds an empty line after an error)
      expect((await cli('MYGET')).stdout).toBe("ERR wrong number of arguments for 'myget' command\n\n");
      expect((await cli('--no-raw', '-3', 'INFOX')).stdout).toBe('1# "db" => (integer) 0\n2# "proto" => (integer) 3\n3# "tx" => (false)\n');
      expect((await cli('--no-raw', 'COMMAND', 'INFO', 'msetx')).stdout).toMatch(/^1\) {2}1\) "msetx"\n {4}2\) \(integer\) -3\n {4}3\) 1\) write\n {7}2\) denyoom\n/);
    });
  });
});

describe('custom commands: start-up checks', () => {
  it('refuses a name that is a built-in command', async () => {
    await expect(startServer({ port: 0, logLevel: 'silent', commands: { get: { arity: 2, handler: () => 1 } } }))
      .rejects.toThrow("custom command 'get' clashes with the built-in command GET");
    await expect(Engine.create({ commands: { Client: { arity: -2, handler: () => 1 } } })).rejects.toThrow('clashes with the built-in command CLIENT');
  });

  it('refuses bad specs with a clear error', async () => {
    const h = () => 1;
    await expect(Engine.create({ commands: { X: { arity: 0, handler: h } } })).rejects.toThrow('arity must be a non-zero integer');
    await expect(Engine.create({ commands: { 'a b': { arity: 1, handler: h } } })).rejects.toThrow('a name must be non-empty');
    await expect(Engine.create({ commands: { 'a|b': { arity: 1, handler: h } } })).rejects.toThrow('a name must be non-empty');
    await expect(Engine.create({ commands: { 'café': { arity: 1, handler: h } } })).rejects.toThrow('a name must be non-empty');
    await expect(Engine.create({ commands: { X: { arity: 1, flags: ['nope' as 'write'], handler: h } } })).rejects.toThrow("unknown flag 'nope'");
    await expect(Engine.create({ commands: { X: { arity: 1, handler: h }, x: { arity: 1, handler: h } } })).rejects.toThrow('defined twice');
    await expect(Engine.create({ commands: { X: { arity: 2, firstKey: 2, lastKey: 1, handler: h } } })).rejects.toThrow('lastKey must be >= firstKey');
  });

  it('loads commandsModule on one thread too, and refuses both options at once', async () => {
    const one = await startServer({ port: 0, bind: '127.0.0.1', logLevel: 'silent', commandsModule: MODULE });
    const c = await RawClient.connect(one.port);
    expect(text(await c.send('PI'))).toBe('$4\r\n3.25\r\n');
    await c.close();
    await one.close();
    await expect(startServer({ port: 0, logLevel: 'silent', commands, commandsModule: MODULE })).rejects.toThrow('either commands or commandsModule');
    await expect(startServer({ port: 0, logLevel: 'silent', commandsModule: MODULE + '.missing' })).rejects.toThrow();
  });

  it('refuses commands with threads > 1 and points to commandsModule', async () => {
    await expect(startServer({ port: 0, logLevel: 'silent', threads: 2, commands }))
      .rejects.toThrow(/commandsModule/);
  });
});

describe('custom commands: in-process Engine', () => {
  it('runs custom commands beside the built-in ones', async () => {
    const db = await Engine.create({ commands });
    await db.call('SET', 'k', '41');
    expect(await db.call('SLOWINCR', 'k')).toBe(42);
    expect(await db.call('myget', 'k')).toBe('42');
    await expect(db.call('BOOM')).rejects.toThrow('ERR kaboom');
    await expect(db.call('MYGET')).rejects.toThrow("ERR wrong number of arguments for 'myget' command");
    expect(await db.call('COMMAND', 'INFO', 'pi')).toEqual([['pi', 1, ['fast'], 0, 0, 0, ['@fast'], [], [], []]]);
    await db.call('MULTI');
    await db.call('SLOWINCR', 'k');
    await db.call('MSETX', 'x', '1');
    expect(await db.call('EXEC')).toEqual([43, 'OK']);
    // a real client over the in-process transport
    const redis = new Redis(db.ioredisOptions());
    expect(await redis.call('MYGET', 'x')).toBe('1');
    redis.disconnect();
    db.close();
  });

  it('refuses ctx.call after the handler returned', async () => {
    let saved: { call(c: string): unknown } | undefined;
    const db = await Engine.create({ commands: { KEEP: { arity: 1, handler: (ctx) => { saved = ctx; } } } });
    expect(await db.call('KEEP')).toBe('OK');
    expect(() => saved!.call('PING')).toThrow("ctx.call of custom command 'keep' used after its handler returned");
    db.close();
  });

  it('keeps custom commands of different engines apart', async () => {
    const a = await Engine.create({ commands: { ONLYA: { arity: 1, handler: () => 'a' } } });
    const b = await Engine.create();
    expect(await a.call('ONLYA')).toBe('a');
    await expect(b.call('ONLYA')).rejects.toThrow("ERR unknown command 'ONLYA'");
    expect(await b.call('COMMAND', 'INFO', 'onlya')).toEqual([null]);
    a.close();
    b.close();
  });
});

describe('custom commands: threaded server (commandsModule)', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({ port: 0, bind: '127.0.0.1', logLevel: 'silent', threads: 2, commandsModule: MODULE });
  });
  afterAll(async () => { await server.close(); });

  it('serves the module\'s commands on every thread, atomically', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => RawClient.connect(server.port)));
    expect(text(await clients[0]!.send('COMMAND', 'COUNT'))).toMatch(/^:\d+\r\n$/);
    // SLOWINCR reads then writes in two calls: lost updates would show if it were not atomic
    const perClient = 200;
    await Promise.all(clients.map(async (c) => {
      for (let i = 0; i < perClient; i += 20) {
        c.write(Buffer.concat(Array.from({ length: 20 }, () => Buffer.from('*2\r\n$8\r\nSLOWINCR\r\n$3\r\nctr\r\n'))));
        await c.readReplies(20);
      }
    }));
    expect(text(await clients[0]!.send('GET', 'ctr'))).toBe(`$4\r\n${8 * perClient}\r\n`);
    // each thread answers arity and COMMAND INFO for the custom commands
    for (const c of clients.slice(0, 2)) {
      expect(text(await c.send('MYGET'))).toBe("-ERR wrong number of arguments for 'myget' command\r\n");
      expect(text(await c.send('COMMAND', 'INFO', 'myget'))).toMatch(/^\*1\r\n\*10\r\n\$5\r\nmyget\r\n/);
    }
    await Promise.all(clients.map((c) => c.close()));
  });
});
