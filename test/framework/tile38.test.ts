/**
 * Tile38's native protocol (`$<length> <payload>\r\n`) as redcon / RedHub detect it: the
 * request parser (whole, byte by byte, mixed with RESP and inline, errors) and a framework
 * server answering native clients with `$<length> <json>\r\n`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { RespRequestParser, splitTile38Payload, type ParsedRequest } from '../../src/resp/request-parser.js';
import { ProtocolError } from '../../src/resp/errors.js';
import { listen, appendTile38, ReplyWriter, type FrameworkServer } from '../../src/framework/index.js';
import { RawClient } from '../helpers/raw-client.js';

const t38 = (payload: string): string => `$${Buffer.byteLength(payload)} ${payload}\r\n`;

/** Parse `input` whole and byte by byte; both must agree. Returns args as strings plus kinds. */
function parse(input: string | Buffer, tile38 = true): { cmds: string[][]; kinds: (string | undefined)[]; error?: string } {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const run = (chunks: Buffer[]) => {
    const p = new RespRequestParser({ tile38 });
    const got: ParsedRequest[] = [];
    let error: string | undefined;
    for (const c of chunks) {
      try {
        got.push(...(p.execute(c) as ParsedRequest[]));
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        got.push(...(err.commands as ParsedRequest[]));
        error = err.message;
        break;
      }
    }
    return { cmds: got.map((a) => a.map((b) => b.toString())), kinds: got.map((a) => a.kind), error };
  };
  const whole = run([bytes]);
  const byByte = run([...bytes].map((b) => Buffer.from([b])));
  expect(byByte).toEqual(whole);
  return whole;
}

describe('Tile38 native requests: parser', () => {
  it('splits the payload on spaces', () => {
    expect(parse(t38('SET fleet truck1 POINT 33.5123 -112.2693'))).toEqual({
      cmds: [['SET', 'fleet', 'truck1', 'POINT', '33.5123', '-112.2693']], kinds: ['tile38'], error: undefined,
    });
    expect(parse(t38('  GET   fleet  truck1 ')).cmds).toEqual([['GET', 'fleet', 'truck1']]);
  });

  it('a word starting with { takes the rest (JSON with spaces)', () => {
    const json = '{"type":"Point", "coordinates": [-112.2693, 33.5123]}';
    expect(parse(t38(`SET fleet truck1 OBJECT ${json}`)).cmds).toEqual([['SET', 'fleet', 'truck1', 'OBJECT', json]]);
  });

  it('SET … STRING "quoted value" keeps the spaces and drops the quotes; elsewhere quotes are plain bytes', () => {
    expect(parse(t38('SET props k1 STRING "hello big world"')).cmds).toEqual([['SET', 'props', 'k1', 'STRING', 'hello big world']]);
    expect(parse(t38('set props k1 string "x"')).cmds).toEqual([['set', 'props', 'k1', 'string', 'x']]);
    expect(parse(t38('GET "a b"')).cmds).toEqual([['GET', '"a', 'b"']]);
    expect(parse(t38('SET props k1 STRING "')).cmds).toEqual([['SET', 'props', 'k1', 'STRING', '"']]);
  });

  it('binary and UTF-8 payloads; the length counts bytes', () => {
    expect(parse(t38('SET k é€ x')).cmds).toEqual([['SET', 'k', 'é€', 'x']]);
    const bin = Buffer.concat([Buffer.from('$5 A '), Buffer.from([0, 0xff, 0x0a]), Buffer.from('\r\n')]);
    const p = new RespRequestParser({ tile38: true });
    expect(p.execute(bin).map((a) => a.map((b) => [...b]))).toEqual([[[0x41], [0, 0xff, 0x0a]]]);
  });

  it('an empty payload is no command; pipelines mix Tile38, RESP and inline requests', () => {
    expect(parse('$0 \r\n').cmds).toEqual([]);
    const mixed = t38('PING') + '*2\r\n$3\r\nGET\r\n$1\r\na\r\n' + 'INLINE cmd\r\n' + t38('STATS fleet') + t38('');
    expect(parse(mixed)).toEqual({
      cmds: [['PING'], ['GET', 'a'], ['INLINE', 'cmd'], ['STATS', 'fleet']],
      kinds: ['tile38', undefined, 'inline', 'tile38'],
      error: undefined,
    });
  });

  it('malformed: ERR Protocol error: invalid message, after the commands before it', () => {
    const bad = 'ERR Protocol error: invalid message';
    expect(parse(t38('PING') + '$x PING\r\n')).toEqual({ cmds: [['PING']], kinds: ['tile38'], error: bad });
    expect(parse('$-1 \r\n').error).toBe(bad);
    expect(parse('$ PING\r\n').error).toBe(bad);
    expect(parse('$4 PINGxx').error).toBe(bad); // the payload must be followed by \r\n
    expect(parse('$4 PING\n\n').error).toBe(bad);
    expect(parse('$12345678901 x').error).toBe(bad); // length field too long
    expect(parse('$4').error).toBeUndefined(); // incomplete: waits
    expect(parse('$4 PI').cmds).toEqual([]);
  });

  it('the length is bounded by maxBulkLen', () => {
    const p = new RespRequestParser({ tile38: true, maxBulkLen: 10 });
    expect(() => p.execute(Buffer.from('$11 '))).toThrow('invalid message');
  });

  it('off (Redis behaviour): a $ line is an inline request', () => {
    expect(parse('$3 abc\r\n', false)).toEqual({ cmds: [['$3', 'abc']], kinds: ['inline'], error: undefined });
  });

  it('splitTile38Payload on its own', () => {
    expect(splitTile38Payload(Buffer.from('a  b {"c": 1} d')).map(String)).toEqual(['a', 'b', '{"c": 1} d']);
    expect(splitTile38Payload(Buffer.from(''))).toEqual([]);
  });

  it('appendTile38 frames a message', () => {
    expect(appendTile38(new ReplyWriter(), '{"ok":true}').toBuffer().toString()).toBe('$11 {"ok":true}\r\n');
    expect(appendTile38(new ReplyWriter(), 'é').toBuffer().toString()).toBe('$2 é\r\n');
  });
});

describe('Tile38 native requests: framework server', () => {
  let srv: FrameworkServer;
  let off: FrameworkServer;
  const handler: Parameters<typeof listen>[1] = (conn, cmd) => {
    const args = cmd.args.map(String);
    if (cmd.kind === 'tile38') conn.writeTile38(JSON.stringify({ ok: true, args }));
    else { conn.writeArray(2); conn.writeBulkString(cmd.kind); conn.writeBulkString(args.join(' ')); }
  };
  beforeAll(async () => {
    srv = await listen('127.0.0.1:0', handler, undefined, undefined, { shims: false });
    off = await listen('127.0.0.1:0', handler, undefined, undefined, { shims: false, tile38: false });
  });
  afterAll(async () => { await Promise.all([srv.close(), off.close()]); });

  it('answers a native request in the native framing; RESP and inline on the same connection stay RESP', async () => {
    const c = await RawClient.connect(srv.port);
    c.write(t38('SET fleet truck1 OBJECT {"type":"Point","coordinates":[1, 2]}') + '*1\r\n$4\r\nPING\r\nhello there\r\n');
    const { bytes } = await c.collect(100);
    const json = JSON.stringify({ ok: true, args: ['SET', 'fleet', 'truck1', 'OBJECT', '{"type":"Point","coordinates":[1, 2]}'] });
    expect(bytes.toString()).toBe(`$${json.length} ${json}\r\n*2\r\n$4\r\nresp\r\n$4\r\nPING\r\n*2\r\n$6\r\ninline\r\n$11\r\nhello there\r\n`);
    await c.close();
  });

  it('trickled byte by byte, the same answer', async () => {
    const c = await RawClient.connect(srv.port);
    const req = t38('NEARBY fleet POINT 33.5 -112.2');
    for (const b of Buffer.from(req)) c.write(Buffer.from([b]));
    const { bytes } = await c.collect(100);
    const json = JSON.stringify({ ok: true, args: ['NEARBY', 'fleet', 'POINT', '33.5', '-112.2'] });
    expect(bytes.toString()).toBe(`$${json.length} ${json}\r\n`);
    await c.close();
  });

  it('a malformed native request: protocol error, connection closed', async () => {
    const c = await RawClient.connect(srv.port);
    c.write(t38('PING') + '$3 abcXX');
    const { bytes, closed } = await c.collect();
    const json = JSON.stringify({ ok: true, args: ['PING'] });
    expect(bytes.toString()).toBe(`$${json.length} ${json}\r\n-ERR Protocol error: invalid message\r\n`);
    expect(closed).toBe(true);
  });

  it('with tile38: false the line is an inline command, as in Redis', async () => {
    const c = await RawClient.connect(off.port);
    c.write('$4 PING\r\n');
    expect((await c.readReply()).toString()).toBe('*2\r\n$6\r\ninline\r\n$7\r\n$4 PING\r\n');
    await c.close();
  });
});
