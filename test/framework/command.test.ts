/**
 * Command's argument accessors (`argc`, `arg`, `str`, `copyArg`, `args`, `name`, `raw`, `kind`)
 * give the same answers whichever way a request reached the handler: whole in one read (the
 * session's fast path: arguments are offsets into the read, made on demand), split over reads
 * (the parser's state machine), inline, or mixed in one pipeline — sent whole and byte by byte.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { listen, Command, type FrameworkServer } from '../../src/framework/index.js';
import { RawClient } from '../helpers/raw-client.js';

/** What a handler can observe of one command, through every accessor. */
function observe(cmd: Command): unknown {
  const byIndex = Array.from({ length: cmd.argc }, (_, i) => ({
    arg: cmd.arg(i).toString('hex'),
    str: cmd.str(i),
    utf8: cmd.str(i, 'utf8'),
    copy: cmd.copyArg(i).toString('hex'),
  }));
  let outOfRange = '';
  try { cmd.arg(cmd.argc); } catch (e) { outOfRange = (e as Error).name; }
  return {
    name: cmd.name,
    argc: cmd.argc,
    byIndex,
    args: cmd.args.map((a) => a.toString('hex')),
    raw: cmd.raw.toString('hex'),
    kind: cmd.kind,
    outOfRange,
  };
}

let server: FrameworkServer;
const seen: unknown[] = [];
let copies: Buffer[] = [];

beforeAll(async () => {
  server = await listen('127.0.0.1:0', (conn, cmd) => {
    seen.push(observe(cmd));
    // a copy owns its bytes: writing to it leaves the request's bytes as they were
    if (cmd.argc > 1) {
      const before = cmd.arg(1).toString('hex');
      const c = cmd.copyArg(1);
      copies.push(Buffer.from(c));
      c.fill(0x21);
      if (cmd.arg(1).toString('hex') !== before) throw new Error('copyArg shares memory with the request');
    }
    conn.writeString('OK');
  }, undefined, undefined, { shims: false });
});
afterAll(async () => { await server.close(); });

const big = Buffer.alloc(300, 0xab);
const requests: Buffer[] = [
  Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n'),
  Buffer.concat([Buffer.from('*2\r\n$4\r\nEcHo\r\n$300\r\n'), big, Buffer.from('\r\n')]),
  Buffer.from('*3\r\n$3\r\nset\r\n$0\r\n\r\n$2\r\n\u00e9\u00ff\r\n', 'latin1'),
  Buffer.from('*2\r\n$4\r\nPING\r\n$6\r\nh\u00c3\u00a9llo\r\n', 'latin1'), // "héllo" in UTF-8
  Buffer.from('inline "quoted arg" plain\r\n'),
  Buffer.from('*1\r\n$13\r\nALONGERNAME12\r\n'),
];

async function run(chunks: Buffer[]): Promise<unknown[]> {
  seen.length = 0;
  copies = [];
  const client = await RawClient.connect(server.port);
  try {
    for (const c of chunks) {
      client.write(c);
      await new Promise((r) => setImmediate(r));
    }
    const replies = await client.readReplies(requests.length);
    expect(replies.map((r) => r.toString())).toEqual(requests.map(() => '+OK\r\n'));
  } finally {
    await client.close();
  }
  return [...seen];
}

describe('framework: Command accessors', () => {
  it('agree with each other and with the bytes sent, on every path', async () => {
    const whole = await run([Buffer.concat(requests)]);
    expect(whole).toHaveLength(requests.length);
    const first = whole[0] as { name: string; argc: number; byIndex: { str: string }[]; kind: string; outOfRange: string };
    expect(first.name).toBe('set');
    expect(first.argc).toBe(3);
    expect(first.byIndex.map((a) => a.str)).toEqual(['SET', 'key', 'value']);
    expect(first.kind).toBe('resp');
    expect(first.outOfRange).toBe('RangeError');
    expect((whole[3] as { byIndex: { utf8: string }[] }).byIndex[1]!.utf8).toBe('héllo');
    expect((whole[4] as { kind: string; byIndex: { str: string }[] }).kind).toBe('inline');
    expect((whole[4] as { byIndex: { str: string }[] }).byIndex.map((a) => a.str)).toEqual(['inline', 'quoted arg', 'plain']);
    expect((whole[5] as { name: string }).name).toBe('alongername12');
    expect(copies.map((c) => c.length)).toEqual([3, 300, 0, 6, 10]);

    // one request per read, byte by byte, and split in the middle of every request
    expect(await run(requests)).toEqual(whole);
    const all = Buffer.concat(requests);
    expect(await run([...all].map((b) => Buffer.from([b])))).toEqual(whole);
    const halves = requests.flatMap((r) => [r.subarray(0, r.length >> 1), r.subarray(r.length >> 1)]);
    expect(await run(halves)).toEqual(whole);
  });
});
