/**
 * Differential: protocol level. Raw bytes go to both servers (inline commands, malformed RESP,
 * pipelined batches, byte-by-byte delivery); the bytes that come back and whether the server
 * closed the connection afterwards must match Redis.
 */
import { describe, it } from 'vitest';
import { describeDiff, useDiffEnv } from '../helpers/transcript.js';
import { encodeCommand, type Arg } from '../helpers/raw-client.js';

interface RawCase {
  name: string;
  bytes: string | Buffer;
  /** No reply and no close expected: wait less for the first byte. */
  silent?: boolean;
  /** Commands to send first (as multibulk), e.g. to create keys. */
  before?: string;
}

const cmd = (...args: Arg[]) => encodeCommand(args).toString('latin1');

const inline: RawCase[] = [
  { name: 'PING CRLF', bytes: 'PING\r\n' },
  { name: 'PING LF only', bytes: 'PING\n' },
  { name: 'ping with argument', bytes: 'ping hello\r\n' },
  { name: 'leading and repeated spaces', bytes: '   SET   a    b   \r\nGET a\r\n' },
  { name: 'tabs as separators', bytes: 'SET\ta\tb\r\nGET\ta\r\n' },
  { name: 'double quoted argument', bytes: 'SET a "hello world"\r\nGET a\r\n' },
  { name: 'single quoted argument', bytes: "ECHO 'single quoted'\r\n" },
  { name: 'escapes in double quotes', bytes: 'ECHO "tab\\there\\nnl\\x41\\x00end"\r\n' },
  { name: 'escaped quote in single quotes', bytes: "ECHO 'it\\'s'\r\n" },
  { name: 'empty quoted argument', bytes: 'ECHO ""\r\n' },
  { name: 'binary via \\x escapes', bytes: 'SET b "\\x00\\xff\\r\\n"\r\nGET b\r\nSTRLEN b\r\n' },
  { name: 'unbalanced double quote', bytes: 'SET a "unterminated\r\n' },
  { name: 'unbalanced single quote', bytes: "SET a 'x\r\n" },
  { name: 'closing quote followed by a character', bytes: 'ECHO "a"b\r\n' },
  { name: 'empty line then PING', bytes: '\r\nPING\r\n' },
  { name: 'blank lines and spaces', bytes: '\r\n\n   \r\nPING\r\n' },
  { name: 'CR without LF is part of the line', bytes: 'PING\rx\r\n' },
  { name: 'inline wrong arity', bytes: 'GET\r\n' },
  { name: 'inline unknown command', bytes: 'NOPE a b\r\n' },
  { name: 'inline syntax error', bytes: 'SET a b c d\r\n' },
  { name: 'inline lower case', bytes: 'set k v\r\nget k\r\n' },
  { name: 'several inline commands in one write', bytes: 'SET n 1\r\nINCR n\r\nINCRBY n 10\r\nGET n\r\n' },
  { name: 'inline mixed with multibulk', bytes: `PING\r\n${cmd('ECHO', 'mb')}PING inline\r\n${cmd('PING')}` },
  { name: 'NUL byte inside an inline command (Redis waits: strchr stops at NUL)', bytes: 'ECHO a\x00b\r\n', silent: true },
  { name: 'inline starting with $', bytes: '$4\r\nPING\r\n' },
  { name: 'inline starting with :', bytes: ':1\r\n' },
  { name: 'inline starting with +', bytes: '+OK\r\n' },
  { name: 'inline QUIT', bytes: 'QUIT\r\nPING\r\n' },
  { name: 'too big inline request', bytes: 'A'.repeat(100_000) },
];

const multibulk: RawCase[] = [
  { name: 'plain multibulk', bytes: '*1\r\n$4\r\nPING\r\n' },
  { name: 'lower case', bytes: '*1\r\n$4\r\nping\r\n' },
  { name: 'invalid multibulk length', bytes: '*abc\r\n' },
  { name: 'multibulk length with +', bytes: '*+1\r\n$4\r\nPING\r\n' },
  { name: 'multibulk length with leading zero', bytes: '*01\r\n$4\r\nPING\r\n' },
  { name: 'multibulk length with space', bytes: '* 1\r\n$4\r\nPING\r\n' },
  { name: 'multibulk length too large', bytes: '*2147483648\r\n' },
  { name: 'multibulk length INT_MAX is accepted', bytes: '*2147483647\r\n', silent: true },
  { name: 'multibulk length 1048577', bytes: '*1048577\r\n', silent: true },
  { name: 'negative multibulk length is ignored', bytes: '*-1\r\nPING\r\n' },
  { name: '*-10 is ignored', bytes: '*-10\r\nPING\r\n' },
  { name: 'zero multibulk length is ignored', bytes: '*0\r\n*1\r\n$4\r\nPING\r\n' },
  { name: 'empty multibulk length', bytes: '*\r\n' },
  { name: 'invalid bulk length', bytes: '*1\r\n$abc\r\n' },
  { name: 'negative bulk length', bytes: '*1\r\n$-1\r\n' },
  { name: 'empty bulk length', bytes: '*1\r\n$\r\n' },
  { name: 'bulk length with leading zero', bytes: '*1\r\n$04\r\nPING\r\n' },
  { name: 'bulk length over proto-max-bulk-len', bytes: '*1\r\n$536870913\r\n' },
  { name: 'bulk length of exactly 512 MiB is accepted', bytes: '*1\r\n$536870912\r\n', silent: true },
  { name: "expected '$'", bytes: '*1\r\nfoo\r\n' },
  { name: "expected '$' got ':'", bytes: '*2\r\n$4\r\nECHO\r\n:1\r\n' },
  { name: 'bulk payload without CRLF is accepted', bytes: '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n' },
  { name: 'empty command name', bytes: '*1\r\n$0\r\n\r\n' },
  { name: 'binary argument', bytes: `${cmd('SET', 'bin', Buffer.from([0, 13, 10, 255]))}${cmd('GET', 'bin')}` },
  { name: 'incomplete command gets no reply', bytes: '*3\r\n$3\r\nSET\r\n$1\r\na\r\n', silent: true },
  { name: 'incomplete bulk gets no reply', bytes: '*1\r\n$4\r\nPI', silent: true },
  { name: 'incomplete count line gets no reply', bytes: '*1', silent: true },
  { name: 'good commands before a protocol error are answered', bytes: `${cmd('SET', 'x', '1')}${cmd('INCR', 'x')}*1\r\n$x\r\n${cmd('INCR', 'x')}` },
  { name: 'nothing after a protocol error is executed', bytes: `*1\r\n$x\r\n${cmd('SET', 'after', '1')}` },
  { name: 'too big mbulk count string', bytes: `*${'1'.repeat(70_000)}` },
  { name: 'too big bulk count string', bytes: `*1\r\n$${'1'.repeat(70_000)}` },
  { name: 'multibulk count line of 100 digits', bytes: `*${'1'.repeat(100)}\r\n` },
  { name: 'QUIT in a pipeline', bytes: `${cmd('PING')}${cmd('QUIT')}${cmd('PING')}` },
];

function pipelineBatch(n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const k = `k${i % 17}`;
    switch (i % 9) {
      case 0:
        parts.push(encodeCommand(['SET', k, String(i)]));
        break;
      case 1:
        parts.push(encodeCommand(['GET', k]));
        break;
      case 2:
        parts.push(encodeCommand(['INCR', k]));
        break;
      case 3:
        parts.push(encodeCommand(['APPEND', k, 'x'.repeat(i % 50)]));
        break;
      case 4:
        parts.push(encodeCommand(['MGET', k, 'k1', 'k2', 'nokey']));
        break;
      case 5:
        parts.push(encodeCommand(['DEL', k]));
        break;
      case 6:
        parts.push(encodeCommand(['EXISTS', k, 'k3']));
        break;
      case 7:
        parts.push(Buffer.from(`ECHO inline${i}\r\n`));
        break;
      default:
        parts.push(encodeCommand(['GETRANGE', k, '0', String(i % 5)]));
    }
  }
  return Buffer.concat(parts);
}

describeDiff('differential: protocol', () => {
  const env = useDiffEnv();

  for (const [group, list] of [
    ['inline', inline],
    ['multibulk', multibulk],
  ] as const) {
    describe(group, () => {
      for (const c of list) {
        it(c.name, async () => {
          const p = await env.pair(2);
          await p.raw(c.bytes, undefined, c.silent ? { firstMs: 300, idleMs: 300 } : {});
          await p.close();
          // the server must still be alive and answering
          const q = await env.pair(2, false);
          await q.cmd('PING');
          await q.close();
          p.assertOk();
          q.assertOk();
        });
      }
    });
  }

  describe('RESP3 connection', () => {
    for (const c of [inline[0]!, inline[5]!, multibulk[2]!, multibulk[13]!, multibulk[21]!]) {
      it(c.name, async () => {
        const p = await env.pair(3);
        await p.raw(c.bytes);
        await p.close();
        p.assertOk();
      });
    }
  });

  describe('split delivery', () => {
    it('a command completed by a later write', async () => {
      const p = await env.pair(2);
      await p.raw('*3\r\n$3\r\nSET\r\n$1\r\na\r\n', 'first half', { firstMs: 200 });
      await p.raw('$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n', 'second half');
      await p.raw('PI', 'inline first half', { firstMs: 200 });
      await p.raw('NG\r\n', 'inline second half');
      await p.close();
      p.assertOk();
    });

    it('byte by byte: multibulk and inline commands', async () => {
      const p = await env.pair(2);
      const bytes = `${cmd('SET', 'key', 'value with spaces')}${cmd('GET', 'key')}SET n 10\r\nINCRBY n 5\r\n${cmd('MGET', 'key', 'n', 'none')}`;
      await p.raw(bytes, 'byte by byte', { byteByByte: true });
      await p.close();
      p.assertOk();
    });

    it('byte by byte: protocol error', async () => {
      const p = await env.pair(2);
      await p.raw(`${cmd('PING')}*2\r\n$3\r\nGET\r\n$x\r\n`, 'byte by byte, bad bulk length', { byteByByte: true });
      await p.close();
      p.assertOk();
    });
  });

  describe('pipelining', () => {
    it('1000 mixed commands in one write', async () => {
      const p = await env.pair(2);
      await p.raw(pipelineBatch(1000), '1000 pipelined commands');
      await p.close();
      p.assertOk();
    });

    it('1000 mixed commands in one write (RESP3)', async () => {
      const p = await env.pair(3);
      await p.raw(pipelineBatch(1000), '1000 pipelined commands');
      await p.close();
      p.assertOk();
    });

    it('10000 PINGs in one write', async () => {
      const p = await env.pair(2);
      await p.raw(Buffer.concat(Array.from({ length: 10_000 }, () => encodeCommand(['PING']))), '10000 × PING');
      await p.close();
      p.assertOk();
    });

    it('pipeline split at every 7th byte boundary', async () => {
      const p = await env.pair(2);
      const batch = pipelineBatch(60);
      for (let i = 0; i < batch.length; i += 7) {
        p.oracle.write(batch.subarray(i, i + 7));
        p.target.write(batch.subarray(i, i + 7));
        await new Promise((r) => setImmediate(r));
      }
      await p.raw('', 'after 60 commands written in 7-byte pieces');
      await p.close();
      p.assertOk();
    });

    it('pipelined replies through send() match one by one', async () => {
      const p = await env.pair(2);
      const cmds: Arg[][] = [];
      for (let i = 0; i < 200; i++) cmds.push(i % 2 ? ['INCR', 'c'] : ['GET', 'c']);
      const [a, b] = await Promise.all([p.oracle.pipeline(cmds), p.target.pipeline(cmds)]);
      await p.close();
      const diffs = a.map((x, i) => (x.equals(b[i]!) ? null : i)).filter((i) => i !== null);
      if (diffs.length) throw new Error(`pipelined replies differ at ${diffs.slice(0, 10).join(', ')}`);
    });
  });
});
