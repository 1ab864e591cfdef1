/**
 * Differential: Redis 7.0 hash commands (HSET HSETNX HGET HMSET HMGET HDEL HLEN HSTRLEN HEXISTS
 * HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN), RESP2 and RESP3, against
 * redis-server.
 *
 * Also: the listpack → hashtable conversion at hash-max-listpack-entries / -value (OBJECT
 * ENCODING before and after, also after CONFIG SET of the thresholds and their ziplist aliases),
 * insertion order of small hashes (HGETALL / HKEYS / HVALS compared exactly while a hash is a
 * listpack; as pairs or sorted once it is a hashtable, whose order is Redis's hash order),
 * hashes through the generic keyspace commands, WRONGTYPE both ways, keys deleted when emptied,
 * binary / empty / large fields and values, and long seeded random sequences against Redis
 * (HRANDFIELD checked for shape, size, distinctness and membership: its picks are random).
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
  type Step,
  type StepInput,
} from '../helpers/transcript.js';
import { parseReplyTree, type Arg } from '../helpers/raw-client.js';
import { pairsRule, randomRule, hashUniverse, replyKinds } from '../helpers/collections.js';
import { Prng } from '../resp/prng.js';

const NOW_S = Math.floor(Date.now() / 1000);
const FUTURE_S = NOW_S + 100_000;

const BIN = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const BIG = 'v'.repeat(100 * 1024);
const V64 = 'x'.repeat(64);
const V65 = 'x'.repeat(65);
const F64 = 'f'.repeat(64);
const F65 = 'f'.repeat(65);

/** HSET key f0 v0 … f(n-1) v(n-1) */
function pairs(cmd: string, key: string, n: number, from = 0): Arg[] {
  const a: Arg[] = [cmd, key];
  for (let i = from; i < from + n; i++) a.push(`f${i}`, `v${i}`);
  return a;
}

const ALL_HASH_COMMANDS = 'HSET HSETNX HGET HMSET HMGET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN';

const u = (members: string[], values?: string[]) => ({
  members: new Set(members),
  values: values ? new Map(members.map((m, i) => [m, values[i]!])) : undefined,
});

const cases: Record<string, readonly StepInput[]> = {
  'HSET HGET HLEN basics': [
    'HGET h f',
    'HLEN h',
    'HSET h f v',
    'HGET h f',
    'HSET h f v2',
    'HGET h f',
    'HSET h a 1 b 2 c 3',
    'HSET h a 10 d 4',
    'HLEN h',
    'HGETALL h',
    'HGET h nofield',
    'HGET nokey f',
    'hset h lower case',
    'HsEt h Mixed Case',
    'HGETALL h',
    'HSET h a 1 b',
    'HSET h a',
    'HSET h',
    'HSET',
    'HGET h',
    'HGET h a b',
    'HLEN',
    'HLEN h extra',
    'HSET h x 1 x 2 x 3',
    'HGET h x',
    'HLEN h',
    'TYPE h',
    'EXISTS h',
  ],
  'HMSET': [
    'HMSET h a 1',
    'HMSET h a 2 b 3',
    'HGETALL h',
    'HMSET h a',
    'HMSET h a 1 b',
    'HMSET h',
    'hmset h c 4',
    'HGETALL h',
    'SET s v',
    'HMSET s a 1',
    'HMSET s a 1 b',
  ],
  'HSETNX': [
    'HSETNX h f v',
    'HSETNX h f v2',
    'HGET h f',
    'HSETNX h g ""',
    'HGETALL h',
    'HSETNX h f',
    'HSETNX h',
    'HSETNX h f v x',
    'SET s v',
    'HSETNX s f v',
    ['HSETNX', 'h', 'f', V65],
    'OBJECT ENCODING h',
    ['HSETNX', 'h', 'long', V65],
    'OBJECT ENCODING h',
    'pairs: HGETALL h',
  ],
  'HMGET': [
    'HMGET nokey a b',
    'HSET h a 1 b 2',
    'HMGET h a',
    'HMGET h a b c',
    'HMGET h c c a',
    'HMGET h ""',
    'HMGET h',
    'SET s v',
    'HMGET s a',
    'RPUSH l x',
    'HMGET l a b',
  ],
  'HDEL and emptied keys': [
    'HDEL nokey a',
    'HSET h a 1 b 2 c 3 d 4',
    'HDEL h a',
    'HDEL h a',
    'HDEL h b c zz',
    'HGETALL h',
    'HDEL h d d d',
    'EXISTS h',
    'TYPE h',
    'HLEN h',
    'HSET h a 1',
    'HDEL h zz a yy',
    'EXISTS h',
    'HDEL h',
    'HDEL',
    'SET s v',
    'HDEL s a',
    'HSET h2 x 1 y 2 z 3',
    'HDEL h2 y',
    'HSET h2 w 4 y 5',
    'HGETALL h2',
    'HKEYS h2',
    'HVALS h2',
  ],
  'HSTRLEN HEXISTS': [
    'HSTRLEN nokey f',
    'HEXISTS nokey f',
    'HSET h f hello e "" n 12345 neg -7',
    'HSTRLEN h f',
    'HSTRLEN h e',
    'HSTRLEN h n',
    'HSTRLEN h neg',
    'HSTRLEN h zz',
    'HEXISTS h f',
    'HEXISTS h e',
    'HEXISTS h zz',
    'HSTRLEN h',
    'HEXISTS h',
    'HSTRLEN h a b',
    'HEXISTS h a b',
    'SET s v',
    'HSTRLEN s f',
    'HEXISTS s f',
    ['HSET', 'big', 'f', BIG],
    'HSTRLEN big f',
  ],
  'HKEYS HVALS HGETALL in insertion order': [
    'HKEYS nokey',
    'HVALS nokey',
    'HGETALL nokey',
    'HSET h z 1 y 2 x 3',
    'HSET h a 4',
    'HSET h y 20',
    'HKEYS h',
    'HVALS h',
    'HGETALL h',
    'HDEL h z',
    'HSET h z 1',
    'HGETALL h',
    'HINCRBY h x 5',
    'HGETALL h',
    'HKEYS h extra',
    'HVALS',
    'HGETALL',
    'SET s v',
    'HKEYS s',
    'HVALS s',
    'HGETALL s',
  ],
  'HINCRBY': [
    'HINCRBY h f 1',
    'HINCRBY h f 41',
    'HINCRBY h f -100',
    'HGET h f',
    'HINCRBY h g -5',
    'HINCRBY h f 0',
    'HSET h big 9223372036854775806',
    'HINCRBY h big 1',
    'HINCRBY h big 1',
    'HGET h big',
    'HSET h small -9223372036854775807',
    'HINCRBY h small -1',
    'HINCRBY h small -1',
    'HINCRBY h small 9223372036854775807',
    'HINCRBY h f 9223372036854775807',
    'HINCRBY h f 9223372036854775808',
    'HINCRBY h f -9223372036854775809',
    'HINCRBY h f abc',
    'HINCRBY h f 1.5',
    'HINCRBY h f ""',
    'HINCRBY h f " 1"',
    'HINCRBY h f +1',
    'HINCRBY h f 01',
    'HSET h s hello e "" lz 01 sp " 1" neg0 -0 plus +1 fl 1.0 huge 9223372036854775808',
    'HINCRBY h s 1',
    'HINCRBY h e 1',
    'HINCRBY h lz 1',
    'HINCRBY h sp 1',
    'HINCRBY h neg0 1',
    'HINCRBY h plus 1',
    'HINCRBY h fl 1',
    'HINCRBY h huge 1',
    'HINCRBY h s abc',
    'HGETALL h',
    'HINCRBY nokey f abc',
    'EXISTS nokey',
    'HINCRBY h f',
    'HINCRBY h f 1 2',
    'SET str v',
    'HINCRBY str f 1',
    'HINCRBY str f abc',
    'hincrby h F 3',
    'HGET h F',
  ],
  'HINCRBYFLOAT': [
    'HINCRBYFLOAT h f 10.5',
    'HINCRBYFLOAT h f 0.1',
    'HINCRBYFLOAT h f -5',
    'HGET h f',
    'HSET h n 5.0e3',
    'HINCRBYFLOAT h n 2.0e2',
    'HSET h m 5005.8',
    'HINCRBYFLOAT h m 100',
    'HINCRBYFLOAT h m 1e-10',
    'HINCRBYFLOAT h i 3',
    'HINCRBYFLOAT h i 1.0',
    'HINCRBYFLOAT h i 1.000',
    'HSET h int 17',
    'HINCRBYFLOAT h int 1',
    'HINCRBYFLOAT h int -0.5',
    'HINCRBYFLOAT h f abc',
    'HINCRBYFLOAT h f ""',
    'HINCRBYFLOAT h f nan',
    'HINCRBYFLOAT h f inf',
    'HINCRBYFLOAT h f -inf',
    'HINCRBYFLOAT h f " 1"',
    'HINCRBYFLOAT h f "1 "',
    'HINCRBYFLOAT h f 1e5000',
    'HINCRBYFLOAT h f 0x10',
    'HINCRBYFLOAT nokey f inf',
    'HINCRBYFLOAT nokey f abc',
    'EXISTS nokey',
    'HSET h s hello',
    'HINCRBYFLOAT h s 1',
    'HSET h e ""',
    'HINCRBYFLOAT h e 1',
    'HSET h inf inf',
    'HINCRBYFLOAT h inf 1',
    'HSET h nan nan',
    'HINCRBYFLOAT h nan 1',
    'HSET h huge 1e4932',
    'HINCRBYFLOAT h huge 1e4932',
    'HINCRBYFLOAT h huge -1e4932',
    'HSET h sp " 1"',
    'HINCRBYFLOAT h sp 1',
    'HINCRBYFLOAT h neg -1.25',
    'HINCRBYFLOAT h neg -1.25',
    'HINCRBYFLOAT h t 1e300',
    'OBJECT ENCODING h',
    'HGET h t',
    'HINCRBYFLOAT h f',
    'HINCRBYFLOAT h f 1 2',
    'SET str v',
    'HINCRBYFLOAT str f 1',
    'HINCRBYFLOAT str f abc',
    'HINCRBYFLOAT str f inf',
    'pairs: HGETALL h',
  ],
  'HRANDFIELD deterministic cases and errors': [
    'HRANDFIELD nokey',
    'HRANDFIELD nokey 1',
    'HRANDFIELD nokey -5',
    'HRANDFIELD nokey 0',
    'HRANDFIELD nokey 3 WITHVALUES',
    'HRANDFIELD nokey abc',
    'HRANDFIELD nokey 1 foo',
    'HRANDFIELD nokey -9223372036854775808',
    'HSET h a 1 b 2 c 3',
    'HRANDFIELD h 0',
    'HRANDFIELD h 0 WITHVALUES',
    'HRANDFIELD h 3',
    'HRANDFIELD h 4',
    'HRANDFIELD h 100 WITHVALUES',
    'HRANDFIELD h 100 withvalues',
    'HRANDFIELD h 9223372036854775807',
    'HRANDFIELD h 4611686018427387903 WITHVALUES',
    'HRANDFIELD h 4611686018427387904 WITHVALUES',
    'HRANDFIELD h -4611686018427387904 WITHVALUES',
    'HRANDFIELD h -9223372036854775808',
    'HRANDFIELD h -9223372036854775808 WITHVALUES',
    'HRANDFIELD h 9223372036854775808',
    'HRANDFIELD h abc',
    'HRANDFIELD h 1.5',
    'HRANDFIELD h ""',
    'HRANDFIELD h 1 foo',
    'HRANDFIELD h 1 WITHVALUE',
    'HRANDFIELD h 1 WITHVALUES extra',
    'HRANDFIELD h abc foo',
    'HRANDFIELD h abc WITHVALUES',
    'SET s v',
    'HRANDFIELD s',
    'HRANDFIELD s 1',
    'HRANDFIELD s abc',
    'HRANDFIELD s 1 foo',
    'HRANDFIELD',
  ],
  'HRANDFIELD random picks (shape and membership)': [
    'HSET h a 1 b 2 c 3 d 4 e 5',
    { args: ['HRANDFIELD', 'h'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e']), { distinct: true }) },
    { args: ['HRANDFIELD', 'h', '1'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e']), { distinct: true }) },
    { args: ['HRANDFIELD', 'h', '2'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e']), { distinct: true }) },
    { args: ['HRANDFIELD', 'h', '4'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e']), { distinct: true }) },
    { args: ['HRANDFIELD', 'h', '-1'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e']), { distinct: false }) },
    { args: ['HRANDFIELD', 'h', '-20'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e']), { distinct: false }) },
    {
      args: ['HRANDFIELD', 'h', '3', 'WITHVALUES'],
      rule: randomRule(u(['a', 'b', 'c', 'd', 'e'], ['1', '2', '3', '4', '5']), { distinct: true, withValues: true }),
    },
    {
      args: ['HRANDFIELD', 'h', '-7', 'WITHVALUES'],
      rule: randomRule(u(['a', 'b', 'c', 'd', 'e'], ['1', '2', '3', '4', '5']), { distinct: false, withValues: true }),
    },
    {
      args: ['HRANDFIELD', 'h', '1', 'WITHVALUES'],
      rule: randomRule(u(['a', 'b', 'c', 'd', 'e'], ['1', '2', '3', '4', '5']), { distinct: true, withValues: true }),
    },
    {
      args: ['HRANDFIELD', 'h', '-20000', 'WITHVALUES'],
      rule: randomRule(u(['a', 'b', 'c', 'd', 'e'], ['1', '2', '3', '4', '5']), { distinct: false, withValues: true }),
    },
    'HLEN h',
    'HSET ht a 1 b 2 c 3 d 4 e 5',
    ['HSET', 'ht', 'long', V65],
    'OBJECT ENCODING ht',
    { args: ['HRANDFIELD', 'ht'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e', 'long']), { distinct: true }) },
    { args: ['HRANDFIELD', 'ht', '3'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e', 'long']), { distinct: true }) },
    { args: ['HRANDFIELD', 'ht', '5'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e', 'long']), { distinct: true }) },
    { args: ['HRANDFIELD', 'ht', '-30'], rule: randomRule(u(['a', 'b', 'c', 'd', 'e', 'long']), { distinct: false }) },
    {
      args: ['HRANDFIELD', 'ht', '4', 'WITHVALUES'],
      rule: randomRule(u(['a', 'b', 'c', 'd', 'e', 'long'], ['1', '2', '3', '4', '5', V65]), { distinct: true, withValues: true }),
    },
    {
      args: ['HRANDFIELD', 'ht', '-9', 'WITHVALUES'],
      rule: randomRule(u(['a', 'b', 'c', 'd', 'e', 'long'], ['1', '2', '3', '4', '5', V65]), { distinct: false, withValues: true }),
    },
    'pairs: HRANDFIELD ht 6 WITHVALUES',
    'pairs: HRANDFIELD ht 1000 WITHVALUES',
    'sort: HRANDFIELD ht 6',
  ],
  'HSCAN': [
    'HSCAN nokey 0',
    'HSCAN nokey 0 COUNT 0',
    'HSCAN nokey 0 FOO',
    'HSCAN nokey abc',
    'HSET h a 1 b 2 c 3 ab 4 ba 5',
    'HSCAN h 0',
    'HSCAN h 0 COUNT 1',
    'HSCAN h 0 MATCH a*',
    'HSCAN h 0 match *a count 2',
    'HSCAN h 0 MATCH *',
    'HSCAN h 0 MATCH nomatch',
    'HSCAN h 0 MATCH a* MATCH b*',
    'HSCAN h 123',
    'HSCAN h -1',
    'HSCAN h ""',
    'HSCAN h abc',
    'HSCAN h " 0"',
    'HSCAN h 18446744073709551615',
    'HSCAN h 18446744073709551616',
    'HSCAN h 0 COUNT 0',
    'HSCAN h 0 COUNT -1',
    'HSCAN h 0 COUNT abc',
    'HSCAN h 0 COUNT',
    'HSCAN h 0 MATCH',
    'HSCAN h 0 TYPE hash',
    'HSCAN h 0 NOVALUES',
    'HSCAN h abc COUNT 0',
    'HSCAN h',
    'SET s v',
    'HSCAN s 0',
    'HSCAN s 0 COUNT abc',
    'HSCAN s abc',
    pairs('HSET', 'big', 300),
    'OBJECT ENCODING big',
    'HSCAN big 0 COUNT 1000',
    'CONFIG SET hash-max-listpack-entries 10',
    'HSET big f300 v300',
    'OBJECT ENCODING big',
    'scanall: big',
    'scanall: big COUNT 1',
    'scanall: big COUNT 7 MATCH f1*',
    'scanall: big MATCH *9',
    'scanall: big MATCH nomatch',
    'CONFIG SET hash-max-listpack-entries 512',
  ].map((s) => (typeof s === 'string' && s.startsWith('scanall: ') ? { scanAll: s.slice(9).split(' '), command: 'HSCAN' } : s)),
  'listpack to hashtable: number of fields': [
    pairs('HSET', 'h', 512),
    'OBJECT ENCODING h',
    'HLEN h',
    'HGETALL h',
    'HSET h f0 again',
    'OBJECT ENCODING h',
    'HSET h f512 v512',
    'OBJECT ENCODING h',
    'HLEN h',
    'HDEL h f512 f511 f510',
    'OBJECT ENCODING h',
    'pairs: HGETALL h',
    'sort: HKEYS h',
    'sort: HVALS h',
    pairs('HMSET', 'h2', 513),
    'OBJECT ENCODING h2',
    pairs('HSET', 'h3', 511),
    'HSETNX h3 x 1',
    'OBJECT ENCODING h3',
    'HSETNX h3 y 1',
    'OBJECT ENCODING h3',
    pairs('HSET', 'h4', 512),
    'HINCRBY h4 n 1',
    'OBJECT ENCODING h4',
    pairs('HSET', 'h5', 512),
    'HINCRBYFLOAT h5 n 1',
    'OBJECT ENCODING h5',
    'HGET h5 n',
  ],
  'listpack to hashtable: field and value length': [
    ['HSET', 'v64', 'f', V64],
    'OBJECT ENCODING v64',
    ['HSET', 'v64', F64, 'v'],
    'OBJECT ENCODING v64',
    'HGETALL v64',
    ['HSET', 'v65', 'f', V65],
    'OBJECT ENCODING v65',
    ['HSET', 'f65', F65, 'v'],
    'OBJECT ENCODING f65',
    'HSET h a 1',
    ['HSET', 'h', 'b', V65],
    'OBJECT ENCODING h',
    'HSET h2 a 1',
    ['HSET', 'h2', 'b', V65, 'c', '3'],
    'OBJECT ENCODING h2',
    'HSET h3 a 1',
    ['HINCRBY', 'h3', F65, '1'],
    'OBJECT ENCODING h3',
    'HSET h4 a 1',
    ['HINCRBYFLOAT', 'h4', F65, '1.5'],
    'OBJECT ENCODING h4',
    'HSET h5 a 1',
    'HINCRBYFLOAT h5 a 1e70',
    'OBJECT ENCODING h5',
    'HGET h5 a',
    'HSET h6 a 1',
    ['HSETNX', 'h6', 'a', V65],
    'OBJECT ENCODING h6',
    ['HSET', 'h6', 'a', V65],
    'OBJECT ENCODING h6',
    ['HDEL', 'h6', 'a'],
    'OBJECT ENCODING h6',
    'EXISTS h6',
    ['HSET', 'big', 'f', BIG],
    'OBJECT ENCODING big',
    'HSTRLEN big f',
    ['HGET', 'big', 'f'],
  ],
  'thresholds after CONFIG SET (and the ziplist aliases)': [
    'pairs: CONFIG GET hash-max-listpack-*',
    'pairs: CONFIG GET hash-max-ziplist-*',
    'HSET h a 1 b 2 c 3',
    'CONFIG SET hash-max-listpack-entries 2',
    'OBJECT ENCODING h',
    'HGET h a',
    'HSET h a 10',
    'OBJECT ENCODING h',
    'HSET h2 a 1',
    'HSET h2 b 2',
    'OBJECT ENCODING h2',
    'HSET h2 c 3',
    'OBJECT ENCODING h2',
    'CONFIG SET hash-max-ziplist-entries 0',
    'CONFIG GET hash-max-listpack-entries',
    'HSET h3 a 1',
    'OBJECT ENCODING h3',
    'CONFIG SET hash-max-listpack-entries 512',
    'CONFIG SET hash-max-listpack-value 3',
    'HSET h4 abc 123',
    'OBJECT ENCODING h4',
    'HSET h4 abcd 1',
    'OBJECT ENCODING h4',
    'CONFIG SET hash-max-ziplist-value 0',
    'HSET h5 a 1',
    'OBJECT ENCODING h5',
    'HSET h6 "" ""',
    'OBJECT ENCODING h6',
    'CONFIG SET hash-max-listpack-value 64',
    'pairs: CONFIG GET hash-max-*',
    'HSET h7 a 1',
    'OBJECT ENCODING h7',
    'CONFIG SET hash-max-listpack-entries -1',
    'CONFIG SET hash-max-listpack-entries abc',
  ],
  'listpacks with long entries and many fields (raised thresholds)': [
    'CONFIG SET hash-max-listpack-value 1000',
    'CONFIG SET hash-max-listpack-entries 3000',
    ['HSET', 'h', 'a', 'x'.repeat(127), 'b', 'y'.repeat(128), 'c', 'z'.repeat(999)],
    'OBJECT ENCODING h',
    'HGETALL h',
    ['HSET', 'h', 'a', 'short'],
    ['HSET', 'h', 'c', 'w'.repeat(300)],
    ['HSET', 'h', 'b', ''],
    'HGETALL h',
    'HSTRLEN h c',
    ['HSET', 'h', 'd', 'q'.repeat(1000)],
    'OBJECT ENCODING h',
    ['HSET', 'h', 'e', 'q'.repeat(1001)],
    'OBJECT ENCODING h',
    'pairs: HGETALL h',
    pairs('HSET', 'many', 2000),
    'OBJECT ENCODING many',
    'HLEN many',
    'HGET many f1999',
    'HDEL many f0 f1000 f1999',
    'HKEYS many',
    'HSCAN many 0 MATCH f19*',
    'CONFIG SET hash-max-listpack-value 64',
    'CONFIG SET hash-max-listpack-entries 512',
    'HSET many x y',
    'OBJECT ENCODING many',
  ],
  'WRONGTYPE both ways': [
    'SET s v',
    'RPUSH l a',
    'HSET h f v',
    'HSET s f v',
    'HSET l f v',
    'HGET s f',
    'HGET l f',
    'HLEN s',
    'HGETALL l',
    'HKEYS s',
    'HVALS s',
    'HDEL s f',
    'HINCRBY l f 1',
    'HINCRBYFLOAT l f 1',
    'HSCAN l 0',
    'HRANDFIELD l',
    'GET h',
    'APPEND h x',
    'INCR h',
    'STRLEN h',
    'SETRANGE h 0 x',
    'GETRANGE h 0 1',
    'INCRBYFLOAT h 1',
    'LPUSH h x',
    'LLEN h',
    'LRANGE h 0 -1',
    'LCS h s',
    'MGET s h l',
    'SET h v',
    'TYPE h',
    'GET h',
    'HSET h f v',
    'GETSET s x',
    'HGET s f',
  ],
  'generic keyspace commands on hashes': [
    'HSET h a 1 b 2',
    'TYPE h',
    'OBJECT ENCODING h',
    'OBJECT REFCOUNT h',
    'shape: OBJECT IDLETIME h',
    'EXISTS h',
    'COPY h h2',
    'HSET h2 c 3',
    'HDEL h a',
    'HGETALL h',
    'HGETALL h2',
    'COPY h h2',
    'COPY h h2 REPLACE',
    'HGETALL h2',
    ['HSET', 'ht', 'a', V65, 'b', '2'],
    'COPY ht ht2',
    'OBJECT ENCODING ht2',
    'HDEL ht a',
    'pairs: HGETALL ht',
    'pairs: HGETALL ht2',
    'COPY ht ht DB 1',
    'SELECT 1',
    'pairs: HGETALL ht',
    'OBJECT ENCODING ht',
    'SELECT 0',
    'RENAME h2 h3',
    'EXISTS h2',
    'HGETALL h3',
    'SET s v',
    'RENAME h3 s',
    'TYPE s',
    'HGETALL s',
    'RENAMENX s h',
    'RENAMENX s new',
    'HGETALL new',
    'MOVE new 2',
    'SELECT 2',
    'HGETALL new',
    'SELECT 0',
    'SWAPDB 0 2',
    'HGETALL new',
    'SWAPDB 0 2',
    'scanall: TYPE hash',
    'scanall: TYPE HASH',
    'scanall: TYPE string',
    'sort: KEYS *',
    'DBSIZE',
    'DEL h ht nokey',
    'UNLINK ht2',
    'DBSIZE',
    'HSET e a 1',
    'EXPIRE e 1000',
    'ttl: TTL e',
    'HSET e b 2',
    'HDEL e a',
    'HINCRBY e c 1',
    'HINCRBYFLOAT e d 1',
    'ttl: TTL e',
    'HDEL e b c d',
    'EXISTS e',
    'TTL e',
    'HSET x a 1',
    'PEXPIRE x 200',
    { sleep: 350 },
    'HGET x a',
    'HLEN x',
    'EXISTS x',
    'HSET past a 1',
    'EXPIREAT past 1',
    'HGETALL past',
    'HSET t a 1',
    `EXPIREAT t ${FUTURE_S}`,
    'RENAME t t2',
    'EXPIRETIME t2',
    'COPY t2 t3',
    'EXPIRETIME t3',
  ],
  'binary, empty and large fields and values': [
    ['HSET', 'b', BIN, BIN],
    ['HGET', 'b', BIN],
    ['HEXISTS', 'b', BIN],
    ['HSTRLEN', 'b', BIN],
    'OBJECT ENCODING b',
    'HSET e "" ""',
    'HGET e ""',
    'HSTRLEN e ""',
    'HEXISTS e ""',
    'HGETALL e',
    'HSET e "\\r\\n" "\\x00\\x01"',
    'HGETALL e',
    'HDEL e ""',
    'HGETALL e',
    ['HSET', 'big', 'a', BIG, BIG, 'b'],
    ['HGET', 'big', BIG],
    'HSTRLEN big a',
    'OBJECT ENCODING big',
    'HSET n 1 2 -1 -2 0 0 01 02 9223372036854775807 x',
    'HGETALL n',
    'HINCRBY n 1 1',
    'HINCRBY n -1 -1',
    'HINCRBY n 0 0',
    'HGETALL n',
    'HSET u "Ünïcödé" "値"',
    'HGETALL u',
  ],
  'SORT BY and GET with ->field of hashes': [
    'RPUSH l 1 2 3 4',
    'HSET w_1 f 30 g x',
    'HSET w_2 f 20 g y',
    'HSET w_3 f 10',
    ['HSET', 'w_4', 'f', '5', 'long', 'v'.repeat(100)],
    'OBJECT ENCODING w_4',
    'SORT l BY w_*->f',
    'SORT l BY w_*->f DESC',
    'SORT l BY w_*->g ALPHA',
    'SORT l BY w_*->nofield',
    'SORT l GET w_*->f',
    'SORT l GET # GET w_*->g GET w_*->long',
    'SORT l BY w_*->f GET w_*->f LIMIT 1 2',
    'SORT l BY w_*->f STORE out',
    'LRANGE out 0 -1',
    'SORT l BY w_*->f GET w_*->g STORE out2',
    'LRANGE out2 0 -1',
    'SET w_2 str',
    'SORT l BY w_*->f',
    'SORT l GET w_*->f',
    'HSET h a 1',
    'SORT h',
  ],
  'COMMAND INFO and GETKEYS for hash commands': [
    `COMMAND INFO ${ALL_HASH_COMMANDS}`,
    'COMMAND GETKEYS HSET k f v',
    'COMMAND GETKEYS HMGET k a b',
    'COMMAND GETKEYS HSCAN k 0 COUNT 1',
    'COMMAND GETKEYSANDFLAGS HSET k f v',
    'COMMAND GETKEYSANDFLAGS HGETALL k',
    'COMMAND GETKEYSANDFLAGS HINCRBYFLOAT k f 1',
  ],
};

// 'pairs: …' steps (a prefix the harness does not know) compare under pairsRule.
for (const [name, steps] of Object.entries(cases)) {
  cases[name] = steps.map((s): StepInput => (typeof s === 'string' && s.startsWith('pairs: ') ? { args: splitArgs(s.slice(7)), rule: pairsRule } : s));
}

function splitArgs(s: string): Arg[] {
  return s.split(' ').filter((x) => x.length > 0);
}

// ---------------------------------------------------------------------------------------------
// seeded random sequences: a model check against Redis

/** Fields: a small pool so commands meet existing fields, plus long ones that force hashtables. */
const FIELDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', '1', '2', '-3', '', 'field:long', 'x'.repeat(20)];
const VALUES = ['1', '2', '-5', '0', '10', '3.5', '-0.25', '1e3', 'abc', '', ' 1', '01', '9223372036854775807', 'x'.repeat(30)];

class HashGen {
  private readonly rnd: Prng;
  constructor(seed: number, readonly keys: readonly string[], readonly longValue: number) {
    this.rnd = new Prng(seed);
  }
  int(lo: number, hi: number): number { return this.rnd.range(lo, hi); }
  chance(p: number): boolean { return this.rnd.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.rnd.int(xs.length)]!; }
  key(): string { return this.pick(this.keys); }
  field(): Arg {
    if (this.chance(0.03)) return 'F'.repeat(this.longValue + 1);
    if (this.chance(0.1)) return `f${this.int(0, 40)}`;
    return this.pick(FIELDS);
  }
  value(): Arg {
    if (this.chance(0.03)) return 'V'.repeat(this.longValue + this.int(-1, 1));
    if (this.chance(0.05)) return Buffer.from(Array.from({ length: this.int(1, 6) }, () => this.int(0, 255)));
    return this.pick(VALUES);
  }
  intArg(): string {
    return this.chance(0.9) ? String(this.int(-100, 100)) : this.pick(['abc', '', '1.5', '9223372036854775807', '-9223372036854775808']);
  }
  floatArg(): string {
    return this.chance(0.85) ? this.pick(['1', '0.5', '-2.25', '1e2', '3', '-0.1']) : this.pick(['abc', 'inf', 'nan', '', '1e5000']);
  }

  /** One command; `kind` tells the runner how to compare it. */
  next(): { args: Arg[]; kind: 'exact' | 'order' | 'random' | 'scan' } {
    const k = this.key();
    const r = this.int(0, 99);
    if (r < 20) {
      const a: Arg[] = ['HSET', k];
      for (let i = this.int(1, 4); i > 0; i--) a.push(this.field(), this.value());
      if (this.chance(0.03)) a.push('odd');
      return { args: a, kind: 'exact' };
    }
    if (r < 24) return { args: ['HSETNX', k, this.field(), this.value()], kind: 'exact' };
    if (r < 27) {
      const a: Arg[] = ['HMSET', k];
      for (let i = this.int(1, 3); i > 0; i--) a.push(this.field(), this.value());
      return { args: a, kind: 'exact' };
    }
    if (r < 35) return { args: ['HGET', k, this.field()], kind: 'exact' };
    if (r < 39) return { args: ['HMGET', k, this.field(), this.field(), this.field()], kind: 'exact' };
    if (r < 49) return { args: ['HDEL', k, ...Array.from({ length: this.int(1, 4) }, () => this.field())], kind: 'exact' };
    if (r < 52) return { args: ['HLEN', k], kind: 'exact' };
    if (r < 54) return { args: ['HSTRLEN', k, this.field()], kind: 'exact' };
    if (r < 56) return { args: ['HEXISTS', k, this.field()], kind: 'exact' };
    if (r < 62) return { args: [this.pick(['HGETALL', 'HKEYS', 'HVALS']), k], kind: 'order' };
    if (r < 69) return { args: ['HINCRBY', k, this.field(), this.intArg()], kind: 'exact' };
    if (r < 74) return { args: ['HINCRBYFLOAT', k, this.field(), this.floatArg()], kind: 'exact' };
    if (r < 80) {
      const a: Arg[] = ['HRANDFIELD', k];
      if (this.chance(0.8)) {
        a.push(String(this.int(-8, 8)));
        if (this.chance(0.5)) a.push('WITHVALUES');
      }
      return { args: a, kind: 'random' };
    }
    if (r < 84) {
      const o: Arg[] = [k];
      if (this.chance(0.4)) o.push('COUNT', String(this.int(1, 5)));
      if (this.chance(0.3)) o.push('MATCH', this.pick(['f*', '*1*', '?', '[a-c]']));
      return { args: o, kind: 'scan' };
    }
    if (r < 87) return { args: ['OBJECT', 'ENCODING', k], kind: 'exact' };
    if (r < 90) return { args: ['DEL', k], kind: 'exact' };
    if (r < 92) return { args: ['TYPE', k], kind: 'exact' };
    if (r < 93) return { args: ['SET', k, 'str'], kind: 'exact' };
    if (r < 95) return { args: ['COPY', k, this.key(), 'REPLACE'], kind: 'exact' };
    if (r < 97) return { args: ['RENAME', k, this.key()], kind: 'exact' };
    return { args: ['EXISTS', k], kind: 'exact' };
  }
}

/** Run `n` generated commands against both servers, comparing each reply. */
async function runHashSequence(p: Pair, seed: number, n: number, longValue: number): Promise<void> {
  const keys = ['h1', 'h2', 'h3'];
  const gen = new HashGen(seed, keys, longValue);
  for (let i = 0; i < n; i++) {
    const step = gen.next();
    let e;
    if (step.kind === 'scan') {
      e = await p.cmd({ scanAll: step.args, command: 'HSCAN' });
    } else if (step.kind === 'order') {
      // exact while the hash is a listpack (insertion order), as pairs / sorted once a hashtable
      const enc = (await p.oracle.send('OBJECT', 'ENCODING', step.args[1]!)).toString('latin1');
      const exact = !enc.includes('hashtable');
      const rule: Step['rule'] = exact ? 'exact' : step.args[0] === 'HGETALL' ? pairsRule : 'sort';
      e = await p.cmd({ args: step.args, rule });
    } else if (step.kind === 'random') {
      const type = (await p.oracle.send('TYPE', step.args[1]!)).toString('latin1');
      const universe = type === '+hash\r\n' ? await hashUniverse(p, step.args[1]!) : { members: new Set<string>() };
      const count = step.args.length > 2 ? Number(step.args[2]) : 1;
      e = await p.cmd({ args: step.args, rule: randomRule(universe, { distinct: count >= 0, withValues: step.args.length > 3 }) });
    } else {
      e = await p.cmd({ args: step.args });
    }
    if (e?.mismatch) throw new Error(`hash sequence (seed ${seed}) diverged at command #${i + 1}:\n${p.format(40)}`);
  }
  // the end state, field by field
  for (const k of keys) {
    await p.cmd({ args: ['HGETALL', k], rule: pairsRule });
    await p.cmd({ args: ['OBJECT', 'ENCODING', k] });
  }
  p.assertOk();
  console.log(`[hashes] seed ${seed}: ${p.entries.length} replies compared; ${replyKinds(p)}`);
}


const SEQUENCE_COMMANDS = Number(process.env.DIFF_HASH_COMMANDS ?? 1500);
const SEQUENCE_SEED = process.env.DIFF_SEED !== undefined ? Number(process.env.DIFF_SEED) >>> 0 : 0x4a5b;

function sequenceCases(env: DiffEnv): void {
  const runs: [string, 2 | 3, number, Record<string, string>][] = [
    ['default thresholds', 2, SEQUENCE_SEED, {}],
    ['default thresholds', 3, SEQUENCE_SEED + 1, {}],
    ['small thresholds (entries 6, value 8)', 2, SEQUENCE_SEED + 2, { 'hash-max-listpack-entries': '6', 'hash-max-listpack-value': '8' }],
    ['small thresholds (entries 6, value 8)', 3, SEQUENCE_SEED + 3, { 'hash-max-listpack-entries': '6', 'hash-max-listpack-value': '8' }],
  ];
  for (const [label, resp, seed, config] of runs) {
    it(`random hash sequence, ${label}, RESP${resp}, seed ${seed}, ${SEQUENCE_COMMANDS} commands`, { timeout: 60_000 }, async (ctx) => {
      if (await skipUnlessImplemented(env, ALL_HASH_COMMANDS.split(' '), `random hash sequence (RESP${resp})`, ctx)) return;
      const p = await env.pair(resp);
      const longValue = Number(config['hash-max-listpack-value'] ?? 64);
      try {
        for (const [name, value] of Object.entries(config)) await p.cmd(['CONFIG', 'SET', name, value]);
        await runHashSequence(p, seed, SEQUENCE_COMMANDS, longValue);
      } finally {
        await p.cmd(['CONFIG', 'SET', 'hash-max-listpack-entries', '512']);
        await p.cmd(['CONFIG', 'SET', 'hash-max-listpack-value', '64']);
        await p.close();
      }
    });
  }
}

/** Pipelines: all commands written at once, replies compared byte for byte (listpack hashes). */
const pipelines: Record<string, Arg[][]> = {
  'pipeline: writes, reads and errors': [
    ['HSET', 'p', 'a', '1', 'b', '2'],
    ['HGET', 'p', 'a'],
    ['HINCRBY', 'p', 'a', '5'],
    ['HINCRBYFLOAT', 'p', 'b', '0.5'],
    ['HGETALL', 'p'],
    ['HSET', 'p', 'odd'],
    ['HINCRBY', 'p', 'b', '1'],
    ['HDEL', 'p', 'a', 'b'],
    ['EXISTS', 'p'],
    ['SET', 'p', 'x'],
    ['HSET', 'p', 'a', '1'],
    ['HRANDFIELD', 'p', 'abc'],
    ['PING'],
  ],
  'pipeline: 600 HSETs cross the listpack limit': [
    ...Array.from({ length: 600 }, (_, i) => ['HSET', 'pp', `f${i}`, `v${i}`]),
    ['HLEN', 'pp'],
    ['OBJECT', 'ENCODING', 'pp'],
    ...Array.from({ length: 100 }, (_, i) => ['HGET', 'pp', `f${i * 7}`]),
    ...Array.from({ length: 100 }, (_, i) => ['HDEL', 'pp', `f${i}`]),
    ['HLEN', 'pp'],
  ],
};

describeDiff('differential: hashes', () => {
  const env = useDiffEnv();
  diffCases(env, cases);
  pipelineCases(env, pipelines);
  sequenceCases(env);
  it('HGETALL of a 1000-field hashtable, pipelined HSETs (RESP2)', async (ctx) => {
    if (await skipUnlessImplemented(env, ['HSET', 'HGETALL'], 'large hash', ctx)) return;
    const p = await env.pair(2);
    try {
      for (let i = 0; i < 1000; i += 100) await p.cmd(pairs('HSET', 'big', 100, i));
      await p.run(['HLEN big', 'OBJECT ENCODING big', { args: ['HGETALL', 'big'], rule: pairsRule }, 'sort: HKEYS big']);
      for (let i = 0; i < 1000; i += 3) await p.cmd(['HDEL', 'big', `f${i}`]);
      await p.run(['HLEN big', { args: ['HGETALL', 'big'], rule: pairsRule }, { scanAll: ['big', 'COUNT', '50'], command: 'HSCAN' }]);
      const r = parseReplyTree(await p.target.send('HSCAN', 'big', '0', 'COUNT', '10')).node;
      if (r.children?.[0]?.data?.toString() === '0') throw new Error('HSCAN of a hashtable returned everything at once');
    } finally {
      await p.close();
    }
    p.assertOk();
  });
});
