// ReplyWriter: every reply kind rendered for RESP2 and RESP3, as Redis 7.0's addReply* does.

import { describe, expect, it } from 'vitest';
import { formatDouble, ReplyWriter } from '../../src/resp/reply-writer.js';

interface WriterCase {
  name: string;
  write: (w: ReplyWriter) => unknown;
  resp2: string;
  resp3: string;
}

const same = (name: string, write: (w: ReplyWriter) => unknown, bytes: string): WriterCase => ({
  name,
  write,
  resp2: bytes,
  resp3: bytes,
});

const cases: WriterCase[] = [
  same('status', (w) => w.status('OK'), '+OK\r\n'),
  same('status with CR/LF', (w) => w.status('a\r\nb'), '+a  b\r\n'),
  same('status UTF-8', (w) => w.status('héllo\n'), '+h\xc3\xa9llo \r\n'),
  same('error', (w) => w.error('ERR unknown command'), '-ERR unknown command\r\n'),
  same('error with newline', (w) => w.error('ERR a\nb'), '-ERR a b\r\n'),
  same('int 0', (w) => w.int(0), ':0\r\n'),
  same('int 9', (w) => w.int(9), ':9\r\n'),
  same('int 10', (w) => w.int(10), ':10\r\n'),
  same('int negative', (w) => w.int(-1234567), ':-1234567\r\n'),
  same('int max safe', (w) => w.int(Number.MAX_SAFE_INTEGER), ':9007199254740991\r\n'),
  same('int unsafe number', (w) => w.int(2 ** 63), ':9223372036854775808\r\n'),
  same('int bigint', (w) => w.int(-9223372036854775808n), ':-9223372036854775808\r\n'),
  same('bulk string', (w) => w.bulk('hello'), '$5\r\nhello\r\n'),
  same('bulk empty', (w) => w.bulk(''), '$0\r\n\r\n'),
  same('bulk UTF-8', (w) => w.bulk('é€'), '$5\r\n\xc3\xa9\xe2\x82\xac\r\n'),
  same('bulk long UTF-8', (w) => w.bulk('é'.repeat(200)), `$400\r\n${'\xc3\xa9'.repeat(200)}\r\n`),
  same('bulk long ASCII', (w) => w.bulk('a'.repeat(300)), `$300\r\n${'a'.repeat(300)}\r\n`),
  same('bulk bytes', (w) => w.bulk(new Uint8Array([0, 13, 10, 255])), '$4\r\n\0\r\n\xff\r\n'),
  same('bulk keeps CR/LF', (w) => w.bulk('a\r\nb'), '$4\r\na\r\nb\r\n'),
  same('arrayLen', (w) => w.arrayLen(2).bulk('a').int(1), '*2\r\n$1\r\na\r\n:1\r\n'),
  same('empty array', (w) => w.arrayLen(0), '*0\r\n'),
  same('raw bytes', (w) => w.raw(new Uint8Array([0x2b, 0x4f, 0x4b, 13, 10])), '+OK\r\n'),
  same('raw string', (w) => w.raw('+QUEUED\r\n'), '+QUEUED\r\n'),
  { name: 'bulk null', write: (w) => w.bulk(null), resp2: '$-1\r\n', resp3: '_\r\n' },
  { name: 'null', write: (w) => w.null(), resp2: '$-1\r\n', resp3: '_\r\n' },
  { name: 'nullArray', write: (w) => w.nullArray(), resp2: '*-1\r\n', resp3: '_\r\n' },
  {
    name: 'map',
    write: (w) => w.mapLen(2).bulk('a').int(1).bulk('b').int(2),
    resp2: '*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n',
    resp3: '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n',
  },
  { name: 'set', write: (w) => w.setLen(1).bulk('x'), resp2: '*1\r\n$1\r\nx\r\n', resp3: '~1\r\n$1\r\nx\r\n' },
  {
    name: 'push',
    write: (w) => w.pushLen(2).bulk('message').bulk('hi'),
    resp2: '*2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n',
    resp3: '>2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n',
  },
  { name: 'double 1.1 (ZSCORE in 7.0)', write: (w) => w.double(1.1), resp2: '$18\r\n1.1000000000000001\r\n', resp3: ',1.1000000000000001\r\n' },
  { name: 'double integral', write: (w) => w.double(3), resp2: '$1\r\n3\r\n', resp3: ',3\r\n' },
  { name: 'double inf', write: (w) => w.double(Infinity), resp2: '$3\r\ninf\r\n', resp3: ',inf\r\n' },
  { name: 'double -inf', write: (w) => w.double(-Infinity), resp2: '$4\r\n-inf\r\n', resp3: ',-inf\r\n' },
  { name: 'double nan', write: (w) => w.double(NaN), resp2: '$3\r\nnan\r\n', resp3: ',nan\r\n' },
  { name: 'double 1e-05', write: (w) => w.double(1e-5), resp2: '$22\r\n1.0000000000000001e-05\r\n', resp3: ',1.0000000000000001e-05\r\n' },
  { name: 'bool true', write: (w) => w.bool(true), resp2: ':1\r\n', resp3: '#t\r\n' },
  { name: 'bool false', write: (w) => w.bool(false), resp2: ':0\r\n', resp3: '#f\r\n' },
  {
    name: 'verbatim',
    write: (w) => w.verbatim('# Server\r\nredis_version:7.0.15'),
    resp2: '$30\r\n# Server\r\nredis_version:7.0.15\r\n',
    resp3: '=34\r\ntxt:# Server\r\nredis_version:7.0.15\r\n',
  },
  { name: 'verbatim markdown', write: (w) => w.verbatim('*hi*', 'mkd'), resp2: '$4\r\n*hi*\r\n', resp3: '=8\r\nmkd:*hi*\r\n' },
  {
    name: 'big number',
    write: (w) => w.bigNumber('3492890328409238509324850943850943825024385'),
    resp2: '$43\r\n3492890328409238509324850943850943825024385\r\n',
    resp3: '(3492890328409238509324850943850943825024385\r\n',
  },
];

describe('ReplyWriter', () => {
  for (const c of cases) {
    it(c.name, () => {
      for (const resp of [2, 3] as const) {
        const w = new ReplyWriter(resp);
        c.write(w);
        const expected = resp === 2 ? c.resp2 : c.resp3;
        expect(w.toBuffer().toString('latin1'), `RESP${resp}`).toBe(expected);
        expect(w.length).toBe(Buffer.byteLength(expected, 'latin1'));
      }
    });
  }

  it('defaults to RESP2 and can switch protocol (HELLO)', () => {
    const w = new ReplyWriter();
    expect(w.resp).toBe(2);
    w.null();
    w.resp = 3;
    w.null();
    expect(w.toBuffer().toString()).toBe('$-1\r\n_\r\n');
  });

  it('toBuffer copies; reset empties and the writer is reusable', () => {
    const w = new ReplyWriter();
    w.status('OK');
    const first = w.toBuffer();
    w.reset();
    expect(w.length).toBe(0);
    w.status('NO');
    expect(first.toString()).toBe('+OK\r\n');
    expect(w.toBuffer().toString()).toBe('+NO\r\n');
  });

  it('grows past its initial buffer', () => {
    const w = new ReplyWriter();
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    w.arrayLen(3).bulk('k'.repeat(20_000)).bulk(big).int(5);
    const out = w.toBuffer();
    expect(out.subarray(0, 9).toString()).toBe('*3\r\n$2000');
    expect(out.length).toBe(4 + 8 + 20_000 + 2 + 10 + big.length + 2 + 4);
    expect(out.subarray(out.length - 4).toString()).toBe(':5\r\n');
    w.reset();
    w.status('OK');
    expect(w.toBuffer().toString()).toBe('+OK\r\n');
  });

  it('int refuses non-integers', () => {
    expect(() => new ReplyWriter().int(1.5)).toThrow(TypeError);
    expect(() => new ReplyWriter().int(NaN)).toThrow(TypeError);
  });
});

describe('formatDouble (%.17g like Redis 7.0)', () => {
  const table: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [1.1, '1.1000000000000001'],
    [0.1, '0.10000000000000001'],
    [1 / 3, '0.33333333333333331'],
    [0.0001, '0.0001'],
    [1e-5, '1.0000000000000001e-05'],
    [1e16, '10000000000000000'],
    [1e17, '1e+17'],
    [2 ** 60, '1.152921504606847e+18'],
    [123456789.123, '123456789.123'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '4.9406564584124654e-324'],
    // Exactly halfway at the 17th digit: printf rounds to even, toExponential would round up.
    [0.00953769683837890625, '0.0095376968383789062'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ];
  for (const [d, text] of table) {
    it(`${text}`, () => expect(formatDouble(d)).toBe(text));
  }
});
