/**
 * Differential: connection commands, error texts (arity, unknown command, wrong type, integers),
 * RESP2 vs RESP3 (HELLO), AUTH, against redis-server.
 */
import { describe, it } from 'vitest';
import { describeDiff, useDiffEnv, diffCases, Pair, type StepInput } from '../helpers/transcript.js';

const LONG = 'a'.repeat(200);

const cases: Record<string, readonly StepInput[]> = {
  PING: ['PING', 'PING hello', 'PING ""', 'PING "with space"', 'PING a b', 'ping', 'PiNg x'],
  ECHO: [
    'ECHO hello',
    'ECHO ""',
    'ECHO "a\\r\\nb"',
    'ECHO "\\x00\\xff"',
    'ECHO 12345',
    'ECHO',
    'ECHO a b',
    'echo lower',
  ],
  SELECT: [
    'SELECT 0',
    'SELECT 15',
    'SET k db15',
    'SELECT 16',
    'GET k',
    'SELECT -1',
    'SELECT abc',
    'SELECT ""',
    'SELECT 1.0',
    'SELECT " 1"',
    'SELECT 01',
    'GET k',
    'SELECT 9223372036854775808',
    'SELECT',
    'SELECT 0 1',
    'SELECT 0',
    'GET k',
  ],
  'unknown commands': [
    'FOO',
    'FOO a b',
    'foo "a b" c',
    `FOO ${LONG} b`,
    `${'C'.repeat(200)}`,
    `${'C'.repeat(200)} x`,
    'FOO "a\\r\\nb"',
    'FOO "a\\nb" "c\\rd"',
    '""',
    '"" a',
    'GETT k',
    'SET_ k v',
    'OBJECT FOO',
    'OBJECT "fo\\no"',
    'CONFIG FOO',
  ],
  'wrong number of arguments': [
    'GET',
    'GET a b',
    'SET',
    'SET k',
    'MGET',
    'MSET k',
    'GETRANGE k 0',
    'SETRANGE k 0',
    'INCR',
    'INCRBY k',
    'DECRBY k 1 2',
    'APPEND k',
    'LCS k',
    'get',
    'GeT a b',
    'PING a b c',
    'ECHO',
    'SELECT',
    'HELLO 3 AUTH',
    'OBJECT',
    'OBJECT ENCODING',
    'OBJECT ENCODING a b',
  ],
  'wrong type': [
    'RPUSH l a',
    'GET l',
    'INCR l',
    'APPEND l x',
    'SETRANGE l 0 x',
    'GETEX l',
    'SET s v',
    'LPUSH s x',
    'SADD s x',
    'HSET s f v',
    'ZADD s 1 m',
    'LRANGE s 0 -1',
    'TYPE s',
  ],
  'integer and float errors': [
    'SET k v',
    'INCR k',
    'INCRBY n x',
    'INCRBY n 99999999999999999999',
    'INCRBY n -99999999999999999999',
    'INCRBYFLOAT k 1',
    'INCRBYFLOAT n x',
    'EXPIRE k x',
    'GETRANGE k x 1',
    'SETRANGE k x v',
    'SETRANGE k -1 v',
    'SELECT x',
    'SET max 9223372036854775807',
    'INCR max',
    'SET min -9223372036854775808',
    'DECR min',
    'INCRBY min -1',
    'DECRBY min 1',
    'DECRBY min -9223372036854775808',
  ],
  'syntax errors': [
    'SET k v FOO',
    'SET k v EX',
    'SET k v NX XX',
    'GETEX k FOO',
    'LCS a b FOO',
    'SCAN 0 FOO x',
    'FLUSHDB FOO',
    'FLUSHALL FOO',
    'COPY a b FOO',
    'EXPIRE k 10 FOO',
  ],
  'invalid expire time': [
    'SET k v EX 0',
    'SET k v PX -1',
    'SET k v EX 9223372036854775807',
    'SET k v EXAT 0',
    'SETEX k 0 v',
    'PSETEX k -1 v',
    'GETEX k EX 0',
    'SET k v',
    'GETEX k EX 0',
    'GETEX k PX -1',
    'GETEX k EXAT 0',
    'GETEX k EX 9223372036854775807',
    'EXPIRE k 9223372036854775807',
    'PEXPIRE k 9223372036854775807',
    'EXPIREAT k 9223372036854775807',
    'PEXPIREAT k 9223372036854775807',
  ],
  HELLO: [
    'hello: HELLO',
    'hello: HELLO 2',
    'PING',
    'GET nokey',
    'hello: HELLO 3',
    'PING',
    'GET nokey',
    'MGET a nokey',
    'INCRBYFLOAT f 1.5',
    'hello: HELLO 2',
    'GET nokey',
    'hello: HELLO 4',
    'hello: HELLO 1',
    'hello: HELLO 0',
    'hello: HELLO -1',
    'hello: HELLO abc',
    'hello: HELLO 3 FOO',
    'hello: HELLO 3 AUTH',
    'hello: HELLO 3 AUTH default',
    'hello: HELLO 3 AUTH default nopass',
    'hello: HELLO 3 AUTH nouser nopass',
    'hello: HELLO 3 SETNAME myname',
    'CLIENT GETNAME',
    'hello: HELLO 3 SETNAME "bad name"',
    'hello: HELLO 3 SETNAME',
    'hello: hello 2 setname other',
    'CLIENT GETNAME',
  ],
  'AUTH without requirepass': ['AUTH foo', 'AUTH default foo', 'AUTH', 'AUTH a b c'],
  'null replies per protocol': [
    'RANDOMKEY',
    'GET nokey',
    'MGET nokey',
    'GETDEL nokey',
    'GETEX nokey',
    'GETSET gs v',
    'SET k v NX GET',
    'SET sg v GET',
    'LCS nokey1 nokey2',
    'OBJECT ENCODING nokey',
    'OBJECT IDLETIME nokey',
    'OBJECT REFCOUNT nokey',
    'SET x v NX',
    'SET x v NX',
    'SET y v XX',
  ],
  'null replies from other types': [
    'GET nokey',
    'LPOP nolist',
    'HGET nohash f',
    'ZSCORE nozset m',
  ],
};

describeDiff('differential: connection', () => {
  const env = useDiffEnv();
  diffCases(env, cases);

  describe('QUIT', () => {
    it('replies +OK and closes the connection', async () => {
      const p = await env.pair(2);
      await p.cmd('PING');
      await p.raw('*1\r\n$4\r\nQUIT\r\n', 'QUIT');
      await p.close();
      p.assertOk();
    });
    it('QUIT with an argument still quits', async () => {
      const p = await env.pair(2);
      await p.raw('*2\r\n$4\r\nQUIT\r\n$1\r\nx\r\n', 'QUIT x');
      await p.close();
      p.assertOk();
    });
    it('commands pipelined after QUIT are not executed', async () => {
      const p = await env.pair(2);
      await p.raw('*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1\r\n1\r\n*1\r\n$4\r\nQUIT\r\n*2\r\n$4\r\nINCR\r\n$1\r\nq\r\n', 'SET; QUIT; INCR');
      await p.close();
      const q = await env.pair(2, false);
      await q.cmd('GET q');
      await q.close();
      p.assertOk();
      q.assertOk();
    });
  });

  describe('RESET', () => {
    it('RESET returns to RESP2, db 0, no name', async () => {
      const p = await env.pair(3);
      await p.run(['SELECT 3', 'SET k v', 'CLIENT SETNAME n', 'RESET', 'GET nokey', 'GET k', 'CLIENT GETNAME', 'RESET x']);
      await p.close();
      p.assertOk();
    });
  });
});

describeDiff('differential: connection with requirepass', () => {
  const env = useDiffEnv({ target: { requirepass: 's3cret' } });

  const steps: readonly StepInput[] = [
    'GET k',
    'SET k v',
    'PING',
    'ECHO x',
    'SELECT 1',
    'FOO',
    'HELLO 3',
    'AUTH wrong',
    'AUTH default wrong',
    'AUTH nouser s3cret',
    'GET k',
    'AUTH s3cret',
    'PING',
    'SET k v',
    'GET k',
    'AUTH s3cret',
    'AUTH wrong',
    'GET k',
  ];
  for (const resp of [2, 3] as const) {
    it(`RESP${resp}: NOAUTH, AUTH, WRONGPASS`, async () => {
      const p = await env.pair(2, false);
      if (resp === 3) await p.cmd({ args: ['HELLO', '3', 'AUTH', 'default', 's3cret'], rule: 'hello' });
      else await p.run([...steps]);
      await p.run(['FLUSHALL', 'GET k', 'hello: HELLO 3 AUTH default wrong', 'hello: HELLO 2 AUTH default s3cret']);
      await p.close();
      p.assertOk();
    });
  }

  it('unauthenticated multibulk length limit', async () => {
    const p = await env.pair(2, false);
    // unauthenticated clients may not send more than 10 arguments / 16 KiB bulks
    await p.raw('*20\r\n', 'unauthenticated *20');
    await p.close();
    const q = await env.pair(2, false);
    await q.raw('*1\r\n$20000\r\n', 'unauthenticated $20000');
    await q.close();
    p.assertOk();
    q.assertOk();
  });

  it('HELLO with AUTH authenticates', async () => {
    const p = await env.pair(2, false);
    await p.run(['hello: HELLO 2 AUTH default s3cret', 'PING', 'SET k v', 'GET k', 'DEL k']);
    await p.close();
    p.assertOk();
  });

  it('pair helper works unauthenticated', async () => {
    const p = await Pair.open(env.oracle(), env.target(), 2);
    await p.run(['PING']);
    await p.close();
    p.assertOk();
  });
});
