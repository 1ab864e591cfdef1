// The JS request parser: the shared case table, plus behaviour specific to this implementation.

import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/resp/errors.js';
import { RespRequestParser } from '../../src/resp/request-parser.js';
import { multibulk, runParserSuite } from './request-cases.js';

runParserSuite('js', (opts) => new RespRequestParser(opts));

const latin1 = (cmds: Buffer[][]): string[][] => cmds.map((c) => c.map((a) => a.toString('latin1')));

describe('RespRequestParser', () => {
  it('returns commands completed before an error through err.commands', () => {
    const parser = new RespRequestParser();
    let caught: unknown;
    try {
      parser.execute(Buffer.from(`${multibulk('SET', 'a', 'b')}PING\r\n*x\r\n`));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    const err = caught as ProtocolError;
    expect(err.message).toBe('ERR Protocol error: invalid multibulk length');
    expect(latin1(err.commands)).toEqual([['SET', 'a', 'b'], ['PING']]);
  });

  it('stays failed until reset', () => {
    const parser = new RespRequestParser();
    expect(() => parser.execute(Buffer.from('*1\r\n$-1\r\n'))).toThrow('invalid bulk length');
    expect(() => parser.execute(Buffer.from('PING\r\n'))).toThrow('invalid bulk length');
    parser.reset();
    expect(latin1(parser.execute(Buffer.from('PING\r\n')))).toEqual([['PING']]);
  });

  it('reset drops a half-read command', () => {
    const parser = new RespRequestParser();
    expect(parser.execute(Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nk'))).toEqual([]);
    parser.reset();
    expect(latin1(parser.execute(Buffer.from('PING\r\n')))).toEqual([['PING']]);
  });

  it('authRequired can be switched off after AUTH', () => {
    const parser = new RespRequestParser({ authRequired: true });
    expect(latin1(parser.execute(Buffer.from(multibulk('AUTH', 'pw'))))).toEqual([['AUTH', 'pw']]);
    parser.authRequired = false;
    const args = Array.from({ length: 20 }, (_, i) => `a${i}`);
    expect(latin1(parser.execute(Buffer.from(multibulk('DEL', ...args))))).toEqual([['DEL', ...args]]);
  });

  it('arguments stay intact when later chunks arrive', () => {
    const parser = new RespRequestParser();
    const got: Buffer[][] = [];
    // A straddling inline line, a straddling small bulk and a straddling large bulk.
    const big = 'x'.repeat(100_000);
    const stream = Buffer.from(`ECHO abc\r\n${multibulk('ECHO', 'hello')}${multibulk('SET', 'k', big)}`);
    for (const cut of [7, 12, 30, 50, 70_000]) {
      // Feed everything up to `cut`, then the rest in 1 KiB chunks, overwriting nothing.
      parser.reset();
      got.length = 0;
      got.push(...parser.execute(stream.subarray(0, cut)));
      for (let at = cut; at < stream.length; at += 1024) {
        got.push(...parser.execute(Buffer.from(stream.subarray(at, at + 1024))));
      }
      // Garbage fed afterwards must not change what was handed out.
      parser.execute(Buffer.alloc(5000, 'Z'));
      expect(latin1(got)).toEqual([['ECHO', 'abc'], ['ECHO', 'hello'], ['SET', 'k', big]]);
    }
  });

  it('complete arguments are views into the chunk (no copy)', () => {
    const parser = new RespRequestParser();
    const chunk = Buffer.from(multibulk('GET', 'key'));
    const [cmd] = parser.execute(chunk);
    expect(cmd![1]!.buffer).toBe(chunk.buffer);
  });

  it('collects a large bulk split into many chunks', () => {
    const parser = new RespRequestParser();
    const size = 20 * 1024 * 1024;
    const header = Buffer.from(`*2\r\n$3\r\nSET\r\n$${size}\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'q');
    expect(parser.execute(header)).toEqual([]);
    for (let sent = 0; sent < size; sent += chunk.length) {
      expect(parser.execute(chunk.subarray(0, Math.min(chunk.length, size - sent)))).toEqual([]);
    }
    const [cmd] = parser.execute(Buffer.from('\r\n'));
    expect(cmd![1]!.length).toBe(size);
    expect(cmd![1]![size - 1]).toBe(0x71);
  });

  it('grows a bulk larger than the preallocation cap', () => {
    const parser = new RespRequestParser();
    const size = 9 * 1024 * 1024 + 7;
    const value = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4093) value[i] = i & 0xff;
    const stream = Buffer.concat([Buffer.from(`*1\r\n$${size}\r\n`), value, Buffer.from('\r\n')]);
    const cmds: Buffer[][] = [];
    for (let at = 0; at < stream.length; at += 1_000_003) {
      cmds.push(...parser.execute(stream.subarray(at, at + 1_000_003)));
    }
    expect(cmds.length).toBe(1);
    expect(cmds[0]![0]!.equals(value)).toBe(true);
  });
});
