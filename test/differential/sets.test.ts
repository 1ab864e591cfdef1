/**
 * Differential: Redis 7.0 set commands (SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
 * SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN),
 * RESP2 and RESP3, against redis-server.
 *
 * Also: the intset encoding (which members are integers as Redis's string2ll reads them, the
 * 16/32/64-bit widths, ascending order — SMEMBERS of an intset is compared exactly), the
 * intset → hashtable conversion at set-max-intset-entries (also after CONFIG SET), the encodings
 * of *STORE results (SDIFFSTORE's choice of algorithm shows in OBJECT ENCODING), missing and
 * WRONGTYPE keys in the multi-key commands, destinations of another type, keys deleted when
 * emptied, the generic keyspace commands, and long seeded random sequences against Redis. SPOP
 * and SRANDMEMBER picks are random: they are checked for shape, size, distinctness and
 * membership, and after an SPOP both servers remove whatever either popped, so the sequence
 * goes on with equal sets. Hashtable sets reply in Redis's hash order: compared sorted.
 */
import { it } from 'vitest';
import {
  describeDiff,
  useDiffEnv,
  diffCases,
  skipUnlessImplemented,
  pipelineCases,
  type DiffEnv,
  type Pair,
  type StepInput,
} from '../helpers/transcript.js';
import { parseReplyTree, type Arg } from '../helpers/raw-client.js';
import { pairsRule, randomRule, randomPop, setUniverse, replyKinds } from '../helpers/collections.js';
import { Prng } from '../resp/prng.js';

const NOW_S = Math.floor(Date.now() / 1000);
const FUTURE_S = NOW_S + 100_000;
const BIN = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const BIG = 'm'.repeat(100 * 1024);

/** SADD key <prefix>0 … <prefix>(n-1) */
function members(cmd: string, key: string, n: number, prefix = '', from = 0): Arg[] {
  const a: Arg[] = [cmd, key];
  for (let i = from; i < from + n; i++) a.push(`${prefix}${i}`);
  return a;
}

const ALL_SET_COMMANDS =
  'SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN';

const ints = (xs: (string | number)[]) => ({ members: new Set(xs.map(String)) });

const cases: Record<string, readonly StepInput[]> = {
  'SADD SCARD SISMEMBER SMEMBERS basics': [
    'SCARD s',
    'SMEMBERS s',
    'SISMEMBER s a',
    'SADD s a',
    'SADD s a',
    'SADD s b c a d',
    'SCARD s',
    'sort: SMEMBERS s',
    'SISMEMBER s a',
    'SISMEMBER s zz',
    'SISMEMBER nokey a',
    'SADD s',
    'SADD',
    'SCARD',
    'SCARD s extra',
    'SISMEMBER s',
    'SISMEMBER s a b',
    'SMEMBERS',
    'SMEMBERS s extra',
    'sadd s lower',
    'SaDd s Mixed',
    'SCARD s',
    'TYPE s',
    'OBJECT ENCODING s',
    'SADD n 3 1 2',
    'SMEMBERS n',
    'OBJECT ENCODING n',
    'SADD n 2 3 4 4 4',
    'SMEMBERS n',
    'SCARD n',
  ],
  'SMISMEMBER': [
    'SMISMEMBER nokey a b',
    'SADD s a b 1',
    'SMISMEMBER s a',
    'SMISMEMBER s a zz b 1 01',
    'SMISMEMBER s a a',
    'SMISMEMBER s',
    'SADD n 1 2 3',
    'SMISMEMBER n 1 01 " 1" +1 3 4 -0 0',
    'SET str v',
    'SMISMEMBER str a',
  ],
  'SREM and emptied keys': [
    'SREM nokey a',
    'SADD s a b c d',
    'SREM s a',
    'SREM s a',
    'SREM s b c zz',
    'SMEMBERS s',
    'SREM s d d d',
    'EXISTS s',
    'TYPE s',
    'SCARD s',
    'SADD s a',
    'SREM s zz a yy',
    'EXISTS s',
    'SREM s',
    'SADD n 1 2 3 70000 -70000 5000000000',
    'SREM n 70000 01 " 2" 2',
    'SMEMBERS n',
    'OBJECT ENCODING n',
    'SREM n 1 3 -70000 5000000000',
    'EXISTS n',
    'SET str v',
    'SREM str a',
  ],
  'intset: which members are integers': [
    'SADD a 0',
    'OBJECT ENCODING a',
    'SADD b -0',
    'OBJECT ENCODING b',
    'SADD c 01',
    'OBJECT ENCODING c',
    'SADD d +1',
    'OBJECT ENCODING d',
    'SADD e " 1"',
    'OBJECT ENCODING e',
    'SADD f "1 "',
    'OBJECT ENCODING f',
    'SADD g 1.0',
    'OBJECT ENCODING g',
    'SADD h ""',
    'OBJECT ENCODING h',
    'SADD i 9223372036854775807 -9223372036854775808',
    'OBJECT ENCODING i',
    'SMEMBERS i',
    'SADD j 9223372036854775808',
    'OBJECT ENCODING j',
    'SADD k -9223372036854775809',
    'OBJECT ENCODING k',
    'SADD l 1e3',
    'OBJECT ENCODING l',
    'SADD m 0x10',
    'OBJECT ENCODING m',
    'SADD n 123456789012345678901',
    'OBJECT ENCODING n',
    'SADD o 1 2 3 a',
    'OBJECT ENCODING o',
    'sort: SMEMBERS o',
    'SREM o a',
    'OBJECT ENCODING o',
    'sort: SMEMBERS o',
    'SADD p a 1',
    'OBJECT ENCODING p',
    'SADD q 1 -1 0',
    'SISMEMBER q -0',
    'SISMEMBER q 00',
    'SISMEMBER q 0',
    'SMEMBERS q',
  ],
  'intset: widths and order': [
    'SADD s 5 -3 100',
    'SMEMBERS s',
    'SADD s 32767 -32768',
    'SMEMBERS s',
    'SADD s 32768',
    'SMEMBERS s',
    'SADD s -32769',
    'SMEMBERS s',
    'SADD s 2147483647 -2147483648',
    'SMEMBERS s',
    'SADD s 2147483648',
    'SMEMBERS s',
    'SADD s -2147483649',
    'SADD s 9223372036854775807 -9223372036854775808 0',
    'SMEMBERS s',
    'SCARD s',
    'SISMEMBER s 2147483648',
    'SISMEMBER s -2147483649',
    'SISMEMBER s 9223372036854775807',
    'SISMEMBER s 6',
    'SREM s 9223372036854775807 -9223372036854775808 5',
    'SMEMBERS s',
    'OBJECT ENCODING s',
    'SADD w -5000000000',
    'SMEMBERS w',
    'SADD w 1 2 3',
    'SMEMBERS w',
    'SADD x 40000',
    'SADD x -1 1',
    'SMEMBERS x',
    'SINTER s x',
    'SUNION s x',
    'SDIFF s x',
  ],
  'intset to hashtable at set-max-intset-entries': [
    members('SADD', 's', 512),
    'OBJECT ENCODING s',
    'SCARD s',
    'SMEMBERS s',
    'SADD s 5',
    'OBJECT ENCODING s',
    'SADD s 512',
    'OBJECT ENCODING s',
    'SREM s 512 511 510',
    'OBJECT ENCODING s',
    'SCARD s',
    'sort: SMEMBERS s',
    members('SADD', 's2', 513),
    'OBJECT ENCODING s2',
    'pairs: CONFIG GET set-max-*',
    'CONFIG GET set-max-listpack-entries',
    'CONFIG GET set-max-listpack-value',
    'SADD c 1 2 3',
    'CONFIG SET set-max-intset-entries 2',
    'OBJECT ENCODING c',
    'SADD c 3',
    'OBJECT ENCODING c',
    'SADD c 4',
    'OBJECT ENCODING c',
    'SADD d 1 2',
    'OBJECT ENCODING d',
    'SADD d 3',
    'OBJECT ENCODING d',
    'CONFIG SET set-max-intset-entries 0',
    'SADD e 1',
    'OBJECT ENCODING e',
    'SMEMBERS e',
    'CONFIG SET set-max-intset-entries -1',
    'CONFIG SET set-max-intset-entries abc',
    'CONFIG SET set-max-intset-entries 512',
    'CONFIG GET set-max-intset-entries',
    'SADD f 1',
    'OBJECT ENCODING f',
  ],
  'a large intset (raised threshold)': [
    'CONFIG SET set-max-intset-entries 5000',
    members('SADD', 'big', 3000, '-', 1),
    members('SADD', 'big', 1000, '', 70000),
    'SADD big 9000000000 -9000000000',
    'OBJECT ENCODING big',
    'SCARD big',
    'SMEMBERS big',
    'SREM big -0 -1 70500 9000000000',
    'SISMEMBER big -2999',
    'SISMEMBER big 70999',
    'SSCAN big 0 MATCH 7099*',
    'SINTERCARD 1 big LIMIT 10',
    'CONFIG SET set-max-intset-entries 512',
    'SADD big 1',
    'OBJECT ENCODING big',
    'SADD big -1',
    'OBJECT ENCODING big',
  ],
  'SPOP: deterministic cases and errors': [
    'SPOP nokey',
    'SPOP nokey 0',
    'SPOP nokey 3',
    'SPOP nokey -1',
    'SPOP nokey abc',
    'SADD s 3 1 2',
    'SPOP s 0',
    'SPOP s -1',
    'SPOP s abc',
    'SPOP s 1.5',
    'SPOP s ""',
    'SPOP s -9223372036854775808',
    'SPOP s 1 2',
    'SPOP s abc 2',
    'SCARD s',
    'SPOP s 3',
    'EXISTS s',
    'SADD s 10 -5 7',
    'SPOP s 100',
    'EXISTS s',
    'SADD s 1 2',
    'SPOP s 9223372036854775807',
    'EXISTS s',
    'SADD s a b c',
    'sort: SPOP s 3',
    'EXISTS s',
    'SADD one x',
    'SPOP one',
    'EXISTS one',
    'SADD one 42',
    'SPOP one',
    'EXISTS one',
    'SET str v',
    'SPOP str',
    'SPOP str 1',
    'SPOP str 0',
    'SPOP str -1',
    'SPOP',
  ],
  'SPOP random picks (shape, membership, what remains)': [
    'SADD s 1 2 3 4 5 6 7 8 9 10',
    { args: ['SPOP', 's'], rule: randomRule(ints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { distinct: true }) },
    'SCARD s',
    { args: ['SPOP', 's', '3'], rule: randomRule(ints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { distinct: true }) },
    'SCARD s',
    { args: ['SPOP', 's', '5'], rule: randomRule(ints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { distinct: true }) },
    'SCARD s',
    'OBJECT ENCODING s',
    'SADD t a b c d e f g h',
    { args: ['SPOP', 't', '1'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), { distinct: true }) },
    { args: ['SPOP', 't', '6'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), { distinct: true }) },
    'SCARD t',
    { args: ['SPOP', 't'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), { distinct: true }) },
    'EXISTS t',
    'SCARD t',
  ],
  'SRANDMEMBER': [
    'SRANDMEMBER nokey',
    'SRANDMEMBER nokey 0',
    'SRANDMEMBER nokey 5',
    'SRANDMEMBER nokey -5',
    'SRANDMEMBER nokey abc',
    'SRANDMEMBER nokey -9223372036854775808',
    'SADD s 5 1 3',
    'SRANDMEMBER s 0',
    'SRANDMEMBER s 3',
    'SRANDMEMBER s 4',
    'SRANDMEMBER s 9223372036854775807',
    'SRANDMEMBER s -9223372036854775808',
    'SRANDMEMBER s 9223372036854775808',
    'SRANDMEMBER s abc',
    'SRANDMEMBER s 1.5',
    'SRANDMEMBER s 1 2',
    'SRANDMEMBER s abc 2',
    { args: ['SRANDMEMBER', 's'], rule: randomRule(ints([1, 3, 5]), { distinct: true }) },
    { args: ['SRANDMEMBER', 's', '1'], rule: randomRule(ints([1, 3, 5]), { distinct: true }) },
    { args: ['SRANDMEMBER', 's', '2'], rule: randomRule(ints([1, 3, 5]), { distinct: true }) },
    { args: ['SRANDMEMBER', 's', '-1'], rule: randomRule(ints([1, 3, 5]), { distinct: false }) },
    { args: ['SRANDMEMBER', 's', '-10'], rule: randomRule(ints([1, 3, 5]), { distinct: false }) },
    { args: ['SRANDMEMBER', 's', '-20000'], rule: randomRule(ints([1, 3, 5]), { distinct: false }) },
    'SCARD s',
    'SADD t a b c d e f',
    'sort: SRANDMEMBER t 6',
    'sort: SRANDMEMBER t 100',
    { args: ['SRANDMEMBER', 't', '4'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f']), { distinct: true }) },
    { args: ['SRANDMEMBER', 't', '5'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f']), { distinct: true }) },
    { args: ['SRANDMEMBER', 't', '-25'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f']), { distinct: false }) },
    { args: ['SRANDMEMBER', 't'], rule: randomRule(ints(['a', 'b', 'c', 'd', 'e', 'f']), { distinct: true }) },
    'SET str v',
    'SRANDMEMBER str',
    'SRANDMEMBER str 1',
    'SRANDMEMBER str abc',
    'SRANDMEMBER',
  ],
  'SMOVE': [
    'SMOVE nokey dst a',
    'SADD src a b c',
    'SMOVE src dst a',
    'SMEMBERS dst',
    'sort: SMEMBERS src',
    'SMOVE src dst zz',
    'SMOVE src dst a',
    'SMOVE src src b',
    'SMOVE src src zz',
    'SADD dst2 1 2',
    'SMOVE src dst2 b',
    'OBJECT ENCODING dst2',
    'sort: SMEMBERS dst2',
    'SMOVE dst2 src 1',
    'sort: SMEMBERS src',
    'SADD ints 1 2',
    'SMOVE ints newints 1',
    'OBJECT ENCODING newints',
    'SMOVE ints newints 2',
    'EXISTS ints',
    'SMEMBERS newints',
    'SADD x c',
    'SMOVE src x c',
    'EXISTS src',
    'SMEMBERS x',
    'SET str v',
    'SADD s a',
    'SMOVE s str a',
    'SMOVE str s a',
    'SMOVE nokey str a',
    'SMOVE str nokey a',
    'SMEMBERS s',
    'SMOVE s s',
    'SMOVE s',
    'SMOVE s d a b',
  ],
  'SINTER SUNION SDIFF with intsets (exact order)': [
    'SADD a 1 2 3 4 5',
    'SADD b 4 5 6 7',
    'SADD c 5 7 9',
    'SINTER a b',
    'SINTER a b c',
    'SINTER b a',
    'SUNION a b',
    'SUNION a b c',
    'SDIFF a b',
    'SDIFF a b c',
    'SDIFF b a',
    'SDIFF a a',
    'SINTER a a',
    'SUNION a a',
    'SINTER a nokey',
    'SINTER nokey a',
    'SUNION a nokey',
    'SUNION nokey',
    'SDIFF nokey a',
    'SDIFF a nokey',
    'SINTER nokey',
    'SDIFF nokey',
    'SINTER',
    'SUNION',
    'SDIFF',
  ],
  'SINTER SUNION SDIFF with hashtables (sorted)': [
    'SADD a x y z 1 2',
    'SADD b y z w 2 3',
    'SADD c z 2 q',
    'SADD n 1 2 3',
    'sort: SINTER a b',
    'sort: SINTER a b c',
    'sort: SUNION a b c',
    'sort: SDIFF a b',
    'sort: SDIFF a b c',
    'sort: SDIFF b a c',
    'SINTER a n',
    'SINTER n a',
    'SADD tieh 1 2 x',
    'SADD tiei 1 2 3',
    'SINTER tiei tieh',
    'sort: SINTER tieh tiei',
    'SINTER tiei tieh tiei',
    'sort: SUNION a n',
    'SDIFF n a',
    'sort: SDIFF a n',
    ['SADD', 'bin', BIN, '', 'x'],
    'sort: SINTER bin a',
    'sort: SUNION bin a',
  ],
  'missing and WRONGTYPE keys in multi-key commands': [
    'SADD s 1 2',
    'SET str v',
    'RPUSH l a',
    'SINTER s str',
    'SINTER str s',
    'SINTER nokey str',
    'SINTER str nokey',
    'SINTER s l',
    'SUNION s str',
    'SUNION nokey str',
    'SDIFF str s',
    'SDIFF s str',
    'SDIFF nokey str',
    'SINTERCARD 2 nokey str',
    'SINTERCARD 2 s str',
    'SINTERSTORE d nokey str',
    'SUNIONSTORE d s str',
    'SDIFFSTORE d nokey str',
    'EXISTS d',
    'SMEMBERS str',
    'SMEMBERS l',
  ],
  'SINTERCARD': [
    'SADD a 1 2 3 4 5',
    'SADD b 2 3 4 5 6',
    'SADD c x 3 4 5',
    'SINTERCARD 1 a',
    'SINTERCARD 2 a b',
    'SINTERCARD 3 a b c',
    'SINTERCARD 2 a nokey',
    'SINTERCARD 2 a b LIMIT 0',
    'SINTERCARD 2 a b LIMIT 1',
    'SINTERCARD 2 a b LIMIT 3',
    'SINTERCARD 2 a b LIMIT 100',
    'SINTERCARD 2 a b limit 2',
    'SINTERCARD 2 a b LIMIT 1 LIMIT 5',
    'SINTERCARD 2 a b LIMIT -1',
    'SINTERCARD 2 a b LIMIT abc',
    'SINTERCARD 2 a b LIMIT',
    'SINTERCARD 2 a b FOO',
    'SINTERCARD 2 a b FOO 1',
    'SINTERCARD 0 a',
    'SINTERCARD -1 a',
    'SINTERCARD abc a',
    'SINTERCARD 3 a b',
    'SINTERCARD 9223372036854775807 a',
    'SINTERCARD 9223372036854775808 a',
    'SINTERCARD 1 a b',
    'SINTERCARD 1 str LIMIT -1',
    'SET str v',
    'SINTERCARD 1 str',
    'SINTERCARD 1 str LIMIT -1',
    'SINTERCARD 0 str',
    'SINTERCARD',
    'SINTERCARD 1',
  ],
  '*STORE: destinations, encodings, emptied results': [
    'SADD a 1 2 3',
    'SADD b 2 3 4',
    'SADD x p q 2',
    'SINTERSTORE d a b',
    'SMEMBERS d',
    'OBJECT ENCODING d',
    'SUNIONSTORE d a b',
    'SMEMBERS d',
    'SDIFFSTORE d a b',
    'SMEMBERS d',
    'SUNIONSTORE u a x',
    'OBJECT ENCODING u',
    'SINTERSTORE i a x',
    'OBJECT ENCODING i',
    'SMEMBERS i',
    'SDIFFSTORE df x a',
    'OBJECT ENCODING df',
    'sort: SMEMBERS df',
    'SET str v',
    'SINTERSTORE str a b',
    'TYPE str',
    'SMEMBERS str',
    'SET str v',
    'SUNIONSTORE str a',
    'TYPE str',
    'SET str v',
    'EXPIRE str 1000',
    'SDIFFSTORE str a b',
    'TTL str',
    'TYPE str',
    'SET str v',
    'SINTERSTORE str a nokey',
    'EXISTS str',
    'SET str v',
    'SDIFFSTORE str a a',
    'EXISTS str',
    'SET str v',
    'SUNIONSTORE str nokey nokey2',
    'EXISTS str',
    'SINTERSTORE nokey3 nokey',
    'EXISTS nokey3',
    'SINTERSTORE a a b',
    'SMEMBERS a',
    'SUNIONSTORE a a x',
    'sort: SMEMBERS a',
    'OBJECT ENCODING a',
    'SDIFFSTORE b b b',
    'EXISTS b',
    'SINTERSTORE',
    'SINTERSTORE d',
    'SUNIONSTORE d',
    'SDIFFSTORE d',
    'sort: KEYS *',
  ],
  'SDIFFSTORE algorithm choice shows in the result encoding': [
    members('SADD', 'big', 10),
    'SADD big x',
    'SADD one x',
    'SADD two x',
    'SDIFFSTORE r1 big one',
    'OBJECT ENCODING r1',
    'SMEMBERS r1',
    'SDIFFSTORE r2 big one two',
    'OBJECT ENCODING r2',
    'sort: SMEMBERS r2',
    'sort: SDIFF big one two',
    'SADD three y',
    'SDIFFSTORE r3 big one two three',
    'OBJECT ENCODING r3',
    'SDIFFSTORE r4 big one nokey',
    'OBJECT ENCODING r4',
    members('SADD', 'huge', 600),
    'SADD small 1',
    'SDIFFSTORE r5 huge small',
    'OBJECT ENCODING r5',
    'SCARD r5',
    members('SADD', 'sub', 595, '', 5),
    'SDIFFSTORE r6 huge sub',
    'OBJECT ENCODING r6',
    'SMEMBERS r6',
    'SDIFFSTORE r7 huge sub small',
    'OBJECT ENCODING r7',
    'sort: SMEMBERS r7',
    'SUNIONSTORE r8 huge',
    'OBJECT ENCODING r8',
    'SINTERSTORE r9 huge sub',
    'OBJECT ENCODING r9',
    'SCARD r9',
  ],
  'SSCAN': [
    'SSCAN nokey 0',
    'SSCAN nokey 0 COUNT 0',
    'SSCAN nokey 0 FOO',
    'SSCAN nokey abc',
    'SADD n 10 2 -3 11 100',
    'SSCAN n 0',
    'SSCAN n 0 COUNT 1',
    'SSCAN n 0 MATCH 1*',
    'SSCAN n 0 MATCH -*',
    'SSCAN n 0 match *0 count 1',
    'SSCAN n 0 MATCH *',
    'SSCAN n 7',
    'SSCAN n -1',
    'SSCAN n ""',
    'SSCAN n abc',
    'SSCAN n 0 COUNT 0',
    'SSCAN n 0 COUNT -5',
    'SSCAN n 0 COUNT abc',
    'SSCAN n 0 COUNT',
    'SSCAN n 0 MATCH',
    'SSCAN n 0 TYPE set',
    'SSCAN n abc COUNT 0',
    'SSCAN n',
    'SET str v',
    'SSCAN str 0',
    'SSCAN str 0 COUNT 0',
    'SSCAN str abc',
    members('SADD', 'big', 300, 'm'),
    { scanAll: ['big'], command: 'SSCAN' },
    { scanAll: ['big', 'COUNT', '1'], command: 'SSCAN' },
    { scanAll: ['big', 'COUNT', '7', 'MATCH', 'm1*'], command: 'SSCAN' },
    { scanAll: ['big', 'MATCH', '*9'], command: 'SSCAN' },
    { scanAll: ['big', 'MATCH', 'nomatch'], command: 'SSCAN' },
    { scanAll: ['n', 'COUNT', '2'], command: 'SSCAN' },
  ],
  'WRONGTYPE both ways': [
    'SET str v',
    'RPUSH l a',
    'HSET h f v',
    'SADD s a',
    'SADD str a',
    'SADD l a',
    'SADD h a',
    'SREM str a',
    'SCARD l',
    'SISMEMBER h a',
    'SMISMEMBER str a',
    'SMEMBERS h',
    'SSCAN h 0',
    'GET s',
    'APPEND s x',
    'INCR s',
    'LPUSH s x',
    'LRANGE s 0 -1',
    'HSET s f v',
    'HGET s f',
    'HGETALL s',
    'SET s v',
    'TYPE s',
    'SADD s a',
  ],
  'generic keyspace commands on sets': [
    'SADD s 1 2 3',
    'SADD t a b',
    'TYPE s',
    'OBJECT ENCODING s',
    'OBJECT ENCODING t',
    'OBJECT REFCOUNT s',
    'shape: OBJECT IDLETIME s',
    'COPY s s2',
    'SADD s2 4',
    'SREM s 1',
    'SMEMBERS s',
    'SMEMBERS s2',
    'OBJECT ENCODING s2',
    'COPY t t2',
    'OBJECT ENCODING t2',
    'SADD t2 c',
    'sort: SMEMBERS t',
    'sort: SMEMBERS t2',
    'COPY s t2',
    'COPY s t2 REPLACE',
    'SMEMBERS t2',
    'COPY t t DB 1',
    'SELECT 1',
    'sort: SMEMBERS t',
    'SELECT 0',
    'RENAME s2 s3',
    'SMEMBERS s3',
    'SET str v',
    'RENAME s3 str',
    'TYPE str',
    'SMEMBERS str',
    'RENAMENX str t',
    'MOVE str 2',
    'SELECT 2',
    'SMEMBERS str',
    'SELECT 0',
    'SWAPDB 0 2',
    'SMEMBERS str',
    'SWAPDB 0 2',
    'scanall: TYPE set',
    'scanall: TYPE SET',
    'scanall: TYPE hash',
    'sort: KEYS *',
    'DBSIZE',
    'DEL s t nokey',
    'UNLINK t2',
    'DBSIZE',
    'SADD e a b',
    'EXPIRE e 1000',
    'ttl: TTL e',
    'SADD e c',
    'SREM e a',
    'ttl: TTL e',
    'SREM e b c',
    'EXISTS e',
    'SADD x 1',
    'PEXPIRE x 200',
    { sleep: 350 },
    'SCARD x',
    'SISMEMBER x 1',
    'EXISTS x',
    'SADD past 1',
    'EXPIREAT past 1',
    'SMEMBERS past',
    'SADD t 1',
    `EXPIREAT t ${FUTURE_S}`,
    'RENAME t t2',
    'EXPIRETIME t2',
    'SMOVE t2 t3 1',
    'EXISTS t2',
    'TTL t3',
  ],
  'binary, empty and large members': [
    ['SADD', 'b', BIN],
    ['SISMEMBER', 'b', BIN],
    'SMEMBERS b',
    'OBJECT ENCODING b',
    'SADD e ""',
    'SISMEMBER e ""',
    'SMEMBERS e',
    'SADD e "\\r\\n" "\\x00"',
    'sort: SMEMBERS e',
    'SREM e ""',
    'sort: SMEMBERS e',
    ['SADD', 'big', BIG, 'x'],
    ['SISMEMBER', 'big', BIG],
    'SCARD big',
    'SADD u "Ünïcödé" "値"',
    'sort: SMEMBERS u',
  ],
  'SORT and SORT_RO over sets': [
    'SADD s 3 1 2 10 -5',
    'SADD t b a c 2',
    'SORT s',
    'SORT s DESC',
    'SORT s LIMIT 1 2',
    'SORT s BY nosort',
    'SORT s BY nosort LIMIT 1 2',
    'SORT s BY nosort DESC',
    'SORT s ALPHA',
    'SORT s ALPHA DESC LIMIT 0 3',
    'SORT t ALPHA',
    'SORT t',
    'sort: SORT t BY nosort',
    'SORT t BY nosort STORE d',
    'LRANGE d 0 -1',
    'SORT s BY nosort STORE d',
    'LRANGE d 0 -1',
    'SET w_1 30',
    'SET w_2 20',
    'SET w_3 10',
    'SORT s BY w_*',
    'SORT s BY w_* GET # GET w_*',
    'SORT s STORE s',
    'TYPE s',
    'LRANGE s 0 -1',
    'SORT_RO t ALPHA',
    'SORT_RO t ALPHA STORE x',
    'SADD big ' + Array.from({ length: 700 }, (_, i) => `m${(i * 37) % 700}`).join(' '),
    'SORT big ALPHA LIMIT 0 10',
    'SORT big ALPHA DESC LIMIT 5 5',
    'SORT big BY nosort STORE bigl',
    'LRANGE bigl 0 9',
    'SORT nokey',
    'SET str v',
    'SORT str',
  ],
  'COMMAND INFO and GETKEYS for set commands': [
    `COMMAND INFO ${ALL_SET_COMMANDS}`,
    'COMMAND GETKEYS SADD k a b',
    'COMMAND GETKEYS SINTER a b c',
    'COMMAND GETKEYS SINTERSTORE d a b',
    'COMMAND GETKEYS SINTERCARD 2 a b LIMIT 1',
    'COMMAND GETKEYS SMOVE a b m',
    'COMMAND GETKEYSANDFLAGS SDIFFSTORE d a b',
    'COMMAND GETKEYSANDFLAGS SINTERCARD 2 a b',
    'COMMAND GETKEYSANDFLAGS SPOP k',
  ],
};

for (const [name, steps] of Object.entries(cases)) {
  cases[name] = steps.map((s): StepInput => (typeof s === 'string' && s.startsWith('pairs: ')
    ? { args: s.slice(7).split(' '), rule: pairsRule } : s));
}

// ---------------------------------------------------------------------------------------------
// seeded random sequences: a model check against Redis

const POOL = ['1', '2', '3', '-1', '0', '7', '100', '40000', '-70000', '5000000000', 'a', 'b', 'c', 'x', '', '01', 'hello world'];

class SetGen {
  private readonly rnd: Prng;
  constructor(seed: number, readonly keys: readonly string[]) {
    this.rnd = new Prng(seed);
  }
  int(lo: number, hi: number): number { return this.rnd.range(lo, hi); }
  chance(p: number): boolean { return this.rnd.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.rnd.int(xs.length)]!; }
  key(): string { return this.pick(this.keys); }
  keyList(min: number, max: number): string[] { return Array.from({ length: this.int(min, max) }, () => this.key()); }
  /** Mostly integers (so intsets live long), sometimes strings. */
  member(intsOnly: boolean): Arg {
    if (intsOnly || this.chance(0.6)) return String(this.int(-20, 60));
    if (this.chance(0.05)) return Buffer.from(Array.from({ length: this.int(1, 5) }, () => this.int(0, 255)));
    return this.pick(POOL);
  }
  members(n: number, intsOnly: boolean): Arg[] { return Array.from({ length: n }, () => this.member(intsOnly)); }

  next(): { args: Arg[]; kind: 'exact' | 'members' | 'random' | 'pop' | 'scan' } {
    const k = this.key();
    const ints = this.chance(0.5);
    const r = this.int(0, 99);
    if (r < 22) return { args: ['SADD', k, ...this.members(this.int(1, 6), ints)], kind: 'exact' };
    if (r < 32) return { args: ['SREM', k, ...this.members(this.int(1, 4), ints)], kind: 'exact' };
    if (r < 36) return { args: ['SISMEMBER', k, this.member(false)], kind: 'exact' };
    if (r < 39) return { args: ['SMISMEMBER', k, ...this.members(3, false)], kind: 'exact' };
    if (r < 42) return { args: ['SCARD', k], kind: 'exact' };
    if (r < 48) return { args: ['SMEMBERS', k], kind: 'members' };
    if (r < 53) {
      const a: Arg[] = ['SPOP', k];
      if (this.chance(0.6)) a.push(this.chance(0.9) ? String(this.int(0, 6)) : this.pick(['-1', 'abc', '100']));
      return { args: a, kind: 'pop' };
    }
    if (r < 58) {
      const a: Arg[] = ['SRANDMEMBER', k];
      if (this.chance(0.7)) a.push(String(this.int(-8, 8)));
      return { args: a, kind: 'random' };
    }
    if (r < 63) return { args: ['SMOVE', k, this.key(), this.member(false)], kind: 'exact' };
    if (r < 70) return { args: [this.pick(['SINTER', 'SUNION', 'SDIFF']), ...this.keyList(1, 3)], kind: 'members' };
    if (r < 73) {
      const keys = this.keyList(1, 3);
      const a: Arg[] = ['SINTERCARD', String(keys.length), ...keys];
      if (this.chance(0.4)) a.push('LIMIT', String(this.int(0, 4)));
      return { args: a, kind: 'exact' };
    }
    if (r < 82) return { args: [this.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k, ...this.keyList(1, 3)], kind: 'exact' };
    if (r < 85) {
      const o: Arg[] = [k];
      if (this.chance(0.4)) o.push('COUNT', String(this.int(1, 5)));
      if (this.chance(0.3)) o.push('MATCH', this.pick(['1*', '*0', '-*', '?', '[a-c]']));
      return { args: o, kind: 'scan' };
    }
    if (r < 90) return { args: ['OBJECT', 'ENCODING', k], kind: 'exact' };
    if (r < 93) return { args: ['DEL', k], kind: 'exact' };
    if (r < 94) return { args: ['SET', k, 'str'], kind: 'exact' };
    if (r < 96) return { args: ['COPY', k, this.key(), 'REPLACE'], kind: 'exact' };
    if (r < 98) return { args: ['RENAME', k, this.key()], kind: 'exact' };
    return { args: ['TYPE', k], kind: 'exact' };
  }
}

/** Encoding and size of a key as the oracle has it. */
async function oracleEncoding(p: Pair, key: string): Promise<string> {
  return (await p.oracle.send('OBJECT', 'ENCODING', key)).toString('latin1');
}

/**
 * The rule for a set reply: exact when Redis's order is defined (every set involved is an intset
 * and the result stays one: a sorted intset), sorted otherwise (hash order).
 */
async function setReplyRule(p: Pair, args: Arg[], maxIntset: number): Promise<'exact' | 'sort'> {
  const keys = args.slice(1).map(String);
  let total = 0;
  for (const k of keys) {
    const enc = await oracleEncoding(p, k);
    if (enc.includes('hashtable')) return 'sort';
    if (enc.includes('intset')) total += Number((await p.oracle.send('SCARD', k)).toString('latin1').slice(1));
  }
  return total <= maxIntset ? 'exact' : 'sort';
}

async function runSetSequence(p: Pair, seed: number, n: number, maxIntset: number): Promise<void> {
  const keys = ['s1', 's2', 's3', 's4'];
  const gen = new SetGen(seed, keys);
  for (let i = 0; i < n; i++) {
    const step = gen.next();
    let e;
    if (step.kind === 'scan') e = await p.cmd({ scanAll: step.args, command: 'SSCAN' });
    else if (step.kind === 'members') e = await p.cmd({ args: step.args, rule: await setReplyRule(p, step.args, maxIntset) });
    else if (step.kind === 'pop') e = await randomPop(p, step.args);
    else if (step.kind === 'random') {
      const type = (await p.oracle.send('TYPE', step.args[1]!)).toString('latin1');
      const universe = type === '+set\r\n' ? await setUniverse(p, step.args[1]!) : { members: new Set<string>() };
      const count = step.args.length > 2 ? Number(step.args[2]) : 1;
      e = await p.cmd({ args: step.args, rule: randomRule(universe, { distinct: count >= 0 }) });
    } else e = await p.cmd({ args: step.args });
    if (p.failed) throw new Error(`set sequence (seed ${seed}) diverged at command #${i + 1}:\n${p.format(40)}`);
    void e;
  }
  for (const k of keys) {
    await p.cmd({ args: ['SMEMBERS', k], rule: 'sort' });
    await p.cmd({ args: ['OBJECT', 'ENCODING', k] });
  }
  p.assertOk();
  console.log(`[sets] seed ${seed}: ${p.entries.length} replies compared; ${replyKinds(p)}`);
}

const SEQUENCE_COMMANDS = Number(process.env.DIFF_SET_COMMANDS ?? 1500);
const SEQUENCE_SEED = process.env.DIFF_SEED !== undefined ? Number(process.env.DIFF_SEED) >>> 0 : 0x5e75;

function sequenceCases(env: DiffEnv): void {
  const runs: [string, 2 | 3, number, number][] = [
    ['default threshold', 2, SEQUENCE_SEED, 512],
    ['default threshold', 3, SEQUENCE_SEED + 1, 512],
    ['set-max-intset-entries 5', 2, SEQUENCE_SEED + 2, 5],
    ['set-max-intset-entries 5', 3, SEQUENCE_SEED + 3, 5],
  ];
  for (const [label, resp, seed, maxIntset] of runs) {
    it(`random set sequence, ${label}, RESP${resp}, seed ${seed}, ${SEQUENCE_COMMANDS} commands`, { timeout: 60_000 }, async (ctx) => {
      if (await skipUnlessImplemented(env, ALL_SET_COMMANDS.split(' '), `random set sequence (RESP${resp})`, ctx)) return;
      const p = await env.pair(resp);
      try {
        await p.cmd(['CONFIG', 'SET', 'set-max-intset-entries', String(maxIntset)]);
        await runSetSequence(p, seed, SEQUENCE_COMMANDS, maxIntset);
      } finally {
        await p.cmd(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
        await p.close();
      }
    });
  }
}

/** Pipelines: all commands written at once, replies compared byte for byte (intsets). */
const pipelines: Record<string, Arg[][]> = {
  'pipeline: writes, reads and errors': [
    ['SADD', 'p', '3', '1', '2'],
    ['SMEMBERS', 'p'],
    ['SISMEMBER', 'p', '2'],
    ['SREM', 'p', '2'],
    ['SADD', 'q', '2', '3'],
    ['SINTER', 'p', 'q'],
    ['SUNIONSTORE', 'u', 'p', 'q'],
    ['SMEMBERS', 'u'],
    ['SPOP', 'p', '-1'],
    ['SPOP', 'p', '10'],
    ['EXISTS', 'p'],
    ['SET', 'p', 'x'],
    ['SADD', 'p', '1'],
    ['SINTERCARD', '0', 'p'],
    ['PING'],
  ],
  'pipeline: 600 SADDs cross the intset limit': [
    ...Array.from({ length: 600 }, (_, i) => ['SADD', 'pp', String(i * 3)]),
    ['SCARD', 'pp'],
    ['OBJECT', 'ENCODING', 'pp'],
    ...Array.from({ length: 100 }, (_, i) => ['SISMEMBER', 'pp', String(i * 5)]),
    ...Array.from({ length: 100 }, (_, i) => ['SREM', 'pp', String(i * 3)]),
    ['SCARD', 'pp'],
  ],
};

describeDiff('differential: sets', () => {
  const env = useDiffEnv();
  diffCases(env, cases);
  pipelineCases(env, pipelines);
  sequenceCases(env);
  it('a 2000-member hashtable set: SSCAN pages, SPOP until empty (RESP2)', async (ctx) => {
    if (await skipUnlessImplemented(env, ['SADD', 'SSCAN', 'SPOP'], 'large set', ctx)) return;
    const p = await env.pair(2);
    try {
      for (let i = 0; i < 2000; i += 200) await p.cmd(members('SADD', 'big', 200, 'm', i));
      await p.run(['SCARD big', 'OBJECT ENCODING big', 'sort: SMEMBERS big', { scanAll: ['big', 'COUNT', '25'], command: 'SSCAN' }]);
      const r = parseReplyTree(await p.target.send('SSCAN', 'big', '0', 'COUNT', '10')).node;
      if (r.children?.[0]?.data?.toString() === '0') throw new Error('SSCAN of a hashtable returned everything at once');
      for (let i = 0; i < 12; i++) await randomPop(p, ['SPOP', 'big', '150']);
      await p.run(['SCARD big', 'sort: SMEMBERS big']);
      await randomPop(p, ['SPOP', 'big', '1000']);
      await p.run(['EXISTS big']);
    } finally {
      await p.close();
    }
    p.assertOk();
  });
});
