/**
 * Differential: Redis 7.0 SORT and SORT_RO over lists (the types this branch has; sets, sorted
 * sets and hash "->field" lookups plug in with those types), RESP2 and RESP3, against
 * redis-server.
 *
 * Covers: numeric sorting with strtod's exact rules (whitespace, exponents, hex, inf, empty,
 * embedded NUL, out-of-range and NaN rejected), ALPHA (bytes up to the first NUL; binary order
 * with STORE), ASC/DESC, LIMIT arithmetic, BY patterns (weights, missing weights, constant
 * patterns = no sorting, "->" on non-hashes), GET patterns (#, several, missing), STORE (list
 * result, overwrite, TTL dropped, empty result deletes), SORT_RO refusing STORE, option and
 * argument errors in Redis's order, ties (stable order, and Redis's partial quicksort when BY
 * meets LIMIT), long lists, and seeded random option mixes.
 */
import { it } from 'vitest';
import {
  describeDiff, useDiffEnv, diffCases, skipUnlessImplemented, type DiffEnv, type StepInput,
} from '../helpers/transcript.js';
import { type Arg } from '../helpers/raw-client.js';
import { Prng } from '../resp/prng.js';

const NUMBERS = ['3', '1', '2', '10', '-5', '2.5', '1e2', '0', '-0', '007', '100'];

const cases: Record<string, readonly StepInput[]> = {
  'numeric sort, ASC/DESC, LIMIT': [
    ['RPUSH', 'l', ...NUMBERS],
    'SORT l',
    'SORT l ASC',
    'SORT l DESC',
    'SORT l LIMIT 0 3',
    'SORT l LIMIT 2 3',
    'SORT l LIMIT 2 3 DESC',
    'SORT l LIMIT 5 -1',
    'SORT l LIMIT -5 3',
    'SORT l LIMIT 0 0',
    'SORT l LIMIT 10 5',
    'SORT l LIMIT 11 5',
    'SORT l LIMIT 100 5',
    'SORT l LIMIT 3 100',
    'SORT l LIMIT 3 9223372036854775807',
    'SORT l LIMIT -9223372036854775808 2',
    'SORT l DESC ASC',
    'SORT l ASC DESC',
    'SORT l LIMIT 0 2 LIMIT 4 2',
    'sort l limit 1 1 desc',
    'SORT nokey',
    'SORT nokey DESC LIMIT 0 1',
    'SORT_RO l',
    'SORT_RO l DESC LIMIT 1 4',
    'LRANGE l 0 -1',
  ],
  'numeric parsing is strtod (and its errors)': [
    ['RPUSH', 'a', ' 1', '\t2', '\n3', '+4', '5e0', '0x10', '0X1p3', '.5', '5.', '-.5e1', '1E1', 'inf', '-inf', 'Infinity', '-INF'],
    'SORT a',
    'SORT a DESC',
    ['RPUSH', 'e', ''],
    'SORT e',
    ['RPUSH', 'nul', Buffer.from('7\0junk'), '3'],
    'SORT nul',
    'RPUSH b 1 x 2',
    'SORT b',
    'SORT b ALPHA',
    'RPUSH c "1 " 2',
    'SORT c',
    'RPUSH d nan 1',
    'SORT d',
    'RPUSH i 0x1p-1074 1',
    'SORT i',
    'RPUSH m " " 1',
    'SORT m',
    'RPUSH n - 1',
    'SORT n',
    'RPUSH o 0x 1',
    'SORT o',
    'RPUSH p 9007199254740993 9007199254740992 9007199254740994 18446744073709551617 -9223372036854775808',
    'SORT p',
    'SORT p DESC',
    'RPUSH q 1.0 1 01 1e0 1.00',
    'SORT q',
    'SORT q DESC',
    'RPUSH r 0.1 0.10000000000000001 0.1000000000000000055511151231257827 0.09999999999999999',
    'SORT r',
    'SORT b STORE dst',
    'EXISTS dst',
  ],
  // strtod's ERANGE (overflow, and results that underflow or become subnormal inexactly) rejects
  // a score. Redis reads errno without clearing it first, so on its main thread the flag stays
  // up until something else overwrites it (accepting a connection does): these transcripts end
  // with range errors only, and later SORTs run on new connections.
  'numeric range errors (overflow)': [
    'RPUSH f 1e400 1',
    'SORT f',
    'RPUSH g -1e400 1',
    'SORT g',
  ],
  'numeric range errors (underflow, inexact subnormal)': [
    'RPUSH h 1e-310 1',
    'SORT h',
    'RPUSH j 1e-400 1',
    'SORT j',
    'RPUSH k 2.2250738585072014e-308 2.2250738585072011e-308',
    'SORT k',
  ],
  // one fresh connection per value (see above): each ends with at most one range error
  ...Object.fromEntries([
    '2.2250738585072012e-308', '2.2250738585072013e-308', '2.2250738585072009e-308', '0x1.8p-1074',
    '0x1p-1074', '0x1.fffffffffffffp-1023', '0x1.fffffffffffff8p-1023', '0x0.0000000000001p-1022',
    '4.9406564584124654e-324', '2.4703282292062328e-324', '2.4703282292062327e-324', '-1e-320',
    '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '0x1.fffffffffffff8p1023',
    '0x1p1024', '1e-330', '0x1p-1080', '0.0e-500', '-0x0p-2000',
  ].map((v) => [`numeric range edge ${v}`, [['RPUSH', 'x', v, '1'], 'SORT x']])),
  'ALPHA: bytes up to the first NUL; binary with STORE': [
    ['RPUSH', 'l', 'b', 'a', '\xff', 'A', Buffer.from('a\0b'), Buffer.from('a\0a'), 'ab', 'Z', '\x80', '', ' ', Buffer.from('a\0'), 'B', 'aa'],
    'SORT l ALPHA',
    'SORT l ALPHA DESC',
    'SORT l ALPHA LIMIT 3 5',
    'SORT l ALPHA STORE d',
    'LRANGE d 0 -1',
    'SORT l ALPHA DESC STORE d',
    'LRANGE d 0 -1',
    'SORT_RO l ALPHA',
    'RPUSH dup x y x z y x',
    'SORT dup ALPHA',
    'SORT dup',
    'SORT dup ALPHA DESC LIMIT 1 3',
  ],
  'BY weights, missing weights, constant patterns': [
    'RPUSH l a b c d e',
    'MSET w_a 5 w_b 1 w_c 3 w_d 1',
    'SORT l BY w_*',
    'SORT l BY w_* DESC',
    'SORT l BY w_* LIMIT 1 2',
    'SORT l BY w_* LIMIT 0 1',
    'SORT l BY w_* ALPHA',
    'SORT l BY w_* ALPHA DESC',
    'SORT l BY *_w',
    'SORT l BY nosort',
    'SORT l BY nosort DESC',
    'SORT l BY nosort LIMIT 1 2',
    'SORT l BY nosort LIMIT 1 2 DESC',
    'SORT l BY nosort LIMIT 10 2',
    'SORT l BY nosort LIMIT 4 10 DESC',
    'SORT l BY nosort LIMIT -3 2 DESC',
    'SORT l BY constant ALPHA',
    'SORT l BY nosort BY w_*',
    'SORT l BY w_* BY nosort',
    'SORT l BY w_*->field',
    'SORT l BY w_*->',
    'SORT l BY "w_*->"',
    'SORT l BY w_*->f DESC',
    ['SORT', 'l', 'BY', Buffer.from('nosort\0*')],
    ['SORT', 'l', 'BY', Buffer.from('w_*\0x')],
    'SET w_e notanumber',
    'SORT l BY w_*',
    'SORT l BY w_* ALPHA',
    'SORT l BY w_* STORE s',
    'EXISTS s',
    'SET w_e 2',
    'RPUSH w_c x',
    'DEL w_c',
    'RPUSH w_c listvalue',
    'SORT l BY w_*',
    'SORT l BY w_* STORE s',
    'LRANGE s 0 -1',
    'SORT l BY **',
    'SET ab 1',
    'SORT l BY *b',
  ],
  'GET patterns': [
    'RPUSH l 3 1 2',
    'MSET o_1 one o_2 two o_3 three n_1 uno n_3 tres',
    'SORT l GET o_*',
    'SORT l GET o_* GET n_*',
    'SORT l GET # GET o_* GET n_*',
    'SORT l GET n_* DESC',
    'SORT l GET # LIMIT 1 1',
    'SORT l GET nostar',
    'SORT l GET o_*->x',
    'SORT l BY nosort GET o_*',
    'SORT l BY o_* ALPHA GET #',
    ['SORT', 'l', 'GET', Buffer.from('#\0junk')],
    'SORT l GET ##',
    'SORT l GET get',
    'SORT l BY get GET #',
    'SORT l GET o_* STORE d',
    'LRANGE d 0 -1',
    'SORT l GET n_* GET # STORE d',
    'LRANGE d 0 -1',
    'RPUSH o_2 list',
    'SORT l GET o_*',
    'SORT_RO l GET o_* GET #',
  ],
  'STORE': [
    'RPUSH l 3 1 2',
    'SORT l STORE d',
    'TYPE d',
    'LRANGE d 0 -1',
    'OBJECT ENCODING d',
    'SET s str EX 100',
    'SORT l DESC STORE s',
    'TYPE s',
    'TTL s',
    'LRANGE s 0 -1',
    'SORT l STORE l',
    'LRANGE l 0 -1',
    'SORT l LIMIT 0 0 STORE d',
    'EXISTS d',
    'SORT nokey STORE l',
    'EXISTS l',
    'SORT nokey STORE nothere',
    'RPUSH l2 5 4',
    'SORT l2 STORE a STORE b',
    'EXISTS a',
    'LRANGE b 0 -1',
    'SORT l2 STORE',
    'SORT_RO l2 STORE d',
    'SORT_RO l2 store',
    'SORT l2 STORE d BY nosort',
    'LRANGE d 0 -1',
    'SORT l2 STORE d BY nosort DESC',
    'LRANGE d 0 -1',
  ],
  'errors and their order': [
    'SET s x',
    'SORT s',
    'SORT s BY nosort',
    'SORT s FOO',
    'SORT nokey FOO',
    'SORT s LIMIT',
    'SORT s LIMIT 1',
    'SORT s LIMIT a 1',
    'SORT s LIMIT 1 a',
    'SORT s LIMIT 1.5 1',
    'SORT s BY',
    'SORT s GET',
    'SORT s STORE',
    'SORT s ALPHA DESC ASC',
    'SORT_RO s',
    'SORT_RO s STORE d',
    ['SORT', 's', Buffer.from('alpha\0x')],
    'RPUSH l x',
    'SORT l',
    'SORT l LIMIT a b',
    'SORT l GET # FOO',
    'SORT',
    'SORT_RO',
    'sort l alpha',
    'SoRt_Ro l alpha',
  ],
  'ties: stable order, and pqsort order when BY meets LIMIT': [
    ['RPUSH', 'l', ...Array.from({ length: 120 }, (_, i) => `e${(i * 37) % 120}`)],
    ['MSET', ...Array.from({ length: 60 }, (_, i) => [`w_e${i * 2}`, String(i % 5)]).flat()],
    'SORT l BY w_* ALPHA',
    'SORT l BY w_* ALPHA DESC',
    'SORT l BY w_* ALPHA LIMIT 0 10',
    'SORT l BY w_* ALPHA LIMIT 10 30',
    'SORT l BY w_* ALPHA LIMIT 50 7',
    'SORT l BY w_* ALPHA LIMIT 100 100',
    'SORT l BY w_* ALPHA DESC LIMIT 3 17',
    'SORT l BY w_* ALPHA LIMIT 0 119',
    'SORT l BY w_* ALPHA LIMIT 1 1000',
    'SORT l BY w_* LIMIT 20 20',
    'SORT l BY w_* DESC LIMIT 20 20',
    'SORT l BY nothere_* ALPHA',
    'SORT l BY nothere_* ALPHA LIMIT 5 50',
    'SORT l BY nothere_* ALPHA DESC LIMIT 33 44',
    'SORT l BY nothere_* LIMIT 5 50',
    'SORT l BY w_* ALPHA LIMIT 30 30 STORE d',
    'LRANGE d 0 -1',
    'SORT l BY nothere_* ALPHA LIMIT 7 9 STORE d',
    'LRANGE d 0 -1',
    ['RPUSH', 'small', 'c', 'a', 'b', 'd', 'e', 'f', 'g', 'h'],
    'SORT small BY z_* ALPHA LIMIT 2 3',
    'SORT small BY z_* ALPHA LIMIT 0 7',
    'SORT small BY z_* ALPHA LIMIT 1 6 DESC',
  ],
  'long list (10 000 elements)': [
    ['RPUSH', 'big', ...Array.from({ length: 10000 }, (_, i) => String((i * 7919) % 10007))],
    'SORT big LIMIT 0 20',
    'SORT big DESC LIMIT 5000 20',
    'SORT big ALPHA LIMIT 9990 20',
    'SORT big STORE big2',
    'LRANGE big2 0 10',
    'LRANGE big2 -10 -1',
    'SORT big BY nosort LIMIT 9995 10 DESC',
    'SORT big BY x_* ALPHA LIMIT 4000 10',
  ],
  'SORT through the keyspace and COMMAND': [
    'RPUSH l 2 1',
    'EXPIRE l 100',
    'SORT l STORE l',
    'TTL l',
    'COMMAND INFO sort sort_ro',
    'COMMAND GETKEYS SORT l',
    'COMMAND GETKEYS SORT l STORE d',
    'COMMAND GETKEYS SORT l STORE d STORE e LIMIT 0 1 BY store GET store',
    'COMMAND GETKEYS SORT l LIMIT store',
    'COMMAND GETKEYSANDFLAGS SORT l BY w_* STORE d',
    'COMMAND GETKEYSANDFLAGS SORT_RO l',
    'COMMAND GETKEYS SORT_RO l STORE d',
  ],
};

// ─── seeded random option mixes ──────────────────────────────────────────────────────────────

function randomSteps(seed: number, n: number): StepInput[] {
  const g = new Prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[g.int(xs.length)]!;
  const elements = ['1', '2', '3', '10', '-1', '2.5', 'a', 'b', 'B', '', '1e1', 'x y', '007', '0'];
  const numeric = ['1', '2', '3', '10', '-1', '2.5', '1e1', '007', '0', '-0', '3.0', '0x1A'];
  const steps: StepInput[] = [];
  const weights: Arg[] = ['MSET'];
  for (const e of elements) if (g.next() < 0.7) weights.push(`w_${e}`, pick([...numeric, 'zz']));
  steps.push(weights);
  for (let i = 0; i < n; i++) {
    const r = g.next();
    const key = pick(['l1', 'l2', 'l3']);
    if (r < 0.25) {
      const pool = g.next() < 0.5 ? numeric : elements;
      steps.push(['RPUSH', key, ...Array.from({ length: g.range(1, 12) }, () => pick(pool))]);
      continue;
    }
    if (r < 0.3) {
      steps.push(['DEL', key]);
      continue;
    }
    if (r < 0.35) {
      steps.push(['SET', `w_${pick(elements)}`, pick([...numeric, 'zz'])]);
      continue;
    }
    const a: Arg[] = [g.next() < 0.2 ? 'SORT_RO' : 'SORT', key];
    const opts: Arg[][] = [];
    if (g.next() < 0.4) opts.push(['BY', pick(['w_*', 'nosort', 'nothere_*', 'w_*->f'])]);
    if (g.next() < 0.4) opts.push(['LIMIT', String(g.range(-2, 15)), String(g.range(-2, 15))]);
    if (g.next() < 0.3) opts.push(['GET', pick(['#', 'w_*', 'none_*'])]);
    if (g.next() < 0.2) opts.push(['GET', '#']);
    if (g.next() < 0.4) opts.push([pick(['ASC', 'DESC'])]);
    if (g.next() < 0.5) opts.push(['ALPHA']);
    const store = a[0] === 'SORT' && g.next() < 0.25;
    if (store) opts.push(['STORE', 'dst']);
    // options in any order
    for (let k = opts.length - 1; k > 0; k--) {
      const j = g.int(k + 1);
      [opts[k], opts[j]] = [opts[j]!, opts[k]!];
    }
    for (const o of opts) a.push(...o);
    steps.push(a);
    if (store) steps.push(['LRANGE', 'dst', '0', '-1']);
  }
  steps.push(['DEL', 'l1', 'l2', 'l3', 'dst']);
  return steps;
}

function randomCases(env: DiffEnv): void {
  for (const [seed, resp] of [[5, 2], [6, 3], [7, 2], [8, 3]] as const) {
    it(`random SORT option mixes (seed ${seed}, RESP${resp})`, async (ctx) => {
      if (await skipUnlessImplemented(env, ['SORT', 'SORT_RO', 'RPUSH'], `random ${seed}`, ctx)) return;
      const p = await env.pair(resp);
      try {
        await p.run(randomSteps(seed, 700));
      } finally {
        await p.close();
      }
      p.assertOk();
    }, 60_000);
  }
}

describeDiff('differential: sort', () => {
  const env = useDiffEnv();
  diffCases(env, cases);
  randomCases(env);
});
