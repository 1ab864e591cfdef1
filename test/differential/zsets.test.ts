/**
 * Differential: Redis 7.0 sorted-set commands (ZADD ZINCRBY ZREM ZCARD ZCOUNT ZLEXCOUNT ZSCORE
 * ZMSCORE ZRANK ZREVRANK ZRANGE ZRANGESTORE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX
 * ZREVRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP ZUNION
 * ZUNIONSTORE ZINTER ZINTERSTORE ZINTERCARD ZDIFF ZDIFFSTORE ZRANDMEMBER ZSCAN), RESP2 and RESP3,
 * against redis-server.
 *
 * Also: score parsing and printing (%.17g, inf, -0, hex floats, long inputs), every option and
 * error path, encodings at the listpack thresholds (also after CONFIG SET), zsets through the
 * generic keyspace commands, WRONGTYPE both ways, keys deleted when emptied, binary / empty /
 * long members, pipelines, and long seeded random sequences (every reply compared; ZRANDMEMBER,
 * whose picks are random, is checked for size, distinctness and membership instead).
 * Blocking commands (BZPOPMIN …) are not covered here.
 *
 *   DIFF_ZSET_SEEDS=100:20:3000   20 more generated runs from seed 100, 3000 commands each
 */
import { it, expect } from 'vitest';
import {
  describeDiff,
  useDiffEnv,
  diffCases,
  skipUnlessImplemented,
  pipelineCases,
  type DiffEnv,
  type StepInput,
  type Pair,
  type Entry,
  type CustomRule,
} from '../helpers/transcript.js';
import { parseReplyTree, type Arg, type ReplyNode } from '../helpers/raw-client.js';
import { Prng } from '../resp/prng.js';

const BIN = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const LONG64 = 'x'.repeat(64);
const LONG65 = 'y'.repeat(65);
const BIG = 'b'.repeat(100 * 1024);

/** ZADD key with n members `prefix<i>` scored i (or by `score(i)`). */
function zaddMany(key: string, n: number, prefix = 'm', score: (i: number) => string = (i) => String(i)): Arg[] {
  const a: Arg[] = ['ZADD', key];
  for (let i = 0; i < n; i++) a.push(score(i), `${prefix}${i}`);
  return a;
}

function prng(seed: number): () => number {
  const g = new Prng(seed);
  return () => g.next();
}

// ─── ZRANDMEMBER checks ─────────────────────────────────────────────────────────────────────

function leaves(n: ReplyNode): ReplyNode[] {
  if (!n.children) return [n];
  return n.children.flatMap(leaves);
}

/**
 * A custom rule for ZRANDMEMBER against a zset whose members and scores the test knows: same
 * reply type and size as Redis, every member from the zset (with its own score), distinct when
 * the count is positive, and RESP3 pairs nested as Redis nests them.
 */
function randRule(members: Record<string, string>, count: number | undefined, withScores: boolean): CustomRule {
  return (oracle, target) => {
    const a = parseReplyTree(oracle).node;
    const b = parseReplyTree(target).node;
    if (a.type !== b.type) return `reply types differ: ${a.type} vs ${b.type}`;
    if (!a.children || !b.children) return a.raw.equals(b.raw) ? null : 'replies differ';
    if (a.children.length !== b.children.length) return `sizes differ: ${a.children.length} vs ${b.children.length}`;
    const nested = b.children.length > 0 && b.children[0]!.children !== undefined;
    const an = a.children.length > 0 && a.children[0]!.children !== undefined;
    if (nested !== an) return 'nesting differs';
    const flat = leaves(b);
    const step = withScores ? 2 : 1;
    const seen = new Set<string>();
    for (let i = 0; i < flat.length; i += step) {
      const m = flat[i]!.data!.toString('latin1');
      if (!(m in members)) return `not a member: ${m}`;
      if (withScores) {
        const s = flat[i + 1]!.data!.toString('latin1');
        if (s !== members[m]) return `score of ${m} is ${s}, expected ${members[m]}`;
      }
      if (count !== undefined && count > 0 && seen.has(m)) return `repeated member ${m}`;
      seen.add(m);
    }
    return null;
  };
}

/** Steps: ZRANDMEMBER forms on key `k` holding `members` (member → score text), checked by randRule. */
function randSteps(k: string, members: Record<string, string>): StepInput[] {
  const steps: StepInput[] = [];
  const size = Object.keys(members).length;
  for (const c of [1, 2, 3, size - 1, size, size + 5, -1, -3, -(size * 2), 0]) {
    steps.push({ args: ['ZRANDMEMBER', k, String(c)], rule: randRule(members, c, false) });
    steps.push({ args: ['ZRANDMEMBER', k, String(c), 'WITHSCORES'], rule: randRule(members, c, true) });
  }
  steps.push({ args: ['ZRANDMEMBER', k], rule: (o, t) => {
    const m = parseReplyTree(t).node.data?.toString('latin1');
    return m !== undefined && m in members && parseReplyTree(o).node.type === '$' ? null : `not a member: ${m}`;
  } });
  return steps;
}

// ─── cases ──────────────────────────────────────────────────────────────────────────────────

const SCORES = [
  '0', '1', '-1', '1.1', '0.1', '-0', '+0', '-0.0', '1e25', '1E25', '1.5e-7', '123456789012345678', '1e17', '1e16',
  '9007199254740993', '4611686018427387904', '4611686018427388928', '-4611686018427387904', '1e-310', '4.9e-324',
  '3e-324', '1.7976931348623157e308', 'inf', '-inf', '+inf', 'INF', 'Infinity', '-infinity', '0x10', '0x1p-3',
  '0X1.8P1', '.5', '5.', '00012', '1e+5', '0.30000000000000004', '1125899906842624.25', '1125899906842624.75',
  '3.141592653589793238462643383279502884197', `1.${'0'.repeat(400)}1`, `0.${'0'.repeat(300)}1e300`,
];
const BAD_SCORES = ['nan', 'NaN', '-nan', '', ' 1', '1 ', 'abc', '1e400', '-1e400', '1e-400', '2e-324', '1.2.3', '0x', '1e',
  '--1', 'inf1', 'infinit', '1\x002'];

const cases: Record<string, readonly StepInput[]> = {
  'ZADD basics, CH, NX, XX, GT, LT': [
    'ZADD z 1 a',
    'ZADD z 2 b 3 c',
    'ZADD z 1 a',
    'ZADD z 5 a',
    'ZRANGE z 0 -1 WITHSCORES',
    'ZADD z CH 6 a 2 b 9 d',
    'ZADD z NX 100 a 7 e',
    'ZADD z XX 8 a 99 nope',
    'ZADD z XX CH 8 a 9 b',
    'ZADD z GT 1 a 20 b',
    'ZADD z GT CH 1 a 30 b',
    'ZADD z LT CH 1 a 30 b',
    'ZADD z LT 0 c 100 f',
    'ZADD z GT XX 1000 c 1000 g',
    'ZADD z lt xx ch 0.5 c',
    'ZADD z nx ch 1 h 2 h',
    'ZRANGE z 0 -1 WITHSCORES',
    'ZCARD z',
    'ZADD z CH CH NX 1 i',
    'ZADD nokey XX 1 a',
    'EXISTS nokey',
    'ZADD nokey XX INCR 1 a',
    'ZADD nokey GT 5 a',
    'ZRANGE nokey 0 -1 WITHSCORES',
    'ZADD dup 1 a 2 a 3 a',
    'ZRANGE dup 0 -1 WITHSCORES',
    'ZADD dup 5 b 4 b',
    'ZRANGE dup 0 -1 WITHSCORES',
    'TYPE z',
  ],
  'ZADD errors in Redis order': [
    'ZADD z',
    'ZADD z 1',
    'ZADD z 1 a 2',
    'ZADD z NX',
    'ZADD z NX XX 1 a',
    'ZADD z NX GT 1 a',
    'ZADD z LT NX 1 a',
    'ZADD z GT LT 1 a',
    'ZADD z NX XX GT 1 a',
    'ZADD z INCR 1 a 2 b',
    'ZADD z NX XX INCR 1 a 2 b',
    'ZADD z INCR GT LT 1 a 2 b',
    'ZADD z abc a',
    'ZADD z 1 a abc b',
    'ZADD z NX XX abc a',
    'ZADD z FOO 1 a',
    'ZADD z 1 a FOO',
    'ZADD z nan a',
    'ZADD z INCR nan a',
    'EXISTS z',
    'SET s v',
    'ZADD s 1 a',
    'ZADD s abc a',
    'ZADD s NX XX 1 a',
    'ZADD s XX 1 a',
    'GET s',
  ],
  'ZADD INCR, ZINCRBY, infinities and NaN': [
    'ZINCRBY z 1 a',
    'ZINCRBY z 2.5 a',
    'ZINCRBY z -10 a',
    'ZADD z INCR 0.1 a',
    'ZADD z INCR 0.2 a',
    'ZSCORE z a',
    'ZADD z NX INCR 5 a',
    'ZADD z XX INCR 5 a',
    'ZADD z XX INCR 5 nope',
    'ZADD z NX INCR 5 b',
    'ZADD z GT INCR -1 b',
    'ZADD z LT INCR -1 b',
    'ZADD z GT INCR 1 b',
    'ZADD z CH INCR 1 b',
    'ZADD z INCR inf c',
    'ZADD z INCR -inf c',
    'ZINCRBY z -inf c',
    'ZSCORE z c',
    'ZINCRBY z inf c',
    'ZINCRBY z inf c',
    'ZINCRBY z 1 c',
    'ZADD z -inf d',
    'ZINCRBY z inf d',
    'ZINCRBY z nan d',
    'ZINCRBY z abc d',
    'ZINCRBY z 1e400 d',
    'ZINCRBY z 1.7976931348623157e308 e',
    'ZINCRBY z 1.7976931348623157e308 e',
    'ZINCRBY z -1.7976931348623157e308 e',
    'ZADD z 0 f',
    'ZINCRBY z -0 f',
    'ZINCRBY z 0 f',
    'ZADD z INCR -0 negz',
    'ZSCORE z negz',
    'ZINCRBY z -0 negz2',
    'ZSCORE z negz2',
    'ZRANGE z 0 -1 WITHSCORES',
    'ZINCRBY z nx a',
    'ZINCRBY z incr a',
    'ZINCRBY z ch a',
    'ZINCRBY z 1 nx',
    'ZINCRBY z',
    'ZINCRBY z 1',
    'ZINCRBY z 1 a b',
    'SET s v',
    'ZINCRBY s 1 a',
    'ZINCRBY s abc a',
  ],
  'scores are parsed as strtod and printed as %.17g': [
    ...SCORES.flatMap((s, i): StepInput[] => [['ZADD', 'sc', s, `m${i}`], ['ZSCORE', 'sc', `m${i}`]]),
    'ZRANGE sc 0 -1 WITHSCORES',
    'ZSCAN sc 0',
    'CONFIG SET zset-max-listpack-entries 0',
    ...SCORES.flatMap((s, i): StepInput[] => [['ZADD', 'sk', s, `m${i}`], ['ZSCORE', 'sk', `m${i}`]]),
    'OBJECT ENCODING sk',
    'ZRANGE sk 0 -1 WITHSCORES',
    'ZMSCORE sk m0 m5 m6 m20 nope',
    'ZADD sk INCR -0 negz',
    'ZSCORE sk negz',
    { scanAll: ['sk'], command: 'ZSCAN' },
    'CONFIG SET zset-max-listpack-entries 128',
    ...BAD_SCORES.map((s): StepInput => ['ZADD', 'bad', s, 'x']),
    ...BAD_SCORES.map((s): StepInput => ['ZINCRBY', 'bad', s, 'x']),
    'EXISTS bad',
    'ZADD n -0 a',
    'ZSCORE n a',
    'ZADD n 0 b',
    'ZRANGE n 0 -1 WITHSCORES',
    'ZRANGESTORE n2 n 0 -1',
    'ZRANGE n2 0 -1 WITHSCORES',
  ],
  'ZREM, ZCARD, keys deleted when emptied': [
    'ZREM nokey a',
    'ZCARD nokey',
    'ZADD z 1 a 2 b 3 c',
    'ZREM z a nope',
    'ZREM z a',
    'ZCARD z',
    'ZREM z b c d',
    'EXISTS z',
    'ZCARD z',
    'ZADD z 1 a 2 b',
    'ZREM z a b a b',
    'EXISTS z',
    'ZREM z',
    'ZCARD',
    'ZCARD z extra',
    'SET s v',
    'ZREM s a',
    'ZCARD s',
  ],
  'ZSCORE, ZMSCORE, ZRANK, ZREVRANK': [
    'ZSCORE nokey a',
    'ZMSCORE nokey a b',
    'ZRANK nokey a',
    'ZREVRANK nokey a',
    'ZADD z 1 a 2 b 2 c 3 d',
    'ZSCORE z a',
    'ZSCORE z nope',
    'ZMSCORE z a nope d',
    'ZMSCORE z nope',
    'ZRANK z a',
    'ZRANK z c',
    'ZRANK z nope',
    'ZREVRANK z a',
    'ZREVRANK z d',
    'ZREVRANK z nope',
    'ZSCORE z',
    'ZSCORE z a b',
    'ZMSCORE z',
    'ZRANK z',
    'ZRANK z a b',
    'ZREVRANK z a WITHSCORE',
    'SET s v',
    'ZSCORE s a',
    'ZMSCORE s a',
    'ZRANK s a',
    'ZREVRANK s a',
  ],
  'ZRANGE by rank': [
    'ZRANGE nokey 0 -1',
    'ZRANGE nokey 0 -1 WITHSCORES',
    'ZADD z 1 a 2 b 3 c 4 d 5 e',
    'ZRANGE z 0 -1',
    'ZRANGE z 0 -1 WITHSCORES',
    'ZRANGE z 1 3 withscores',
    'ZRANGE z -2 -1 WITHSCORES',
    'ZRANGE z -100 100',
    'ZRANGE z 3 1',
    'ZRANGE z 5 10',
    'ZRANGE z 4 4',
    'ZRANGE z -1 -5',
    'ZRANGE z 0 -6',
    'ZRANGE z 0 9223372036854775807',
    'ZRANGE z -9223372036854775808 9223372036854775807',
    'ZRANGE z 0 -1 REV',
    'ZRANGE z 0 1 REV WITHSCORES',
    'ZRANGE z 1 -2 REV',
    'ZRANGE z 0 -1 WITHSCORES WITHSCORES REV REV',
    'ZRANGE z a 1',
    'ZRANGE z 0 b',
    'ZRANGE z 0 1.5',
    'ZRANGE z 0 -1 LIMIT 0 1',
    'ZRANGE z 0 -1 LIMIT 0 -1',
    'ZRANGE z 0 -1 LIMIT 1',
    'ZRANGE z 0 -1 LIMIT a b',
    'ZRANGE z 0 -1 FOO',
    'ZREVRANGE z 0 -1',
    'ZREVRANGE z 0 1 WITHSCORES',
    'ZREVRANGE z -2 -1',
    'ZREVRANGE z 0 -1 REV',
    'ZREVRANGE z 0 -1 BYSCORE',
    'ZREVRANGE z 0 -1 LIMIT 0 1',
    'ZREVRANGE nokey 0 -1',
  ],
  'ZRANGE BYSCORE and the legacy score commands': [
    'ZADD z -inf ninf 1 a 2 b 2 bb 3 c 4 d 5 e +inf pinf',
    'ZRANGE z -inf +inf BYSCORE',
    'ZRANGE z -inf +inf BYSCORE WITHSCORES',
    'ZRANGE z 2 4 BYSCORE',
    'ZRANGE z (2 4 BYSCORE',
    'ZRANGE z (2 (4 BYSCORE WITHSCORES',
    'ZRANGE z (1 (1 BYSCORE',
    'ZRANGE z 1 1 BYSCORE',
    'ZRANGE z 5 1 BYSCORE',
    'ZRANGE z 4 2 BYSCORE REV',
    'ZRANGE z (4 2 BYSCORE REV WITHSCORES',
    'ZRANGE z +inf -inf BYSCORE REV LIMIT 1 3',
    'ZRANGE z -inf +inf BYSCORE LIMIT 2 3',
    'ZRANGE z -inf +inf BYSCORE LIMIT 0 0',
    'ZRANGE z -inf +inf BYSCORE LIMIT 0 -1',
    'ZRANGE z -inf +inf BYSCORE LIMIT 0 -5',
    'ZRANGE z -inf +inf BYSCORE LIMIT -1 2',
    'ZRANGE z -inf +inf BYSCORE LIMIT 8 2',
    'ZRANGE z -inf +inf BYSCORE LIMIT 9 2',
    'ZRANGE z -inf +inf BYSCORE LIMIT 100 2',
    'ZRANGE z -inf +inf BYSCORE LIMIT 1 2 LIMIT 3 1',
    'ZRANGE z inf -inf BYSCORE',
    'ZRANGE z (inf inf BYSCORE',
    'ZRANGE z (-inf -inf BYSCORE',
    'ZRANGE z -inf -inf BYSCORE WITHSCORES',
    'ZRANGE z "" 2 BYSCORE',
    'ZRANGE z ( 2 BYSCORE',
    'ZRANGE z " 1" 2 BYSCORE',
    'ZRANGE z "1\\x00junk" 2 BYSCORE',
    'ZRANGE z 0x1 0x2 BYSCORE',
    'ZRANGE z 1e0 2e0 BYSCORE',
    'ZRANGE z 1e400 1e500 BYSCORE',
    'ZRANGE z nan 2 BYSCORE',
    'ZRANGE z 1 nan BYSCORE',
    'ZRANGE z (nan 2 BYSCORE',
    'ZRANGE z abc 2 BYSCORE',
    'ZRANGE z 1 "2 " BYSCORE',
    'ZRANGE z [1 2 BYSCORE',
    'ZRANGE nokey 1 2 BYSCORE',
    'ZRANGE nokey abc 2 BYSCORE',
    'ZRANGEBYSCORE z -inf +inf',
    'ZRANGEBYSCORE z (1 +inf WITHSCORES',
    'ZRANGEBYSCORE z -inf +inf LIMIT 1 2',
    'ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 1 2',
    'ZRANGEBYSCORE z -inf +inf LIMIT 1 2 WITHSCORES',
    'ZRANGEBYSCORE z -inf +inf LIMIT 1',
    'ZRANGEBYSCORE z -inf +inf REV',
    'ZRANGEBYSCORE z -inf +inf BYSCORE',
    'ZRANGEBYSCORE z -inf +inf BYLEX',
    'ZRANGEBYSCORE z abc 1',
    'ZREVRANGEBYSCORE z +inf -inf',
    'ZREVRANGEBYSCORE z 4 (2 WITHSCORES',
    'ZREVRANGEBYSCORE z 2 4',
    'ZREVRANGEBYSCORE z +inf -inf LIMIT 1 3 WITHSCORES',
    'ZREVRANGEBYSCORE z +inf -inf LIMIT -1 3',
    'ZREVRANGEBYSCORE nokey +inf -inf',
    'ZREVRANGEBYSCORE z +inf abc',
  ],
  'ZRANGE BYLEX and the legacy lex commands': [
    'ZADD l 0 a 0 b 0 c 0 d 0 e 0 f 0 g 0 aa 0 "" 0 "a b"',
    'ZRANGE l - + BYLEX',
    'ZRANGE l [b [d BYLEX',
    'ZRANGE l (b (d BYLEX',
    'ZRANGE l (a + BYLEX',
    'ZRANGE l - (c BYLEX',
    'ZRANGE l [ + BYLEX',
    'ZRANGE l ( + BYLEX',
    'ZRANGE l - [ BYLEX',
    'ZRANGE l + - BYLEX',
    'ZRANGE l - - BYLEX',
    'ZRANGE l + + BYLEX',
    'ZRANGE l [c [a BYLEX',
    'ZRANGE l [a [a BYLEX',
    'ZRANGE l (a [a BYLEX',
    'ZRANGE l + - BYLEX REV',
    'ZRANGE l [d [b BYLEX REV',
    'ZRANGE l + - BYLEX REV LIMIT 1 2',
    'ZRANGE l - + BYLEX LIMIT 2 3',
    'ZRANGE l - + BYLEX LIMIT 0 -1',
    'ZRANGE l - + BYLEX LIMIT -1 2',
    'ZRANGE l - + BYLEX LIMIT 100 2',
    'ZRANGE l - + BYLEX WITHSCORES',
    'ZRANGE l a b BYLEX',
    'ZRANGE l [a b BYLEX',
    'ZRANGE l "" + BYLEX',
    'ZRANGE l +a + BYLEX',
    'ZRANGE l - -a BYLEX',
    'ZRANGE l "-\\x00x" + BYLEX',
    'ZRANGE nokey - + BYLEX',
    'ZRANGE nokey a b BYLEX',
    'ZRANGE l - + BYLEX BYSCORE',
    'ZRANGE l - + BYSCORE BYLEX',
    'ZRANGEBYLEX l - +',
    'ZRANGEBYLEX l [aa +',
    'ZRANGEBYLEX l - + LIMIT 1 1',
    'ZRANGEBYLEX l - + WITHSCORES',
    'ZRANGEBYLEX l - + REV',
    'ZRANGEBYLEX l a +',
    'ZREVRANGEBYLEX l + -',
    'ZREVRANGEBYLEX l [e (b',
    'ZREVRANGEBYLEX l + - LIMIT 2 2',
    'ZREVRANGEBYLEX l - +',
    'ZREVRANGEBYLEX nokey + -',
    'ZLEXCOUNT l - +',
    'ZLEXCOUNT l [b [d',
    'ZLEXCOUNT l (b (d',
    'ZLEXCOUNT l + -',
    'ZLEXCOUNT l a b',
    'ZLEXCOUNT nokey - +',
    'ZLEXCOUNT nokey a b',
    'ZADD mixed 1 b 2 a 3 d 4 c',
    'ZRANGEBYLEX mixed - +',
    'ZRANGEBYLEX mixed [b [c',
    'ZREVRANGEBYLEX mixed [c [a',
    'ZLEXCOUNT mixed [a [c',
    'ZREMRANGEBYLEX mixed [a [c',
    'ZRANGE mixed 0 -1 WITHSCORES',
  ],
  'ZRANGE option combinations and argument order': [
    'ZADD z 1 a 2 b 3 c',
    'ZRANGE z 0 -1 BYSCORE BYSCORE',
    'ZRANGE z 0 -1 BYLEX BYSCORE',
    'ZRANGE z 0 -1 REV REV',
    'ZRANGE z 0 -1 LIMIT 0 1 WITHSCORES',
    'ZRANGE z 0 -1 LIMIT x 1 BYSCORE',
    'ZRANGE z a b LIMIT 0 1',
    'ZRANGE z a b WITHSCORES BYLEX',
    'ZRANGE z [a [b WITHSCORES BYLEX',
    'ZRANGE z a b BYLEX WITHSCORES LIMIT 0 1',
    'ZRANGE z (1 3 BYSCORE LIMIT 0 1 REV',
    'ZRANGE z 3 (1 BYSCORE REV LIMIT 0 1',
    'ZRANGE z 0 -1 withscores limit 0 2 byscore',
    'ZRANGE z 0 -1 FOO BYSCORE',
    'ZRANGE z 0 -1 LIMIT 0',
    'ZRANGE z 0',
    'ZRANGE z',
    'SET s v',
    'ZRANGE s 0 -1',
    'ZRANGE s 0 -1 BYSCORE',
    'ZRANGE s - + BYLEX',
    'ZRANGE s a b',
    'ZRANGE s 0 -1 FOO',
    'ZRANGEBYSCORE s 0 1',
    'ZREVRANGE s 0 1',
  ],
  'ZRANGESTORE': [
    'ZADD src 1 a 2 b 3 c 4 d 5 e',
    'ZRANGESTORE dst src 0 -1',
    'ZRANGE dst 0 -1 WITHSCORES',
    'OBJECT ENCODING dst',
    'ZRANGESTORE dst src 1 2 REV',
    'ZRANGE dst 0 -1 WITHSCORES',
    'ZRANGESTORE dst src (1 4 BYSCORE LIMIT 1 2',
    'ZRANGE dst 0 -1 WITHSCORES',
    'ZRANGESTORE dst src +inf -inf BYSCORE REV LIMIT 0 2',
    'ZRANGE dst 0 -1 WITHSCORES',
    'ZRANGESTORE dst src - + BYLEX',
    'ZRANGE dst 0 -1 WITHSCORES',
    'ZRANGESTORE dst src 10 20',
    'EXISTS dst',
    'ZRANGESTORE dst src 0 -1',
    'ZRANGESTORE dst nokey 0 -1',
    'EXISTS dst',
    'SET dst v',
    'EXPIRE dst 1000',
    'ZRANGESTORE dst src 0 1',
    'TYPE dst',
    'TTL dst',
    'ZRANGESTORE src src 1 2',
    'ZRANGE src 0 -1 WITHSCORES',
    'ZRANGESTORE dst src 0 -1 WITHSCORES',
    'ZRANGESTORE dst src 0 -1 LIMIT 0 1',
    'ZRANGESTORE dst src a b',
    'ZRANGESTORE dst src a b BYSCORE',
    'ZRANGESTORE dst src a b BYLEX',
    'SET s v',
    'ZRANGESTORE dst s 0 -1',
    'ZRANGESTORE s src 0 -1',
    'TYPE s',
    'ZRANGESTORE dst src 0',
    'ZRANGESTORE dst',
  ],
  'ZCOUNT and ZLEXCOUNT': [
    'ZCOUNT nokey -inf +inf',
    'ZCOUNT nokey a b',
    'ZADD z 1 a 2 b 2 c 3 d -inf e +inf f',
    'ZCOUNT z -inf +inf',
    'ZCOUNT z 2 2',
    'ZCOUNT z (2 2',
    'ZCOUNT z (1 (3',
    'ZCOUNT z 3 1',
    'ZCOUNT z -inf -inf',
    'ZCOUNT z (-inf (+inf',
    'ZCOUNT z 10 20',
    'ZCOUNT z a 1',
    'ZCOUNT z 1 b',
    'ZCOUNT z 1',
    'CONFIG SET zset-max-listpack-entries 0',
    'ZADD k 1 a 2 b 2 c 3 d -inf e +inf f',
    'OBJECT ENCODING k',
    'ZCOUNT k -inf +inf',
    'ZCOUNT k 2 2',
    'ZCOUNT k (2 2',
    'ZCOUNT k (1 (3',
    'ZCOUNT k 3 1',
    'ZCOUNT k 10 20',
    'ZADD kl 0 a 0 b 0 c 0 d',
    'ZLEXCOUNT kl - +',
    'ZLEXCOUNT kl [b (d',
    'ZLEXCOUNT kl (d +',
    'ZLEXCOUNT kl + -',
    'CONFIG SET zset-max-listpack-entries 128',
    'SET s v',
    'ZCOUNT s 0 1',
    'ZLEXCOUNT s - +',
  ],
  'ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX': [
    'ZREMRANGEBYRANK nokey 0 -1',
    'ZREMRANGEBYSCORE nokey -inf +inf',
    'ZREMRANGEBYLEX nokey - +',
    'ZREMRANGEBYRANK nokey a b',
    'ZREMRANGEBYSCORE nokey a b',
    'ZREMRANGEBYLEX nokey a b',
    'ZADD z 1 a 2 b 3 c 4 d 5 e 6 f',
    'ZREMRANGEBYRANK z 0 0',
    'ZREMRANGEBYRANK z -1 -1',
    'ZRANGE z 0 -1',
    'ZREMRANGEBYRANK z 5 10',
    'ZREMRANGEBYRANK z 2 1',
    'ZREMRANGEBYRANK z 1 -2',
    'ZRANGE z 0 -1',
    'ZREMRANGEBYRANK z 0 -1',
    'EXISTS z',
    'ZADD z 1 a 2 b 3 c 4 d 5 e 6 f',
    'ZREMRANGEBYSCORE z (2 4',
    'ZRANGE z 0 -1',
    'ZREMRANGEBYSCORE z 4 2',
    'ZREMRANGEBYSCORE z -inf (2',
    'ZREMRANGEBYSCORE z 100 +inf',
    'ZREMRANGEBYSCORE z -inf +inf',
    'EXISTS z',
    'ZADD l 0 a 0 b 0 c 0 d 0 e',
    'ZREMRANGEBYLEX l (a [c',
    'ZRANGE l 0 -1',
    'ZREMRANGEBYLEX l + -',
    'ZREMRANGEBYLEX l - (d',
    'ZREMRANGEBYLEX l - +',
    'EXISTS l',
    'ZADD z 1 a',
    'ZREMRANGEBYRANK z a 1',
    'ZREMRANGEBYRANK z 0 1.5',
    'ZREMRANGEBYSCORE z nan 1',
    'ZREMRANGEBYSCORE z 1 x',
    'ZREMRANGEBYLEX z a +',
    'ZREMRANGEBYLEX z - b',
    'ZREMRANGEBYRANK z 0',
    'SET s v',
    'ZREMRANGEBYRANK s 0 -1',
    'ZREMRANGEBYSCORE s -inf +inf',
    'ZREMRANGEBYLEX s - +',
    'ZREMRANGEBYRANK s a 1',
  ],
  'ZPOPMIN and ZPOPMAX': [
    'ZPOPMIN nokey',
    'ZPOPMAX nokey',
    'ZPOPMIN nokey 0',
    'ZPOPMIN nokey 3',
    'ZPOPMIN nokey -1',
    'ZPOPMIN nokey abc',
    'ZADD z 1 a 2 b 3 c 4 d 5 e 5 f',
    'ZPOPMIN z',
    'ZPOPMAX z',
    'ZPOPMIN z 1',
    'ZPOPMAX z 2',
    'ZPOPMIN z 0',
    'ZPOPMIN z -1',
    'ZPOPMIN z abc',
    'ZPOPMIN z 1.5',
    'ZPOPMIN z ""',
    'ZPOPMIN z 9223372036854775808',
    'ZPOPMIN z 1 2',
    'ZPOPMAX z 1 2',
    'ZRANGE z 0 -1 WITHSCORES',
    'ZPOPMAX z 100',
    'EXISTS z',
    'ZADD z 1 a',
    'ZPOPMIN z 9223372036854775807',
    'EXISTS z',
    'ZADD z -inf a +inf b',
    'ZPOPMAX z',
    'ZPOPMIN z',
    'EXISTS z',
    'ZPOPMIN',
    'SET s v',
    'ZPOPMIN s',
    'ZPOPMAX s 2',
    'ZPOPMIN s -1',
  ],
  'ZMPOP': [
    'ZMPOP 1 nokey MIN',
    'ZMPOP 2 nokey nokey2 MAX COUNT 3',
    'ZADD z1 1 a 2 b 3 c',
    'ZADD z2 10 x 20 y',
    'ZMPOP 2 nokey z1 MIN',
    'ZMPOP 2 z1 z2 MAX COUNT 10',
    'ZMPOP 2 z1 z2 MAX COUNT 10',
    'ZMPOP 2 z1 z2 min count 1',
    'EXISTS z1 z2',
    'ZADD z1 1 a',
    'SET s v',
    'ZMPOP 2 s z1 MIN',
    'ZMPOP 2 z1 s MIN',
    'ZMPOP 2 nokey s MIN',
    'ZMPOP 0 z1 MIN',
    'ZMPOP -1 z1 MIN',
    'ZMPOP abc z1 MIN',
    'ZMPOP 1 z1',
    'ZMPOP 2 z1 MIN',
    'ZMPOP 1 z1 LEFT',
    'ZMPOP 1 z1 MIN COUNT',
    'ZMPOP 1 z1 MIN COUNT 0',
    'ZMPOP 1 z1 MIN COUNT -1',
    'ZMPOP 1 z1 MIN COUNT abc',
    'ZMPOP 1 z1 MIN COUNT 1 COUNT 2',
    'ZMPOP 1 z1 MIN FOO',
    'ZMPOP 1 z1 MAX COUNT 9223372036854775807',
    'ZMPOP 9223372036854775807 z1 MIN',
    'ZMPOP 9223372036854775806 z1 MIN',
    'ZMPOP 4611686018427387904 z1 MIN',
    'ZMPOP 2 z1 MIN',
    'ZUNION 9223372036854775807 a',
    'ZUNIONSTORE d 9223372036854775807 a',
    'ZMPOP',
    'ZMPOP 1',
  ],
  'ZUNION, ZINTER, ZDIFF with weights, aggregates and WITHSCORES': [
    'ZADD a 1 x 2 y 3 z',
    'ZADD b 10 y 20 z 30 w',
    'ZADD c 100 z',
    'ZUNION 2 a b',
    'ZUNION 2 a b WITHSCORES',
    'ZUNION 3 a b c WITHSCORES',
    'ZUNION 2 a b WEIGHTS 2 0.5 WITHSCORES',
    'ZUNION 2 a b AGGREGATE MIN WITHSCORES',
    'ZUNION 2 a b AGGREGATE max WITHSCORES',
    'ZUNION 2 a b AGGREGATE SUM WEIGHTS -1 1 WITHSCORES',
    'ZUNION 2 a nokey WITHSCORES',
    'ZUNION 1 nokey WITHSCORES',
    'ZUNION 2 a a WITHSCORES',
    'ZINTER 2 a b',
    'ZINTER 2 a b WITHSCORES',
    'ZINTER 3 a b c WITHSCORES',
    'ZINTER 2 a b WEIGHTS 3 4 AGGREGATE MAX WITHSCORES',
    'ZINTER 2 a b AGGREGATE MIN WITHSCORES',
    'ZINTER 2 a nokey WITHSCORES',
    'ZINTER 2 a a WITHSCORES',
    'ZDIFF 1 a',
    'ZDIFF 2 a b',
    'ZDIFF 2 a b WITHSCORES',
    'ZDIFF 3 b a c WITHSCORES',
    'ZDIFF 2 a a',
    'ZDIFF 2 a nokey WITHSCORES',
    'ZDIFF 2 nokey a WITHSCORES',
    'ZADD inf1 inf m -inf n 1 o',
    'ZADD inf2 -inf m inf n inf o',
    'ZUNION 2 inf1 inf2 WITHSCORES',
    'ZINTER 2 inf1 inf2 WITHSCORES',
    'ZUNION 2 inf1 inf2 WEIGHTS 0 1 WITHSCORES',
    'ZUNION 2 inf1 inf2 WEIGHTS 0 0 WITHSCORES',
    'ZINTER 2 inf1 inf2 WEIGHTS 0 1 AGGREGATE MIN WITHSCORES',
    'ZINTER 2 inf1 inf2 AGGREGATE MAX WITHSCORES',
    'ZUNION 2 inf1 inf2 WEIGHTS inf -inf WITHSCORES',
    'ZADD f1 0.1 m',
    'ZADD f2 0.2 m',
    'ZADD f3 0.3 m',
    'ZUNION 3 f1 f2 f3 WITHSCORES',
    'ZUNION 3 f3 f2 f1 WITHSCORES',
    'ZINTER 3 f2 f3 f1 WITHSCORES',
    'ZADD big1 1e16 m 1 n',
    'ZADD big2 1 m 1e16 n',
    'ZADD big3 -1e16 m -1e16 n',
    'ZUNION 3 big1 big2 big3 WITHSCORES',
    'ZUNION 3 big3 big2 big1 WITHSCORES',
    'ZINTER 3 big2 big1 big3 WITHSCORES',
    'ZUNION 0 a',
    'ZUNION -1 a',
    'ZUNION abc a',
    'ZUNION 3 a b',
    'ZUNION 2 a b WEIGHTS 1',
    'ZUNION 2 a b WEIGHTS 1 x',
    'ZUNION 2 a b WEIGHTS 1 nan',
    'ZUNION 2 a b AGGREGATE',
    'ZUNION 2 a b AGGREGATE AVG',
    'ZUNION 2 a b WITHSCORES FOO',
    'ZUNION 2 a b LIMIT 1',
    'ZINTER 2 a b WEIGHTS 1 2 3',
    'ZDIFF 2 a b WEIGHTS 1 2',
    'ZDIFF 2 a b AGGREGATE SUM',
    'ZDIFF 0 a',
    'SET s v',
    'ZUNION 2 a s',
    'ZUNION 2 s a WEIGHTS x y',
    'ZINTER 2 nokey s',
    'ZDIFF 2 a s',
    'ZUNION 2 a b withscores WEIGHTS 1 2 aggregate min',
    'RPUSH list x',
    'ZUNION 2 a list',
  ],
  'sets as sources (score 1) for ZUNION, ZINTER, ZDIFF and the STORE forms': [
    'ZADD z 5 1 6 2 7 a 8 b',
    'SADD si 1 2 3',
    'SADD sh a b c',
    'SADD big ' + Array.from({ length: 600 }, (_, i) => String(i)).join(' '),
    'OBJECT ENCODING si',
    'OBJECT ENCODING sh',
    'OBJECT ENCODING big',
    'ZUNION 2 z si WITHSCORES',
    'ZUNION 3 z si sh WITHSCORES',
    'ZUNION 3 z si sh WEIGHTS 1 10 100 WITHSCORES',
    'ZUNION 2 si sh AGGREGATE MAX WITHSCORES',
    'ZINTER 2 z si WITHSCORES',
    'ZINTER 2 si z WEIGHTS 2 3 WITHSCORES',
    'ZINTER 2 z sh AGGREGATE MIN WITHSCORES',
    'ZINTER 2 si big WITHSCORES',
    'ZINTERCARD 2 si big',
    'ZINTERCARD 3 si big z LIMIT 1',
    'ZDIFF 2 z si WITHSCORES',
    'ZDIFF 2 si z WITHSCORES',
    'ZDIFF 2 sh z WITHSCORES',
    'ZDIFF 2 si si',
    'ZDIFF 3 big si sh',
    'ZUNIONSTORE d 2 si sh',
    'ZRANGE d 0 -1 WITHSCORES',
    'OBJECT ENCODING d',
    'ZINTERSTORE d 2 z si WEIGHTS 1 0.5',
    'ZRANGE d 0 -1 WITHSCORES',
    'ZDIFFSTORE d 2 big si',
    'ZCARD d',
    'OBJECT ENCODING d',
    'ZUNIONSTORE si 2 si z',
    'TYPE si',
    'ZRANGE si 0 -1 WITHSCORES',
    'HSET h f v',
    'ZUNION 2 z h',
    'ZINTER 2 sh h',
    'ZDIFFSTORE d 2 h z',
    'ZRANGESTORE d sh 0 -1',
    'ZCARD sh',
  ],
  'options compare as C strings (up to a NUL byte)': [
    'ZADD z "NX\x00junk" 1 a 2 b 3 c',
    'ZADD z "XX\x00" INCR 5 a',
    'ZRANGE z 0 -1 "WITHSCORES\x00x"',
    'ZRANGE z 0 -1 "REV\x00"',
    'ZRANGE z (1 3 "BYSCORE\x00" "LIMIT\x00" 0 1',
    'ZRANGEBYSCORE z -inf +inf "withscores\x00"',
    'ZUNION 2 z z "WEIGHTS\x00" 1 2 "AGGREGATE\x00" "MAX\x00" "WITHSCORES\x00"',
    'ZINTERCARD 1 z "LIMIT\x00" 1',
    'ZMPOP 1 z "MIN\x00" "COUNT\x00" 1',
    'ZPOPMIN z "1\x00"',
    'ZRANDMEMBER z 2 "WITHSCORES\x00"',
    'ZSCAN z "0\x00" "COUNT\x00" 5 "MATCH\x00" *',
    'ZSCAN z "1\x00abc"',
    'ZADD z "1\x00" d',
    'ZRANGE z "0\x00" -1',
    'ZRANGE z "(1\x00x" +inf BYSCORE',
    'ZRANGE z 0 -1 "WITHSCOREZ\x00"',
  ],
  'SORT over sorted sets': [
    'ZADD z 3 c 1 a 2 b 5 10 4 2 6 -1.5',
    'OBJECT ENCODING z',
    'SORT z BY nosort',
    'OBJECT ENCODING z',
    'SORT z BY nosort DESC',
    'SORT z BY nosort LIMIT 1 3',
    'SORT z BY nosort DESC LIMIT 1 3',
    'SORT z BY nosort LIMIT 5 10',
    'SORT z BY nosort LIMIT 10 3',
    'SORT z ALPHA',
    'SORT z ALPHA DESC LIMIT 0 2',
    'SORT z',
    'SORT_RO z BY nosort',
    'ZADD n 1 3 2 1 3 2 4 -7 5 1.5',
    'SORT n',
    'SORT n DESC',
    'SORT n LIMIT 1 2',
    'SORT_RO n',
    'OBJECT ENCODING n',
    'SORT n BY nosort STORE dst',
    'LRANGE dst 0 -1',
    'SET w_3 30',
    'SET w_1 10',
    'SET w_2 20',
    'SET w_-7 -70',
    'SET w_1.5 15',
    'SORT n BY w_*',
    'SORT n BY w_* GET # GET w_*',
    'SORT n STORE n',
    'TYPE n',
    'LRANGE n 0 -1',
    zaddMany('big', 200, 'm', (i) => String(200 - i)),
    'SORT big BY nosort LIMIT 0 5',
    'SORT big BY nosort DESC LIMIT 0 5',
    'SORT big ALPHA LIMIT 0 5',
  ],
  'ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE': [
    'ZADD a 1 x 2 y 3 z',
    'ZADD b 10 y 20 z 30 w',
    'ZUNIONSTORE d 2 a b',
    'ZRANGE d 0 -1 WITHSCORES',
    'OBJECT ENCODING d',
    'ZINTERSTORE d 2 a b WEIGHTS 2 3',
    'ZRANGE d 0 -1 WITHSCORES',
    'ZDIFFSTORE d 2 a b',
    'ZRANGE d 0 -1 WITHSCORES',
    'ZINTERSTORE d 2 a nokey',
    'EXISTS d',
    'ZINTERSTORE d 2 a nokey',
    'ZDIFFSTORE d 2 a a',
    'SET d v',
    'EXPIRE d 1000',
    'ZUNIONSTORE d 1 a',
    'TYPE d',
    'TTL d',
    'ZUNIONSTORE a 2 a b',
    'ZRANGE a 0 -1 WITHSCORES',
    'ZINTERSTORE b 2 a b AGGREGATE MIN',
    'ZRANGE b 0 -1 WITHSCORES',
    'ZUNIONSTORE d 2 a b WITHSCORES',
    'ZINTERSTORE d 2 a b LIMIT 1',
    'ZDIFFSTORE d 1 a WITHSCORES',
    'ZUNIONSTORE d 0 a',
    'ZINTERSTORE d 0 a',
    'ZDIFFSTORE d 0 a',
    'ZUNIONSTORE d abc a',
    'ZUNIONSTORE d 3 a b',
    'ZUNIONSTORE d -5 a',
    'SET s v',
    'ZUNIONSTORE d 2 a s',
    'ZUNIONSTORE s 1 a',
    'TYPE s',
    'ZUNIONSTORE d 1',
    'ZINTERSTORE d',
  ],
  'ZINTERCARD': [
    'ZADD a 1 x 2 y 3 z 4 w',
    'ZADD b 10 y 20 z 30 w',
    'ZINTERCARD 2 a b',
    'ZINTERCARD 2 a b LIMIT 0',
    'ZINTERCARD 2 a b LIMIT 1',
    'ZINTERCARD 2 a b LIMIT 2',
    'ZINTERCARD 2 a b LIMIT 10',
    'ZINTERCARD 1 a',
    'ZINTERCARD 2 a nokey',
    'ZINTERCARD 2 a a',
    'ZINTERCARD 2 a b LIMIT -1',
    'ZINTERCARD 2 a b LIMIT abc',
    'ZINTERCARD 2 a b LIMIT',
    'ZINTERCARD 2 a b WITHSCORES',
    'ZINTERCARD 2 a b WEIGHTS 1 2',
    'ZINTERCARD 2 a b AGGREGATE MIN',
    'ZINTERCARD 0 a',
    'ZINTERCARD 3 a b',
    'ZINTERCARD abc a',
    'SET s v',
    'ZINTERCARD 2 a s',
    'ZINTERCARD 2 nokey s',
  ],
  'ZRANDMEMBER (deterministic forms and errors)': [
    'ZRANDMEMBER nokey',
    'ZRANDMEMBER nokey 5',
    'ZRANDMEMBER nokey 5 WITHSCORES',
    'ZRANDMEMBER nokey 0',
    'ZRANDMEMBER nokey -5',
    'ZRANDMEMBER nokey abc',
    'ZADD z 1 a 2 b 3 c 1.5 d',
    'ZRANDMEMBER z 4',
    'ZRANDMEMBER z 4 WITHSCORES',
    'ZRANDMEMBER z 100 WITHSCORES',
    'ZRANDMEMBER z 9223372036854775807',
    'ZRANDMEMBER z 4611686018427387903 WITHSCORES',
    'ZRANDMEMBER z 0',
    'ZRANDMEMBER z 0 WITHSCORES',
    'ZRANDMEMBER z abc',
    'ZRANDMEMBER z 1.5',
    'ZRANDMEMBER z -9223372036854775808',
    'ZRANDMEMBER z 9223372036854775808',
    'ZRANDMEMBER z 4611686018427387904 WITHSCORES',
    'ZRANDMEMBER z -4611686018427387904 WITHSCORES',
    'ZRANDMEMBER nokey 4611686018427387904 WITHSCORES',
    'ZRANDMEMBER z 1 WITHSCORE',
    'ZRANDMEMBER z 1 WITHSCORES x',
    'ZRANDMEMBER z abc WITHSCORES x',
    'ZRANDMEMBER',
    'CONFIG SET zset-max-listpack-entries 0',
    'ZADD k 1 a 2 b 3 c 1.5 d',
    'ZRANDMEMBER k 4 WITHSCORES',
    'ZRANDMEMBER k 10',
    'CONFIG SET zset-max-listpack-entries 128',
    'SET s v',
    'ZRANDMEMBER s',
    'ZRANDMEMBER s 1',
    'ZRANDMEMBER s abc',
  ],
  'ZRANDMEMBER random forms (listpack)': [
    'ZADD z 1 a 2 b 3 c 1.5 d 1e20 e -inf f',
    ...randSteps('z', { a: '1', b: '2', c: '3', d: '1.5', e: '1e+20', f: '-inf' }),
  ],
  'ZRANDMEMBER random forms (skiplist)': [
    zaddMany('big', 300, 'm', (i) => String(i / 4)),
    'OBJECT ENCODING big',
    ...randSteps('big', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`m${i}`, String(i / 4)]))),
  ],
  'ZSCAN': [
    'ZSCAN nokey 0',
    'ZSCAN nokey 0 COUNT 0',
    'ZSCAN nokey abc',
    'ZADD z 1 a 2 b 1.5 c 1e18 d 4611686018427388928 e -0 f inf g',
    'ZSCAN z 0',
    'ZSCAN z 0 COUNT 1',
    'ZSCAN z 0 MATCH [ab]',
    'ZSCAN z 0 MATCH *',
    'ZSCAN z 0 match nope',
    'ZSCAN z 17',
    'ZSCAN z 0 COUNT 0',
    'ZSCAN z 0 COUNT -1',
    'ZSCAN z 0 COUNT abc',
    'ZSCAN z 0 MATCH',
    'ZSCAN z 0 TYPE zset',
    'ZSCAN z 0 FOO bar',
    'ZSCAN z -1',
    'ZSCAN z ""',
    'ZSCAN z abc',
    'ZSCAN z " 0"',
    'ZSCAN z 18446744073709551615',
    'ZSCAN z 18446744073709551616',
    zaddMany('big', 500, 'k', (i) => String(i % 7)),
    'ZADD big 1e18 d 4611686018427388928 e -0 f inf g',
    'OBJECT ENCODING big',
    { scanAll: ['big'], command: 'ZSCAN' },
    { scanAll: ['big', 'COUNT', '3'], command: 'ZSCAN' },
    { scanAll: ['big', 'MATCH', 'k1*', 'COUNT', '50'], command: 'ZSCAN' },
    'ZSCAN big 0 COUNT 0',
    'SET s v',
    'ZSCAN s 0',
    'ZSCAN s abc',
    'ZSCAN s 0 COUNT 0',
    'ZSCAN',
    'ZSCAN z',
  ],
  'encodings at the listpack thresholds': [
    'CONFIG GET zset-max-listpack-entries',
    'CONFIG GET zset-max-listpack-value',
    zaddMany('e', 128),
    'OBJECT ENCODING e',
    'ZADD e 128 m128',
    'OBJECT ENCODING e',
    'ZREM e m0 m1 m2',
    'OBJECT ENCODING e',
    'ZRANGE e 0 4 WITHSCORES',
    ['ZADD', 'v', '1', LONG64],
    'OBJECT ENCODING v',
    ['ZADD', 'v', '2', LONG65],
    'OBJECT ENCODING v',
    ['ZADD', 'v2', '1', LONG65],
    'OBJECT ENCODING v2',
    ['ZADD', 'v3', '1', 'a', '2', LONG65],
    'OBJECT ENCODING v3',
    ['ZADD', 'v4', 'XX', '1', LONG65],
    'EXISTS v4',
    ['ZADD', 'v5', '1', 'a'],
    ['ZADD', 'v5', 'XX', '1', LONG65],
    'OBJECT ENCODING v5',
    ['ZINCRBY', 'v6', '1', LONG65],
    'OBJECT ENCODING v6',
    'ZRANGESTORE s1 e 0 99',
    'OBJECT ENCODING s1',
    'ZRANGESTORE s2 e 0 -1',
    'OBJECT ENCODING s2',
    'ZRANGESTORE s3 v 0 -1',
    'OBJECT ENCODING s3',
    'ZRANGESTORE s4 v 0 0',
    'OBJECT ENCODING s4',
    'ZUNIONSTORE u1 1 e',
    'OBJECT ENCODING u1',
    'ZREMRANGEBYRANK u1 0 9',
    'OBJECT ENCODING u1',
    'ZUNIONSTORE u2 1 u1',
    'OBJECT ENCODING u2',
    'ZINTERSTORE u3 2 v v',
    'OBJECT ENCODING u3',
    'ZDIFFSTORE u4 2 v v2',
    'OBJECT ENCODING u4',
    'ZRANGE u4 0 -1',
    'CONFIG SET zset-max-listpack-entries 4',
    'CONFIG GET zset-max-ziplist-entries',
    'ZADD c4 1 a 2 b 3 c 4 d',
    'OBJECT ENCODING c4',
    'ZADD c4 5 e',
    'OBJECT ENCODING c4',
    'ZPOPMIN c4 3',
    'OBJECT ENCODING c4',
    'ZUNIONSTORE c5 1 c4',
    'OBJECT ENCODING c5',
    'OBJECT ENCODING e',
    'CONFIG SET zset-max-listpack-entries 0',
    'ZADD c6 1 a',
    'OBJECT ENCODING c6',
    'ZRANGESTORE c7 c4 0 -1',
    'OBJECT ENCODING c7',
    'CONFIG SET zset-max-ziplist-entries 128',
    'CONFIG SET zset-max-ziplist-value 3',
    'ZADD c8 1 abc',
    'OBJECT ENCODING c8',
    'ZADD c9 1 abcd',
    'OBJECT ENCODING c9',
    'ZADD c8 1 abcd',
    'OBJECT ENCODING c8',
    'CONFIG SET zset-max-listpack-value 0',
    'ZADD c10 1 ""',
    'OBJECT ENCODING c10',
    'ZADD c11 1 a',
    'OBJECT ENCODING c11',
    'CONFIG SET zset-max-listpack-value 64',
    'CONFIG GET zset-max-listpack-value',
    'CONFIG SET zset-max-listpack-value 1kb',
    'CONFIG GET zset-max-listpack-value',
    'CONFIG SET zset-max-listpack-value -1',
    'CONFIG SET zset-max-listpack-value abc',
    'CONFIG SET zset-max-listpack-entries -1',
    'CONFIG SET zset-max-listpack-entries abc',
    'CONFIG SET zset-max-listpack-entries 9223372036854775807',
    'CONFIG GET zset-max-listpack-entries',
    'CONFIG SET zset-max-listpack-entries 128',
    'CONFIG SET zset-max-listpack-value 64',
    'COPY e ecopy',
    'OBJECT ENCODING ecopy',
    'COPY c8 c8copy',
    'OBJECT ENCODING c8copy',
    'ZRANGE c8copy 0 -1 WITHSCORES',
  ],
  'generic keyspace commands on zsets': [
    'ZADD z 1 a 2 b',
    zaddMany('big', 200),
    'TYPE z',
    'TYPE big',
    'OBJECT ENCODING z',
    'OBJECT ENCODING big',
    'OBJECT REFCOUNT z',
    'EXISTS z big',
    'sort: KEYS *',
    'scanall: TYPE zset',
    'scanall: TYPE ZSET',
    'scanall: TYPE list',
    'COPY z z2',
    'COPY big big2',
    'ZADD z2 3 c',
    'ZRANGE z 0 -1 WITHSCORES',
    'ZRANGE z2 0 -1 WITHSCORES',
    'ZREM big2 m5',
    'ZCARD big',
    'ZCARD big2',
    'ZRANGE big2 0 9',
    'COPY z z2',
    'COPY z z2 REPLACE',
    'ZRANGE z2 0 -1',
    'COPY big z2 DB 1',
    'SELECT 1',
    'ZRANGE z2 0 4 WITHSCORES',
    'OBJECT ENCODING z2',
    'SELECT 0',
    'RENAME z zr',
    'ZRANGE zr 0 -1 WITHSCORES',
    'EXISTS z',
    'RENAME big bigr',
    'ZRANK bigr m77',
    'RENAMENX zr bigr',
    'MOVE zr 2',
    'SELECT 2',
    'ZRANGE zr 0 -1 WITHSCORES',
    'SELECT 0',
    'EXPIRE bigr 1000',
    'ttl: TTL bigr',
    'ZADD bigr 1 new',
    'ttl: TTL bigr',
    'PERSIST bigr',
    'TTL bigr',
    'DEL bigr big2',
    'EXISTS bigr big2',
    'SWAPDB 0 2',
    'ZRANGE zr 0 -1',
    'SWAPDB 0 2',
    'DBSIZE',
    'FLUSHALL',
    'DBSIZE',
  ],
  'WRONGTYPE both ways': [
    'ZADD z 1 a',
    'GET z',
    'SET z v',
    'GET z',
    'ZADD z2 1 a',
    'LPUSH z2 x',
    'RPOP z2',
    'LRANGE z2 0 -1',
    'APPEND z2 x',
    'INCR z2',
    'STRLEN z2',
    'GETRANGE z2 0 1',
    'SETRANGE z2 0 x',
    'GETDEL z2',
    'RPUSH l x',
    'ZADD l 1 a',
    'ZCARD l',
    'ZSCORE l a',
    'ZRANGE l 0 -1',
    'ZPOPMIN l',
    'ZMPOP 1 l MIN',
    'ZUNIONSTORE d 1 l',
    'ZRANGESTORE d l 0 -1',
    'ZRANDMEMBER l',
    'ZSCAN l 0',
    'ZREM l a',
    'ZINCRBY l 1 a',
    'ZCOUNT l 0 1',
    'ZLEXCOUNT l - +',
    'ZRANK l a',
    'ZMSCORE l a',
    'EXISTS d',
    'SET z2 now-a-string',
    'TYPE z2',
  ],
  'binary, empty and large members': [
    ['ZADD', 'b', '1', BIN, '2', '', '3', Buffer.from('a\r\nb'), '4', Buffer.from([0]), '5', Buffer.from([0, 0])],
    'ZRANGE b 0 -1 WITHSCORES',
    ['ZSCORE', 'b', BIN],
    'ZSCORE b ""',
    ['ZRANK', 'b', Buffer.from([0])],
    'OBJECT ENCODING b',
    'ZRANGEBYLEX b - +',
    ['ZADD', 'lexb', '0', Buffer.from([0]), '0', Buffer.from([0, 0]), '0', '', '0', Buffer.from([255]), '0', Buffer.from([1])],
    'ZRANGEBYLEX lexb - +',
    ['ZRANGEBYLEX', 'lexb', Buffer.from('(\x00'), '+'],
    ['ZRANGEBYLEX', 'lexb', '-', Buffer.from('[\x00')],
    'ZREVRANGEBYLEX lexb + -',
    ['ZADD', 'big', '1', BIG, '2', 'small'],
    'OBJECT ENCODING big',
    ['ZSCORE', 'big', BIG],
    'ZRANGE big 0 -1',
    'ZPOPMIN big',
    'OBJECT ENCODING big',
    ['ZADD', 'big', '0', BIG],
    { scanAll: ['big'], command: 'ZSCAN' }, // a skiplist: hash order
    'ZREM b ""',
    'ZCARD b',
    'ZADD "" 1 x',
    'ZRANGE "" 0 -1 WITHSCORES',
  ],
  'expired zset keys behave as missing': [
    'ZADD e1 1 a 2 b',
    'ZADD e2 1 a',
    'ZADD e3 1 a',
    'PEXPIRE e1 30',
    'PEXPIRE e2 30',
    'PEXPIRE e3 30',
    { sleep: 100 },
    'ZCARD e1',
    'ZSCORE e1 a',
    'ZADD e1 XX 5 a',
    'EXISTS e1',
    'ZADD e1 5 a',
    'TTL e1',
    'ZRANGE e1 0 -1 WITHSCORES',
    'ZUNIONSTORE d 2 e2 e3',
    'EXISTS d',
    'ZRANGESTORE d e2 0 -1',
    'ZPOPMIN e2',
    'ZMPOP 2 e2 e3 MAX',
    'ZRANDMEMBER e3',
    'ZSCAN e3 0',
    'DBSIZE',
  ],
  'arity and case-insensitive names': [
    'zadd z 1 a 2 b',
    'ZaDd z 3 c',
    'zrange z 0 -1 withscores',
    'zscore z a',
    'zcard z',
    'ZADD', 'ZADD z', 'ZINCRBY z 1', 'ZREM z', 'ZCARD', 'ZCOUNT z 0', 'ZLEXCOUNT z -', 'ZSCORE z', 'ZMSCORE z',
    'ZRANK z', 'ZREVRANK z', 'ZRANGE z 0', 'ZRANGESTORE d z 0', 'ZREVRANGE z 0', 'ZRANGEBYSCORE z 0',
    'ZREVRANGEBYSCORE z 0', 'ZRANGEBYLEX z -', 'ZREVRANGEBYLEX z +', 'ZREMRANGEBYRANK z 0', 'ZREMRANGEBYSCORE z 0',
    'ZREMRANGEBYLEX z -', 'ZPOPMIN', 'ZPOPMAX', 'ZMPOP 1', 'ZUNION 1', 'ZUNIONSTORE d 1', 'ZINTER 1',
    'ZINTERSTORE d 1', 'ZINTERCARD 1', 'ZDIFF 1', 'ZDIFFSTORE d 1', 'ZRANDMEMBER', 'ZSCAN z',
    'ZCARD z z', 'ZSCORE z a b', 'ZRANK z a b',
  ],
  'COMMAND INFO and GETKEYS for sorted-set commands': [
    'COMMAND INFO zadd zincrby zrem zcard zcount zlexcount zscore zmscore zrank zrevrank zrange zrangestore zrevrange',
    'COMMAND INFO zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex zremrangebyrank zremrangebyscore zremrangebylex',
    'COMMAND INFO zpopmin zpopmax zmpop zunion zunionstore zinter zinterstore zintercard zdiff zdiffstore zrandmember zscan',
    'COMMAND GETKEYS ZADD k 1 a',
    'COMMAND GETKEYS ZRANGESTORE dst src 0 -1',
    'COMMAND GETKEYS ZUNIONSTORE dst 2 a b WEIGHTS 1 2',
    'COMMAND GETKEYS ZUNION 3 a b c WITHSCORES',
    'COMMAND GETKEYS ZINTERCARD 2 a b LIMIT 1',
    'COMMAND GETKEYS ZMPOP 2 a b MIN',
    'COMMAND GETKEYS ZDIFFSTORE d 1 a',
    'COMMAND GETKEYSANDFLAGS ZUNIONSTORE dst 2 a b',
    'COMMAND GETKEYSANDFLAGS ZADD k 1 a',
  ],
};

// ─── generated sequences ────────────────────────────────────────────────────────────────────

/** Score pool: ties, infinities, fractions that print long, negative zero. */
const GEN_SCORES = ['0', '1', '2', '3', '-1', '1.5', '0.1', '1.1', '-0', 'inf', '-inf', '1e17', '2.5', '100', '-7.25'];

class ZGen {
  private serial = 0;
  constructor(readonly rnd: () => number) {}
  int(lo: number, hi: number): number { return lo + Math.floor(this.rnd() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.rnd() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.rnd() * xs.length)]!; }

  static readonly KEYS = ['z1', 'z2', 'z3'];
  key(): string { return this.pick(ZGen.KEYS); }
  /** A source for union/inter/diff: mostly a zset, sometimes a set (intset s1, hashtable s2). */
  srcKey(): string { return this.chance(0.8) ? this.key() : this.pick(['s1', 's2']); }
  score(): string {
    if (this.chance(0.6)) return this.pick(GEN_SCORES);
    return String(this.int(-50, 50) / (this.chance(0.5) ? 1 : 8));
  }
  /** Members: a small pool (ties by name), a large pool (crosses 128), now and then a long one (> 64 bytes). */
  member(): string {
    const r = this.rnd();
    if (r < 0.5) return this.pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '', '1', 'A']);
    if (r < 0.97) return `m${this.int(0, 220)}`;
    return `long-${'z'.repeat(this.int(60, 70))}`;
  }
  bound(): string {
    const r = this.rnd();
    if (r < 0.3) return this.pick(['-inf', '+inf', '(-inf', 'inf']);
    const v = this.pick(GEN_SCORES.filter((s) => !s.includes('inf')));
    return this.chance(0.3) ? `(${v}` : v;
  }
  lexBound(): string {
    if (this.chance(0.25)) return this.pick(['-', '+']);
    return `${this.pick(['[', '('])}${this.pick(['a', 'b', 'c', 'd', 'm1', 'm5', 'm50', 'z', ''])}`;
  }
  idx(): string { return String(this.chance(0.8) ? this.int(-10, 10) : this.int(-300, 300)); }
  limit(): string[] { return this.chance(0.3) ? ['LIMIT', String(this.int(-1, 5)), String(this.int(-1, 10))] : []; }

  /** One mutation or read; `lexKey` holds only score-0 members (lex commands need equal scores). */
  command(): Arg[] {
    const k = this.key();
    const r = this.int(0, 99);
    if (r < 22) {
      const a: Arg[] = ['ZADD', k];
      if (this.chance(0.25)) a.push(this.pick(['NX', 'XX', 'GT', 'LT', 'CH', 'XX GT', 'CH LT']));
      const flat = a.flatMap((x) => String(x).split(' '));
      const n = this.chance(0.2) ? this.int(10, 60) : this.int(1, 4);
      for (let i = 0; i < n; i++) flat.push(this.score(), this.member());
      return flat;
    }
    if (r < 27) return ['ZINCRBY', k, this.score(), this.member()];
    if (r < 30) return ['ZADD', k, 'INCR', this.score(), this.member()];
    if (r < 37) return ['ZREM', k, this.member(), this.member(), this.member()];
    if (r < 43) return ['ZRANGE', k, this.idx(), this.idx(), ...(this.chance(0.5) ? ['WITHSCORES'] : []), ...(this.chance(0.3) ? ['REV'] : [])];
    if (r < 50) {
      const rev = this.chance(0.4);
      return ['ZRANGE', k, this.bound(), this.bound(), 'BYSCORE', ...(rev ? ['REV'] : []), ...(this.chance(0.5) ? ['WITHSCORES'] : []), ...this.limit()];
    }
    if (r < 53) return [this.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), k, this.bound(), this.bound(), 'WITHSCORES', ...this.limit()];
    if (r < 56) return ['ZCOUNT', k, this.bound(), this.bound()];
    if (r < 59) return [this.pick(['ZRANK', 'ZREVRANK']), k, this.member()];
    if (r < 61) return ['ZMSCORE', k, this.member(), this.member()];
    if (r < 64) return [this.pick(['ZPOPMIN', 'ZPOPMAX']), k, ...(this.chance(0.6) ? [String(this.int(0, 8))] : [])];
    if (r < 66) return ['ZMPOP', '2', k, this.key(), this.pick(['MIN', 'MAX']), 'COUNT', String(this.int(1, 10))];
    if (r < 69) return ['ZREMRANGEBYRANK', k, this.idx(), this.idx()];
    if (r < 71) return ['ZREMRANGEBYSCORE', k, this.bound(), this.bound()];
    if (r < 76) {
      const op = this.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']);
      const keys = [this.srcKey(), this.srcKey()];
      const a: Arg[] = [op, this.key(), '2', ...keys];
      if (op !== 'ZDIFFSTORE' && this.chance(0.4)) a.push('WEIGHTS', this.pick(['1', '2', '0.5', '-1', '0']), this.pick(['1', '3', '-0.25']));
      if (op !== 'ZDIFFSTORE' && this.chance(0.4)) a.push('AGGREGATE', this.pick(['SUM', 'MIN', 'MAX']));
      return a;
    }
    if (r < 79) {
      const op = this.pick(['ZUNION', 'ZINTER', 'ZDIFF']);
      return [op, '3', this.srcKey(), this.srcKey(), this.srcKey(), 'WITHSCORES'];
    }
    if (r < 80) {
      if (this.chance(0.5)) return ['SADD', 's1', String(this.int(0, 9)), String(this.int(-3, 300))];
      if (this.chance(0.5)) return ['SADD', 's2', this.member(), this.member()];
      return ['ZINTERCARD', '2', this.srcKey(), this.srcKey(), ...(this.chance(0.5) ? ['LIMIT', String(this.int(0, 5))] : [])];
    }
    if (r < 83) {
      const a: Arg[] = ['ZRANGESTORE', this.key(), k];
      if (this.chance(0.5)) a.push(this.idx(), this.idx());
      else a.push(this.bound(), this.bound(), 'BYSCORE', ...this.limit());
      if (this.chance(0.3)) a.push('REV');
      return a;
    }
    // lex commands on the equal-score key
    if (r < 86) return ['ZADD', 'lex', '0', this.member(), '0', this.member()];
    if (r < 89) {
      const rev = this.chance(0.4);
      return ['ZRANGE', 'lex', this.lexBound(), this.lexBound(), 'BYLEX', ...(rev ? ['REV'] : []), ...this.limit()];
    }
    if (r < 90) return ['ZLEXCOUNT', 'lex', this.lexBound(), this.lexBound()];
    if (r < 91) return ['ZREMRANGEBYLEX', 'lex', this.lexBound(), this.lexBound()];
    if (r < 93) return ['ZCARD', k];
    if (r < 95) return ['ZSCORE', k, this.member()];
    if (r < 96) return ['DEL', k];
    if (r < 98) return ['OBJECT', 'ENCODING', this.pick([...ZGen.KEYS, 'lex'])];
    return ['ZRANDMEMBER', k, String(this.int(-5, 300)), ...(this.chance(0.5) ? ['WITHSCORES'] : [])];
  }
}

/** Members → score text of a ZRANGE … WITHSCORES reply (RESP2 flat or RESP3 pairs). */
function membersOf(reply: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const node = parseReplyTree(reply).node;
  const flat = leaves(node);
  if (node.type !== '*') return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!.data!.toString('latin1'), flat[i + 1]!.data!.toString('latin1'));
  return out;
}

/** Check a ZRANDMEMBER reply of the target against the key's content (read right after). */
function checkRand(e: Entry, args: Arg[], content: Map<string, string>): string | null {
  const count = args.length > 2 ? Number(args[2]) : undefined;
  const withScores = args.length > 3;
  const members = Object.fromEntries(content);
  const verdict = randRule(members, count, withScores)(e.oracle, e.target);
  if (verdict) return verdict;
  return null;
}

/** Run `n` generated commands on both servers; every reply compared (ZRANDMEMBER: checked). */
async function runGenerated(p: Pair, seed: number, n: number): Promise<void> {
  const g = new ZGen(prng(seed));
  for (let i = 0; i < n; i++) {
    const args = g.command();
    const isRand = String(args[0]) === 'ZRANDMEMBER';
    const e = await p.cmd(isRand ? { args, rule: 'ignore' } : args);
    if (isRand && e) {
      const all = await p.cmd(['ZRANGE', String(args[1]), '0', '-1', 'WITHSCORES']);
      const why = checkRand(e, args, membersOf(all!.target));
      if (why) e.mismatch = `ZRANDMEMBER check: ${why}`;
    }
    // after a mutation, compare the whole key now and then
    if (i % 5 === 0) await p.cmd(['ZRANGE', String(args[1] ?? 'z1'), '0', '-1', 'WITHSCORES']);
    if (p.failed) break;
  }
  for (const k of [...ZGen.KEYS, 'lex']) {
    await p.cmd(['ZRANGE', k, '0', '-1', 'WITHSCORES']);
    await p.cmd(['OBJECT', 'ENCODING', k]);
    await p.cmd({ scanAll: [k], command: 'ZSCAN' });
  }
}

/** A pipeline: all commands written at once, replies compared byte for byte. */
const pipelines: Record<string, Arg[][]> = {
  'pipeline: adds, ranges, pops, stores': [
    ['ZADD', 'p', '1', 'a', '2', 'b', '3', 'c'],
    ['ZINCRBY', 'p', '0.5', 'a'],
    ['ZRANGE', 'p', '0', '-1', 'WITHSCORES'],
    ['ZRANGEBYSCORE', 'p', '(1', '+inf', 'WITHSCORES', 'LIMIT', '0', '2'],
    ['ZPOPMIN', 'p', '2'],
    ['ZADD', 'q', '5', 'x'],
    ['ZUNIONSTORE', 'u', '2', 'p', 'q', 'WEIGHTS', '2', '3'],
    ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'],
    ['ZMPOP', '2', 'p', 'q', 'MAX', 'COUNT', '5'],
    ['ZMPOP', '2', 'p', 'q', 'MAX', 'COUNT', '5'],
    ['ZMPOP', '2', 'p', 'q', 'MAX', 'COUNT', '5'],
    ['ZSCORE', 'u', 'x'],
    ['ZADD', 'p', 'nan', 'x'],
    ['ZRANGE', 'p', '0', '-1', 'LIMIT', '0', '1'],
    ['PING'],
  ],
  'pipeline: 600 adds then ranges': [
    ...Array.from({ length: 600 }, (_, i) => ['ZADD', 'pp', String(i % 13), `v${i}`]),
    ['ZCARD', 'pp'],
    ['OBJECT', 'ENCODING', 'pp'],
    ['ZRANGE', 'pp', '0', '-1', 'WITHSCORES'],
    ['ZREVRANGEBYSCORE', 'pp', '+inf', '-inf', 'WITHSCORES', 'LIMIT', '100', '50'],
    ...Array.from({ length: 100 }, (_, i) => [i % 2 ? 'ZPOPMIN' : 'ZPOPMAX', 'pp', String(i % 4)]),
    ['ZCARD', 'pp'],
  ],
};

/**
 * Extra generated runs: DIFF_ZSET_SEEDS=first[:count[:commands]] adds `count` runs (default 1)
 * from seed `first` on, alternating RESP2/RESP3, each of `commands` commands (default 2000).
 */
function extraRuns(): [number, 2 | 3, number][] {
  const spec = process.env.DIFF_ZSET_SEEDS;
  if (!spec) return [];
  const [first, count = '1', n = '2000'] = spec.split(':');
  return Array.from({ length: Number(count) }, (_, i) => [Number(first) + i, i % 2 ? 3 : 2, Number(n)]);
}

function generatedCases(env: DiffEnv): void {
  const runs: [number, 2 | 3, number][] = [[11, 2, 1500], [12, 3, 1500], [13, 2, 1500], [14, 3, 1000], ...extraRuns()];
  for (const [seed, resp, n] of runs) {
    it(`generated sequence (seed ${seed}, RESP${resp}, ${n} commands)`, { timeout: 60_000 }, async (ctx) => {
      if (await skipUnlessImplemented(env, ['ZADD', 'ZRANGE', 'ZUNIONSTORE'], `generated ${seed}`, ctx)) return;
      const p = await env.pair(resp);
      try {
        await runGenerated(p, seed, n);
      } finally {
        await p.close();
      }
      p.assertOk();
      expect(p.entries.length).toBeGreaterThan(n);
    });
  }
  // several connections on the same keys: with WASMDIS_THREADS=2 they are served by different
  // threads, so every structure is created by one engine instance and changed by another
  it('generated sequence over four connections (seed 31)', { timeout: 60_000 }, async (ctx) => {
    if (await skipUnlessImplemented(env, ['ZADD'], 'generated 31', ctx)) return;
    const pairs = [await env.pair(2), await env.pair(3, false), await env.pair(2, false), await env.pair(3, false)];
    const g = new ZGen(prng(31));
    const pick = prng(32);
    try {
      for (let i = 0; i < 1500; i++) {
        const p = pairs[Math.floor(pick() * pairs.length)]!;
        const args = g.command();
        if (String(args[0]) === 'ZRANDMEMBER') continue;
        await p.cmd(args);
        if (p.failed) break;
      }
      for (const k of [...ZGen.KEYS, 'lex']) await pairs[0]!.cmd(['ZRANGE', k, '0', '-1', 'WITHSCORES']);
    } finally {
      await Promise.all(pairs.map((p) => p.close()));
    }
    for (const p of pairs) p.assertOk();
  });
  it('generated sequence with small listpack limits (seed 21)', { timeout: 60_000 }, async (ctx) => {
    if (await skipUnlessImplemented(env, ['ZADD'], 'generated 21', ctx)) return;
    const p = await env.pair(2);
    try {
      await p.run(['CONFIG SET zset-max-listpack-entries 5', 'CONFIG SET zset-max-listpack-value 3']);
      await runGenerated(p, 21, 1200);
    } finally {
      await p.run(['CONFIG SET zset-max-listpack-entries 128', 'CONFIG SET zset-max-listpack-value 64']);
      await p.close();
    }
    p.assertOk();
  });
}

describeDiff('differential: sorted sets', () => {
  const env = useDiffEnv();
  diffCases(env, cases);
  pipelineCases(env, pipelines);
  generatedCases(env);
});
