// COMMAND family replies and dispatch errors, against a live redis-server 7.0
// (the oracle) where one is installed. Every comparison is of raw reply bytes,
// in RESP2 and RESP3, except where Redis's reply lists more than we have
// (containers' subcommands, COMMAND LIST) or carries Redis's prose (DOCS):
// there the reply trees are compared after filtering / masking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, escapeBytes, parseReplyTree, type ReplyNode } from '../helpers/raw-client.js';
import { describeWithRedis, startRedis, type RedisInstance } from '../helpers/redis-oracle.js';
import { ReplyWriter } from '../../src/resp/reply-writer.js';
import { decodeReply } from '../../src/resp/reply-decoder.js';
import { commandCommand, getKeys } from '../../src/commands/command-command.js';
import {
  arityError,
  checkCommand,
  unknownCommandError,
  unknownCommandErrorBytes,
  unknownSubcommandError,
} from '../../src/commands/dispatch-info.js';
import { stringMatch } from '../../src/resp/glob.js';
import { COMMANDS, findCommand, type CommandSpec } from '../../src/commands/spec.js';

const b = (s: string) => Buffer.from(s, 'latin1');

/** Our reply to `args` as raw bytes. */
function ours(resp: 2 | 3, ...args: (string | Buffer)[]): Buffer {
  const out = new ReplyWriter(resp);
  commandCommand(args.map((a) => (typeof a === 'string' ? b(a) : a)), out);
  return out.toBuffer();
}

const text = (buf: Buffer) => escapeBytes(buf, 100_000);
const allSpecs = (): CommandSpec[] => COMMANDS.flatMap((c) => [c, ...(c.subcommands ?? [])]);
/** Names Redis 7.0 does not have (so there is nothing to compare against). */
const NOT_IN_REDIS_7_0 = new Set(['client|setinfo']);
const ourNames = new Set(allSpecs().map((c) => c.name));
/** Our names that redis-server 7.0 also has. */
const comparable = new Set([...ourNames].filter((n) => !NOT_IN_REDIS_7_0.has(n)));

// ---------------------------------------------------------------- reply trees

type Tree = string | Tree[];

/** A reply tree as nested arrays: leaves are `<type><payload>`, aggregates `[type, ...children]`. */
function tree(node: ReplyNode): Tree {
  if (node.children) return [node.type, ...node.children.map(tree)];
  return node.type + (node.data === null ? '<null>' : node.data.toString('latin1'));
}
const parse = (buf: Buffer): Tree => tree(parseReplyTree(buf).node);
const leaf = (t: Tree) => (typeof t === 'string' ? t.slice(1) : undefined);

/** Keeps only the entries of a COMMAND INFO subcommand array that we implement, sorted by name. */
function filterInfo(t: Tree): Tree {
  if (typeof t === 'string' || t[0] !== '*' || t.length !== 11) return t;
  const subs = t[10] as Tree[];
  if (subs[0] !== '*') return t; // empty set: no subcommands
  const kept = subs.slice(1).filter((s) => comparable.has(leaf((s as Tree[])[1]!)!)).map(filterInfo);
  kept.sort((x, y) => leaf((x as Tree[])[1]!)!.localeCompare(leaf((y as Tree[])[1]!)!));
  return [...t.slice(0, 10), ['*', ...kept]];
}

/** COMMAND DOCS entry with our prose masked and subcommands filtered + sorted. */
function maskDocs(t: Tree): Tree {
  if (typeof t === 'string') return t;
  const [type, ...kv] = t;
  const out: Tree[] = [type!];
  const pairs: [Tree, Tree][] = [];
  for (let i = 0; i < kv.length; i += 2) pairs.push([kv[i]!, kv[i + 1]!]);
  for (const [k, v] of pairs) {
    const key = leaf(k);
    if (key === 'summary' || key === 'complexity' || key === 'replaced_by') out.push(k, '$<prose>');
    else if (key === 'history') out.push(k, [(v as Tree[])[0]!, ...(v as Tree[]).slice(1).map((h) => [(h as Tree[])[0]!, (h as Tree[])[1]!, '$<prose>'])]);
    else if (key === 'subcommands') {
      const [mapType, ...entries] = v as Tree[];
      const subs: [Tree, Tree][] = [];
      for (let i = 0; i < entries.length; i += 2) {
        if (comparable.has(leaf(entries[i]!)!)) subs.push([entries[i]!, maskDocs(entries[i + 1]!)]);
      }
      subs.sort((x, y) => leaf(x[0])!.localeCompare(leaf(y[0])!));
      out.push(k, [mapType!, ...subs.flat()]);
    } else out.push(k, v);
  }
  return out;
}

/** The (possibly prose-masked) DOCS reply for one name: [mapType, name, entry]. */
function maskDocsReply(t: Tree): Tree {
  const [type, ...kv] = t as Tree[];
  const out: Tree[] = [type!];
  for (let i = 0; i < kv.length; i += 2) out.push(kv[i]!, maskDocs(kv[i + 1]!));
  return out;
}

// ---------------------------------------------------------------- tests without an oracle

describe('COMMAND (local)', () => {
  it('COMMAND and COMMAND INFO list every top-level command once', () => {
    for (const resp of [2, 3] as const) {
      const all = decodeReply(ours(resp, 'COMMAND'))!.value as unknown[][];
      expect(all.map((e) => e[0])).toEqual(COMMANDS.map((c) => c.name));
      expect(ours(resp, 'command', 'info')).toEqual(ours(resp, 'COMMAND'));
    }
    expect(ours(2, 'COMMAND', 'COUNT')).toEqual(b(`:${COMMANDS.length}\r\n`));
  });

  it('COMMAND LIST lists commands then their subcommands', () => {
    const names = decodeReply(ours(2, 'COMMAND', 'LIST'))!.value as string[];
    expect(names).toEqual(COMMANDS.flatMap((c) => [c.name, ...(c.subcommands ?? []).map((s) => s.name)]));
    expect(decodeReply(ours(2, 'COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'))!.value).toEqual([]);
    expect(decodeReply(ours(2, 'COMMAND', 'LIST', 'filterby', 'aclcat', 'Dangerous'))!.value)
      .toEqual(allSpecs().filter((c) => c.aclCategories.includes('@dangerous')).map((c) => c.name));
  });

  it('COMMAND DOCS carries our summaries', () => {
    const docs = decodeReply(ours(3, 'COMMAND', 'DOCS', 'get', 'client|setinfo'))!.value as Record<string, Record<string, unknown>>;
    expect(docs.get!.summary).toBe(findCommand('get')!.summary);
    expect(docs['client|setinfo']!.since).toBe('7.2.0');
  });

  it('getKeys follows key specs, and SET flags follow GET', () => {
    const keys = (name: string, ...argv: string[]) => getKeys(findCommand(name)!, [name, ...argv]);
    expect(keys('mset', 'a', '1', 'b', '2')).toEqual([{ pos: 1, flags: ['OW', 'update'] }, { pos: 3, flags: ['OW', 'update'] }]);
    expect(keys('set', 'k', 'v', 'EX', '1', 'get')[0]!.flags).toEqual(['RW', 'access', 'update']);
    expect(keys('set', 'k', 'v')[0]!.flags).toEqual(['OW', 'update']);
    expect(keys('mset', 'a', '1', 'b').map((k) => k.pos)).toEqual([1, 3]);
  });

  it('dispatch errors', () => {
    expect(arityError('GET')).toBe("ERR wrong number of arguments for 'get' command");
    expect(arityError(findCommand('client')!.subcommands![1]!)).toBe("ERR wrong number of arguments for 'client|setname' command");
    expect(unknownCommandError(['foo'])).toBe("ERR unknown command 'foo', with args beginning with: ");
    expect(unknownCommandError(['foo', 'a', 'b'])).toBe("ERR unknown command 'foo', with args beginning with: 'a' 'b' ");
    expect(unknownSubcommandError('client', 'x')).toBe("ERR unknown subcommand 'x'. Try CLIENT HELP.");
    expect(checkCommand(['GeT', 'k'])).toMatchObject({ ok: true, cmd: findCommand('get') });
    expect(checkCommand(['client'])).toMatchObject({ ok: false, error: "ERR wrong number of arguments for 'client' command" });
    expect(checkCommand(['client', 'nope'])).toMatchObject({ ok: false, error: "ERR unknown subcommand 'nope'. Try CLIENT HELP." });
  });

  it('glob matching', () => {
    expect(stringMatch('cl*', 'client|id', true)).toBe(true);
    expect(stringMatch('CL?ENT', 'client', true)).toBe(true);
    expect(stringMatch('CL?ENT', 'client', false)).toBe(false);
    expect(stringMatch('[^a-c]*', 'client', true)).toBe(false);
    expect(stringMatch('*[', 'get', true)).toBe(false);
    expect(stringMatch('\\g*', 'get', true)).toBe(true);
    expect(stringMatch('a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(60), false)).toBe(false);
  });
});

// ---------------------------------------------------------------- against redis-server

describeWithRedis('COMMAND vs redis-server 7.0', () => {
  let redis: RedisInstance;
  const clients: Record<2 | 3, RawClient> = {} as Record<2 | 3, RawClient>;

  beforeAll(async () => {
    redis = await startRedis();
    clients[2] = await RawClient.connect(redis.port);
    clients[3] = await RawClient.connect(redis.port);
    await clients[3].send('HELLO', '3');
  }, 30_000);

  afterAll(async () => {
    clients[2]?.socket.destroy();
    clients[3]?.socket.destroy();
    await redis?.stop();
  });

  const theirs = (resp: 2 | 3, ...args: (string | Buffer)[]) => clients[resp].send(...args);

  it('COMMAND INFO get is byte-identical', async () => {
    for (const resp of [2, 3] as const) {
      expect(text(ours(resp, 'COMMAND', 'INFO', 'get'))).toBe(text(await theirs(resp, 'COMMAND', 'INFO', 'get')));
    }
  });

  it('COMMAND INFO matches for every command in the table', async () => {
    for (const resp of [2, 3] as const) {
      for (const cmd of allSpecs()) {
        if (NOT_IN_REDIS_7_0.has(cmd.name)) continue;
        const mine = ours(resp, 'COMMAND', 'INFO', cmd.name);
        const redisReply = await theirs(resp, 'COMMAND', 'INFO', cmd.name);
        if (cmd.subcommands) {
          // Redis has more subcommands than we do, in hash order.
          const [, entry] = parse(redisReply) as Tree[];
          const [, myEntry] = parse(mine) as Tree[];
          expect([cmd.name, filterInfo(myEntry!)]).toEqual([cmd.name, filterInfo(entry!)]);
        } else {
          expect([cmd.name, text(mine)]).toEqual([cmd.name, text(redisReply)]);
        }
      }
    }
  });

  it('COMMAND INFO with several names, unknown ones null', async () => {
    const args = ['COMMAND', 'INFO', 'get', 'nosuch', 'CLIENT|ID', 'get|x', 'client|', '|', 'client|id|x', '', 'Mset'];
    for (const resp of [2, 3] as const) expect(text(ours(resp, ...args))).toBe(text(await theirs(resp, ...args)));
  });

  it('COMMAND DOCS has the same shape for every command (our prose)', async () => {
    for (const resp of [2, 3] as const) {
      for (const cmd of allSpecs()) {
        if (NOT_IN_REDIS_7_0.has(cmd.name)) continue;
        const mine = maskDocsReply(parse(ours(resp, 'COMMAND', 'DOCS', cmd.name)));
        const redisDocs = maskDocsReply(parse(await theirs(resp, 'COMMAND', 'DOCS', cmd.name)));
        // Aggregate sizes are compared through their children (headers differ only in count).
        expect([cmd.name, mine]).toEqual([cmd.name, redisDocs]);
      }
      const several = ['COMMAND', 'DOCS', 'get', 'nosuch', 'SET', 'client|ID', 'get|x'];
      expect(maskDocsReply(parse(ours(resp, ...several)))).toEqual(maskDocsReply(parse(await theirs(resp, ...several))));
    }
  });

  it('COMMAND HELP, COUNT errors, unknown subcommands and arity errors', async () => {
    // HELP prose is ours: same reply kind and first line as Redis's
    for (const resp of [2, 3] as const) {
      const mine = ours(resp, 'COMMAND', 'HELP').toString('latin1').split('\r\n');
      const theirsHelp = (await theirs(resp, 'COMMAND', 'HELP')).toString('latin1').split('\r\n');
      expect(mine[0]).toMatch(/^\*\d+$/);
      expect(mine[1]).toBe(theirsHelp[1]);
    }
    const cases: string[][] = [
      ['command', 'help', 'x'],
      ['COMMAND', 'COUNT', 'x'],
      ['COMMAND', 'nosuch'],
      ['COMMAND', 'nosuch', 'a', 'b'],
      ['COMMAND', 'x'.repeat(200)],
      ['COMMAND', 'a\r\nb'],
      ['COMMAND', 'GETKEYS'],
      ['COMMAND', 'GETKEYS', 'get'],
      ['command', 'list', 'x'],
      ['command', 'list', 'filterby', 'pattern'],
      ['command', 'list', 'filterby', 'bogus', 'x'],
      ['command', 'list', 'filterby', 'pattern', 'x', 'y'],
      ['command', 'list', 'filterby', 'module', 'x'],
      ['command', 'list', 'filterby', 'aclcat', 'nosuch'],
    ];
    for (const resp of [2, 3] as const) {
      for (const args of cases) {
        expect([args.join(' '), text(ours(resp, ...args))]).toEqual([args.join(' '), text(await theirs(resp, ...args))]);
      }
    }
  });

  it('COMMAND GETKEYS and GETKEYSANDFLAGS', async () => {
    const cases: string[][] = [
      ['get', 'k'],
      ['GET', 'k', 'extra'],
      ['nosuch', 'a'],
      ['ping', 'x'],
      ['client', 'id'],
      ['object', 'encoding', 'k'],
      ['OBJECT', 'nope', 'k'],
      ['object', 'help'],
      ['set', 'k', 'v'],
      ['set', 'k', 'v', 'get'],
      ['set', 'k', 'v', 'EX', '10', 'GeT'],
      ['mset', 'a', '1', 'b', '2'],
      ['mset', 'a', '1', 'b'],
      ['msetnx', 'a', '1'],
      ['mget', 'a', 'b', 'c'],
      ['del', 'a', 'b'],
      ['exists', 'a'],
      ['touch', 'a', 'b', 'c'],
      ['unlink', 'x'],
      ['rename', 'a', 'b'],
      ['renamenx', 'a', 'b'],
      ['copy', 'a', 'b', 'DB', '1', 'REPLACE'],
      ['lcs', 'a', 'b', 'LEN'],
      ['move', 'a', '1'],
      ['getex', 'a', 'PERSIST'],
      ['expire', 'a', '10', 'NX'],
      ['keys', '*'],
      ['scan', '0'],
      ['swapdb', '0', '1'],
      ['setrange', 'k', '1', 'v'],
      ['getrange', 'k', '0', '1'],
      ['incrbyfloat', 'k', '1.5'],
    ];
    for (const resp of [2, 3] as const) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        for (const c of cases) {
          const args = ['COMMAND', sub, ...c];
          expect([args.join(' '), text(ours(resp, ...args))]).toEqual([args.join(' '), text(await theirs(resp, ...args))]);
        }
      }
    }
  });

  it('COMMAND LIST filters like Redis (restricted to our commands)', async () => {
    const filters: string[][] = [
      [],
      ['FILTERBY', 'PATTERN', 'cl*'],
      ['filterby', 'pattern', '*|*'],
      ['FILTERBY', 'PATTERN', 'C?IENT'],
      ['FILTERBY', 'PATTERN', '[a-c]*'],
      ['FILTERBY', 'PATTERN', '[^a-c]*'],
      ['FILTERBY', 'PATTERN', '[C-a]*'],
      ['FILTERBY', 'PATTERN', '*e*t'],
      ['FILTERBY', 'PATTERN', '\\g*'],
      ['FILTERBY', 'PATTERN', '['],
      ['FILTERBY', 'PATTERN', '*['],
      ['FILTERBY', 'PATTERN', '[get'],
      ['FILTERBY', 'PATTERN', 'get[\\]'],
      ['FILTERBY', 'PATTERN', 'g[a-'],
      ['FILTERBY', 'PATTERN', 'client|[i-k]*'],
      ['FILTERBY', 'PATTERN', '**t**'],
      ['FILTERBY', 'PATTERN', '?'],
      ['FILTERBY', 'PATTERN', '???'],
      ['FILTERBY', 'PATTERN', '*x'],
      ['FILTERBY', 'PATTERN', 'G[E]T'],
      ['FILTERBY', 'PATTERN', '*\\'],
      ['FILTERBY', 'PATTERN', ''],
      ['FILTERBY', 'ACLCAT', 'string'],
      ['FILTERBY', 'ACLCAT', 'KEYSPACE'],
      ['FILTERBY', 'ACLCAT', 'connection'],
      ['FILTERBY', 'ACLCAT', 'admin'],
      ['FILTERBY', 'ACLCAT', 'fast'],
      ['FILTERBY', 'ACLCAT', '@fast'],
    ];
    for (const f of filters) {
      const mine = decodeReply(ours(2, 'COMMAND', 'LIST', ...f))!.value as string[];
      const redisNames = (decodeReply(await theirs(2, 'COMMAND', 'LIST', ...f))!.value as string[])
        .filter((n) => ourNames.has(n) && !NOT_IN_REDIS_7_0.has(n));
      expect([f.join(' '), [...mine].filter((n) => !NOT_IN_REDIS_7_0.has(n)).sort()]).toEqual([f.join(' '), redisNames.sort()]);
    }
  });

  it('dispatch errors match Redis byte for byte', async () => {
    const client = clients[2];
    const check = async (args: Buffer[], utf8 = true) => {
      const redisReply = await client.send(...args);
      const result = checkCommand(args);
      expect(result.ok, `${text(redisReply)} for ${args.map((a) => a.toString('latin1')).join(' ')}`).toBe(false);
      if (!result.ok) {
        expect(text(Buffer.concat([b('-'), result.errorBytes, b('\r\n')]))).toBe(text(redisReply));
        if (utf8) expect(text(new ReplyWriter(2).error(result.error).toBuffer())).toBe(text(redisReply));
      }
    };
    // Wrong arity for every command and subcommand that can have it (nothing runs).
    for (const cmd of allSpecs()) {
      if (NOT_IN_REDIS_7_0.has(cmd.name)) continue;
      const words = cmd.container ? [cmd.container.name.toUpperCase(), cmd.name.split('|')[1]!] : [cmd.name.toUpperCase()];
      const argc = cmd.arity > 0 ? cmd.arity + 1 : -cmd.arity - 1;
      if (argc < words.length) continue; // arity -1 and the like: any count is valid
      const args = [...words, ...Array<string>(argc - words.length).fill('x')].map(b);
      await check(args);
    }
    const long = 'y'.repeat(150);
    const unknown: (string | Buffer)[][] = [
      ['foo'],
      ['foo', 'a', 'b'],
      ['FOO', ''],
      ['foo', '', '', ''],
      ['x'.repeat(200), 'x'],
      ['foo', 'b'.repeat(100), 'c'.repeat(100), 'd'],
      ['foo', long],
      ['foo', 'x\r\ny', 'z\0w', 'q'],
      ['f\0oo', '1'],
      ['a\nb'],
      ['foo', ...Array<string>(70).fill('ab')],
      ['foo', ...Array<string>(42).fill('a')],
      ['foo', Buffer.from('é'.repeat(40), 'utf8')],
      ['client', 'nope'],
      ['CLIENT', 'x'.repeat(200)],
      ['Object', 'a\r\nb'],
      ['config', 'nope', 'x'],
      ['command', 'z\0z'],
      ['cLiEnT\0zz', 'x'],
    ];
    for (const args of unknown) await check(args.map((a) => (typeof a === 'string' ? Buffer.from(a, 'utf8') : a)));
    // Bytes that are not UTF-8, and UTF-8 cut in the middle of a character: only the byte form is exact.
    await check([b('foo'), Buffer.from([0xc3, 0xa9, 0xff, 0x80])], false);
    await check([b('foo'), Buffer.from('aé'.repeat(50), 'utf8')], false);
    // The string form is the same text for UTF-8 arguments.
    expect(unknownCommandError(['foo', 'é'])).toBe("ERR unknown command 'foo', with args beginning with: 'é' ");
    expect(unknownCommandErrorBytes([b('foo'), Buffer.from([0xff])])).toEqual(Buffer.concat([b("ERR unknown command 'foo', with args beginning with: '"), Buffer.from([0xff]), b("' ")]));
  });
});
