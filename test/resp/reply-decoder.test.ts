// decodeReply / replyLength: every RESP2 and RESP3 type, fed whole and byte by byte
// (every strict prefix is incomplete).

import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/resp/errors.js';
import { decodeReply, ReplyError, replyLength } from '../../src/resp/reply-decoder.js';
import { ReplyWriter } from '../../src/resp/reply-writer.js';

interface DecoderCase {
  name: string;
  /** One complete reply, bytes as latin1. */
  input: string;
  value: unknown;
  /** Expected value with stringify: false, when it differs. */
  raw?: unknown;
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function withProto(key: string, value: unknown): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

const cases: DecoderCase[] = [
  { name: 'simple string', input: '+OK\r\n', value: 'OK', raw: b('OK') },
  { name: 'empty simple string', input: '+\r\n', value: '', raw: b('') },
  { name: 'error', input: '-ERR unknown command\r\n', value: new ReplyError('ERR unknown command') },
  { name: 'integer', input: ':42\r\n', value: 42 },
  { name: 'negative integer', input: ':-7\r\n', value: -7 },
  { name: 'large safe integer', input: ':9007199254740991\r\n', value: 9007199254740991 },
  { name: 'integer beyond 2^53', input: ':9223372036854775807\r\n', value: 9223372036854775807n },
  { name: 'negative integer beyond 2^53', input: ':-9223372036854775808\r\n', value: -9223372036854775808n },
  { name: 'bulk string', input: '$5\r\nhello\r\n', value: 'hello', raw: b('hello') },
  { name: 'empty bulk', input: '$0\r\n\r\n', value: '', raw: b('') },
  { name: 'binary bulk', input: '$4\r\n\r\n\0\xff\r\n', value: b('\r\n\0\xff').toString('utf8'), raw: b('\r\n\0\xff') },
  { name: 'UTF-8 bulk', input: '$2\r\n\xc3\xa9\r\n', value: 'é' },
  { name: 'null bulk', input: '$-1\r\n', value: null },
  { name: 'null array', input: '*-1\r\n', value: null },
  { name: 'empty array', input: '*0\r\n', value: [] },
  {
    name: 'nested array',
    input: '*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n',
    value: [1, ['a', null], 'x'],
    raw: [1, [b('a'), null], b('x')],
  },
  { name: 'array with an error inside', input: '*2\r\n+OK\r\n-ERR no\r\n', value: ['OK', new ReplyError('ERR no')] },
  { name: 'RESP3 null', input: '_\r\n', value: null },
  { name: 'double', input: ',1.1000000000000001\r\n', value: 1.1 },
  { name: 'double exponent', input: ',1e+17\r\n', value: 1e17 },
  { name: 'double inf', input: ',inf\r\n', value: Infinity },
  { name: 'double -inf', input: ',-inf\r\n', value: -Infinity },
  { name: 'double nan', input: ',nan\r\n', value: NaN },
  { name: 'boolean true', input: '#t\r\n', value: true },
  { name: 'boolean false', input: '#f\r\n', value: false },
  { name: 'big number', input: '(3492890328409238509324850943850943825024385\r\n', value: 3492890328409238509324850943850943825024385n },
  { name: 'verbatim', input: '=15\r\ntxt:Some string\r\n', value: 'Some string', raw: b('Some string') },
  { name: 'blob error', input: '!21\r\nSYNTAX invalid syntax\r\n', value: new ReplyError('SYNTAX invalid syntax') },
  {
    name: 'map with string keys',
    input: '%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n:2\r\n',
    value: { first: 1, second: 2 },
    raw: new Map<unknown, unknown>([[b('first'), 1], [b('second'), 2]]),
  },
  {
    name: 'map with an integer key',
    input: '%2\r\n+a\r\n:1\r\n:2\r\n+b\r\n',
    value: new Map<unknown, unknown>([['a', 1], [2, 'b']]),
  },
  { name: 'map with a __proto__ key', input: '%1\r\n+__proto__\r\n:1\r\n', value: withProto('__proto__', 1) },
  { name: 'empty map', input: '%0\r\n', value: {} },
  { name: 'set', input: '~2\r\n+a\r\n+b\r\n', value: ['a', 'b'] },
  { name: 'push', input: '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', value: ['message', 'ch', 'hi'] },
  { name: 'attribute is skipped', input: '|1\r\n+ttl\r\n:3600\r\n:5\r\n', value: 5 },
  {
    name: 'attribute inside an array',
    input: '*2\r\n|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n:2039123\r\n:9\r\n',
    value: [2039123, 9],
  },
  {
    name: 'HELLO 3 reply from redis-server 7.0',
    input:
      '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n' +
      '$2\r\nid\r\n:87\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
    value: { server: 'redis', version: '7.0.15', proto: 3, id: 87, mode: 'standalone', role: 'master', modules: [] },
  },
];

describe('decodeReply / replyLength', () => {
  for (const c of cases) {
    it(c.name, () => {
      const data = b(c.input);
      // Whole, at offset 0 and after a prefix, with trailing bytes that must be ignored.
      expect(replyLength(data)).toBe(data.length);
      expect(decodeReply(data)).toEqual({ value: c.value, end: data.length });
      const framed = Buffer.concat([b('+pre\r\n'), data, b('+post\r\n')]);
      expect(replyLength(framed, 6)).toBe(data.length);
      expect(decodeReply(framed, 6)).toEqual({ value: c.value, end: 6 + data.length });
      if (c.raw !== undefined) {
        expect(decodeReply(data, 0, { stringify: false })).toEqual({ value: c.raw, end: data.length });
      }
      // Byte by byte: every strict prefix is incomplete.
      for (let n = 0; n < data.length; n++) {
        const prefix = new Uint8Array(data.subarray(0, n));
        expect(replyLength(prefix), `prefix ${n}`).toBe(-1);
        expect(decodeReply(prefix), `prefix ${n}`).toBeUndefined();
      }
    });
  }

  it('errors decode to ReplyError values', () => {
    const got = decodeReply(b('-WRONGTYPE Operation against a key\r\n'))!;
    expect(got.value).toBeInstanceOf(ReplyError);
    expect((got.value as ReplyError).message).toBe('WRONGTYPE Operation against a key');
  });

  it('stringify: false copies bulk bytes', () => {
    const data = b('$3\r\nabc\r\n');
    const got = decodeReply(data, 0, { stringify: false })!.value as Buffer;
    data[4] = 0x78;
    expect(got.toString()).toBe('abc');
  });

  it('walks a pipeline of replies', () => {
    const data = b('+OK\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n_\r\n');
    const values: unknown[] = [];
    for (let at = 0; at < data.length; ) {
      const len = replyLength(data, at);
      const got = decodeReply(data, at)!;
      expect(got.end - at).toBe(len);
      values.push(got.value);
      at = got.end;
    }
    expect(values).toEqual(['OK', 1, ['a', null], null]);
  });

  it('decodes what ReplyWriter writes, in both protocols', () => {
    for (const resp of [2, 3] as const) {
      const w = new ReplyWriter(resp);
      w.arrayLen(7).status('OK').int(-3).bulk('é').null().double(2.5).bool(true).mapLen(1).bulk('k').setLen(1).int(1);
      const bytes = w.toBuffer();
      expect(replyLength(bytes)).toBe(bytes.length);
      const expected = resp === 3
        ? ['OK', -3, 'é', null, 2.5, true, { k: [1] }]
        : ['OK', -3, 'é', null, '2.5', 1, ['k', [1]]];
      expect(decodeReply(bytes)!.value).toEqual(expected);
    }
  });

  it('rejects bytes that are not RESP', () => {
    for (const bad of ['?x\r\n', '$abc\r\n', '$3\r\nabcde\r\n', '+OK\rX', '*-2\r\n']) {
      expect(() => decodeReply(b(bad)), JSON.stringify(bad)).toThrow(ProtocolError);
      expect(() => replyLength(b(bad)), JSON.stringify(bad)).toThrow(ProtocolError);
    }
    // Only decoding looks inside values.
    for (const bad of ['#x\r\n', ',\r\n', ',abc\r\n', ':1a\r\n', ':\r\n', '(1.5\r\n', '_x\r\n']) {
      expect(() => decodeReply(b(bad)), JSON.stringify(bad)).toThrow(ProtocolError);
    }
  });
});
