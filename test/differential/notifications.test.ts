/**
 * Differential: keyspace notifications (`notify-keyspace-events`) against redis-server 7.0.
 *
 * Each case opens, on both servers, a subscriber connection (PSUBSCRIBE / SUBSCRIBE to keyspace
 * and keyevent channels, plus a marker channel) and a command connection that runs a transcript.
 * The transcript ends with a PUBLISH on the marker channel; everything the subscriber received up
 * to that marker — the raw RESP2 arrays or RESP3 pushes — must be byte-for-byte the same on both
 * servers, in the same order, and so must the command replies.
 *
 * Covered: every command family (strings, keys, lists incl. blocking pops served later, hashes,
 * sets, sorted sets incl. blocking pops, bitmaps, HyperLogLog, SORT STORE, the host commands
 * INCRBYFLOAT / HINCRBYFLOAT), "new" (n), "keymiss" (m), "expired" from lazy and active expiry,
 * "evicted", other databases, binary keys; class filters one by one; keyspace-only, keyevent-only
 * and exact-channel subscriptions; CONFIG SET / GET of the flags (canonical form, errors) and the
 * flags given at start-up; RESP2 and RESP3 subscribers; with WASMDIS_THREADS=2 (and in the
 * explicit two-thread block) subscriber and command connections on different worker threads.
 */
import { expect, it } from 'vitest';
import { describeDiff, useDiffEnv, parseLine, type DiffEnv } from '../helpers/transcript.js';
import { RawClient, parseReplyTree, escapeBytes, encodeCommand as encode } from '../helpers/raw-client.js';
import { spreadConnections } from '../helpers/multi-client.js';

const MARKER = 'notify-test-marker';

/**
 * A step: a command line (redis-cli syntax; a leading "~" leaves its reply out of the comparison,
 * for Redis's random or hash-ordered replies), a pause, or a command on the extra connection.
 */
type Step = string | { sleep: number } | { other: string };

interface Case {
  name: string;
  /** notify-keyspace-events set by CONFIG SET before the transcript (undefined: leave as is). */
  flags?: string;
  /** What the subscriber listens to (default: PSUBSCRIBE __key*__:*). */
  psubscribe?: string[];
  subscribe?: string[];
  steps: Step[];
  /** Compare the events as a sorted multiset (Redis's order is hash order, e.g. active expiry). */
  unordered?: boolean;
}

interface Outcome {
  events: string[];
  replies: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connections for one server: subscriber, command client, and a spare (blocking pops). */
interface Conns { sub: RawClient; cmd: RawClient; other: RawClient }

async function openConns(port: number, host: string, spread: boolean): Promise<Conns> {
  if (spread) {
    // subscriber on one worker, command connection on the other, spare on the first again
    const [sub, cmd, other] = await spreadConnections({ host, port, name: 'target' }, 3);
    return { sub: sub!, cmd: cmd!, other: other! };
  }
  const [sub, cmd, other] = await Promise.all([0, 1, 2].map(() => RawClient.connect(port, { host })));
  return { sub: sub!, cmd: cmd!, other: other! };
}

async function runCase(c: Conns, tc: Case, resp: 2 | 3): Promise<Outcome> {
  const { sub, cmd, other } = c;
  if (resp === 3) await sub.hello3();
  await cmd.send('SELECT', '0');
  await cmd.send('FLUSHALL');
  await cmd.send('CONFIG', 'SET', 'maxmemory', '0');
  if (tc.flags !== undefined) await cmd.send('CONFIG', 'SET', 'notify-keyspace-events', tc.flags);
  const pats = tc.psubscribe ?? (tc.subscribe ? [] : ['__key*__:*']);
  if (pats.length) await sub.send('PSUBSCRIBE', ...pats);
  for (let i = 1; i < pats.length; i++) await sub.readReply();
  await sub.send('SUBSCRIBE', MARKER, ...(tc.subscribe ?? []));
  for (let i = 0; i < (tc.subscribe ?? []).length; i++) await sub.readReply();
  const replies: string[] = [];
  const pending: Promise<Buffer>[] = [];
  for (const s of tc.steps) {
    if (typeof s === 'object' && 'sleep' in s) { await sleep(s.sleep); continue; }
    if (typeof s === 'object' && 'other' in s) {
      // a command that may block: its reply is collected at the end
      pending.push(other.send(...parseLine(s.other)));
      await sleep(40);
      continue;
    }
    const ignore = s.startsWith('~');
    const r = await cmd.send(...parseLine(ignore ? s.slice(1) : s));
    replies.push(ignore ? '(ignored)' : r.toString('latin1'));
  }
  await cmd.send('PUBLISH', MARKER, 'end');
  const events: string[] = [];
  for (;;) {
    const r = await sub.readReply(5000);
    const node = parseReplyTree(r).node;
    const kids = node.children?.map((k) => k.data?.toString('latin1'));
    if (kids && kids[0] === 'message' && kids[1] === MARKER) break;
    events.push(r.toString('latin1'));
  }
  for (const p of pending) replies.push((await p).toString('latin1'));
  return { events, replies };
}

// ─── transcripts ─────────────────────────────────────────────────────────────────────────────

const strings: Step[] = [
  'SET a 1', 'SET a 2', 'SET b 1 EX 100', 'SET b 1 PX 100000 KEEPTTL', 'SETNX a 3', 'SETNX c 3', 'SETEX d 100 x',
  'PSETEX e 100000 x', 'MSET f 1 g 2', 'MSETNX f 1 h 2', 'MSETNX h 1 i 2', 'GETSET a 9', 'GETSET zz 9',
  'GETDEL a', 'GETDEL a', 'GETEX b PERSIST', 'GETEX b PERSIST', 'GETEX b EX 100', 'GETEX b PX 100000',
  'GETEX b EXAT 4000000000', 'GETEX b', 'GETEX b PXAT 1', 'GETEX nope EX 10', 'APPEND ap x', 'APPEND ap y',
  'SETRANGE sr 3 abc', 'SETRANGE sr 0 z', 'SETRANGE sr 0 ""', 'SETRANGE sr2 0 ""', 'INCR n', 'DECR n',
  'INCRBY n 5', 'DECRBY n 2', 'INCR a1b', 'SET nn x', 'INCR nn', 'INCRBYFLOAT fl 1.5', 'INCRBYFLOAT fl 1.5',
  'INCRBYFLOAT nn 1', 'SET x y KEEPTTL', 'SET x y GET', 'SET x z NX GET', 'SET x z XX', 'SET nx z XX',
  'SET x z EXAT 4000000000', 'SET x z PXAT 4000000000000', 'GET missing', 'MGET a missing f', 'STRLEN missing',
  'GETRANGE missing 0 1', 'SUBSTR missing 0 1', 'SET "\x00bin\xff key" "\r\n"', 'APPEND "\x00bin\xff key" x',
  'SET empty ""', 'DEL "\x00bin\xff key" empty',
];

const keys: Step[] = [
  'SET a 1', 'SET b 2', 'SET c 3', 'DEL a b nothing', 'UNLINK c', 'UNLINK c', 'SET c 3',
  'EXPIRE c 100', 'PEXPIRE c 100000', 'EXPIRE c 100 NX', 'EXPIRE c 200 XX', 'EXPIRE c 50 GT', 'EXPIRE c 50 LT',
  'EXPIREAT c 4000000000', 'PEXPIREAT c 4000000000000', 'EXPIRE nope 10', 'PERSIST c', 'PERSIST c', 'PERSIST nope',
  'EXPIREAT c 1', 'EXISTS c', 'SET d 1', 'PEXPIRE d -5', 'SET d 1', 'EXPIRE d 0',
  'SET f 1', 'RENAME f ff', 'SET g 1', 'RENAME ff g', 'RENAME g g', 'RENAMENX g h', 'SET h 1', 'RENAMENX g h',
  'RENAME nope x', 'SET t 1 EX 100', 'RENAME t t2', 'TTL t2',
  'COPY g cc', 'COPY g cc', 'COPY g cc REPLACE', 'COPY g cc DB 1', 'COPY nope cc', 'MOVE cc 2', 'MOVE cc 2',
  'SELECT 2', 'MOVE cc 0', 'SET cc 2', 'MOVE cc 0', 'DEL cc', 'SELECT 0',
  'TOUCH g nope', 'EXISTS g nope', 'TYPE nope', 'TTL nope', 'PTTL nope', 'EXPIRETIME nope', 'PEXPIRETIME nope',
  'OBJECT ENCODING nope', 'OBJECT FREQ nope', '~RANDOMKEY', 'DBSIZE', '~KEYS *', 'SCAN 0 MATCH nope*',
  'SELECT 5', 'SET five 5', 'EXPIRE five 100', 'DEL five', 'SELECT 0', 'FLUSHDB', 'SWAPDB 0 1',
];

const lists: Step[] = [
  'LPUSH l a b c', 'RPUSH l d', 'LPUSHX l e', 'RPUSHX l f', 'LPUSHX nol e', 'RPUSHX nol e', 'LPOP l', 'RPOP l',
  'LPOP l 0', 'LPOP l 2', 'LPOP nol', 'RPOP nol 2', 'LSET l 0 z', 'LSET nol 0 z', 'LINSERT l BEFORE z y',
  'LINSERT l AFTER nope y', 'LREM l 0 nope', 'LREM l 1 y', 'LTRIM l 0 -1', 'LTRIM nol 0 1', 'RPUSH m 1 2 3',
  'LTRIM m 5 10', 'EXISTS m', 'RPUSH s 1 2', 'LMOVE s d LEFT RIGHT', 'LMOVE s d RIGHT LEFT', 'LMOVE s d RIGHT LEFT',
  'RPOPLPUSH d d', 'RPOPLPUSH d e', 'LMOVE nol d LEFT LEFT', 'LMPOP 2 nol d LEFT COUNT 5', 'LMPOP 1 nol LEFT',
  'RPUSH x 1', 'BLPOP x 0', 'RPUSH y 1 2', 'BRPOP y 0', 'BLMOVE y z LEFT LEFT 0', 'BRPOPLPUSH z z 0',
  'BLMPOP 0 1 z RIGHT', 'SET str 1', 'LPUSH str 1', 'LMOVE l str LEFT LEFT', 'LRANGE nol 0 -1', 'LINDEX nol 0',
  'LLEN nol', 'LPOS nol x', 'RPUSH q a a a', 'LREM q -2 a', 'LREM q 0 a', 'RPUSH r 1 2 3', 'RPOP r 3',
];

/** Blocking pops served after another connection's push (the events come from the serve). */
const served: Step[] = [
  { other: 'BLPOP bk 0' }, 'RPUSH bk a', 'EXISTS bk',
  { other: 'BRPOP bk2 0' }, 'RPUSH bk2 a b', 'LRANGE bk2 0 -1',
  { other: 'BLMOVE src dst RIGHT LEFT 0' }, 'LPUSH src v', 'LRANGE dst 0 -1',
  { other: 'BRPOPLPUSH s2 s2 0' }, 'RPUSH s2 v',
  { other: 'BLMPOP 0 1 mp LEFT COUNT 3' }, 'RPUSH mp 1 2',
  { other: 'BZPOPMIN bz 0' }, 'ZADD bz 1 a',
  { other: 'BZPOPMAX bz2 0' }, 'ZADD bz2 1 a 2 b',
  { other: 'BZMPOP 0 1 bz3 MIN COUNT 5' }, 'ZADD bz3 1 a 2 b',
  { other: 'BLPOP w1 w2 0' }, 'SET w1 x', 'RPUSH tmp v', 'RENAME tmp w2',
];

const hashes: Step[] = [
  'HSET h a 1 b 2', 'HSET h a 1', 'HMSET h c 3', 'HSETNX h a 1', 'HSETNX h z 1', 'HSETNX h2 z 1', 'HDEL h nope',
  'HDEL h a b nope', 'HDEL h c z', 'EXISTS h', 'HDEL nope a', 'HINCRBY h3 f 1', 'HINCRBY h3 f 1', 'HINCRBY h3 f x',
  'HSET h3 s abc', 'HINCRBY h3 s 1', 'HINCRBYFLOAT h4 f 1.5', 'HINCRBYFLOAT h4 f 1.5', 'HINCRBYFLOAT h3 s 1',
  'HGET nope f', 'HGETALL nope', 'HKEYS nope', 'HLEN nope', 'HEXISTS nope f', 'HRANDFIELD nope', 'HMGET nope a',
  'HSTRLEN nope a', 'HVALS nope', 'HSCAN nope 0', 'SET s 1', 'HSET s a 1', 'HINCRBYFLOAT s a 1',
];

const sets: Step[] = [
  'SADD s a b c', 'SADD s a', 'SREM s nope', 'SREM s a', 'SREM s b c', 'EXISTS s', 'SADD s 1 2 3 4 5', '~SPOP s',
  'SPOP s 0', '~SPOP s 1', '~SPOP s 10', 'SADD t 1', 'SPOP t', 'SPOP nope', 'SPOP nope 3', 'SADD a 1 2', 'SADD b 2 3',
  'SMOVE a b 1', 'SMOVE a b 2', 'SMOVE b c 1', 'SMOVE b c 9', 'SMOVE b b 3', 'SMOVE nope c 1', 'SADD x 1 2',
  'SINTERSTORE d b c', 'SINTERSTORE d b c', 'SINTERSTORE d b nope', 'SINTERSTORE d b nope', 'SUNIONSTORE u b c',
  'SUNIONSTORE u b c', 'SDIFFSTORE df b c', 'SDIFFSTORE df b b', 'SDIFFSTORE df b b', 'SINTER nope', 'SMEMBERS nope',
  'SCARD nope', 'SISMEMBER nope a', 'SMISMEMBER nope a', 'SRANDMEMBER nope', 'SINTERCARD 1 nope', 'SUNION nope x',
  'SDIFF nope x', 'SSCAN nope 0',
];

const zsets: Step[] = [
  'ZADD z 1 a 2 b', 'ZADD z 1 a', 'ZADD z NX 5 a', 'ZADD z XX 5 a', 'ZADD z CH 6 a', 'ZADD z INCR 1 a',
  'ZINCRBY z 1 a', 'ZINCRBY z2 1 a', 'ZADD z3 XX 1 a', 'ZADD z GT 1 a', 'ZADD z INCR +inf inf', 'ZADD z INCR -inf inf',
  'ZREM z nope', 'ZREM z a', 'ZREM z b inf', 'EXISTS z', 'ZADD z 1 a 2 b 3 c 4 d 5 e 6 f', 'ZREMRANGEBYRANK z 0 0',
  'ZREMRANGEBYRANK z 10 20', 'ZREMRANGEBYSCORE z 2 2', 'ZREMRANGEBYSCORE z 100 200', 'ZREMRANGEBYLEX z [d [d',
  'ZREMRANGEBYLEX z [x [y', 'ZPOPMIN z', 'ZPOPMAX z', 'ZPOPMIN z 0', 'ZPOPMIN nope', 'ZPOPMAX z 5',
  'ZADD z 1 a 2 b 3 c', 'ZMPOP 2 nope z MIN COUNT 2', 'ZMPOP 1 z MAX', 'ZADD y 1 a', 'BZPOPMIN y 0', 'ZADD y 1 a 2 b',
  'BZPOPMAX y 0', 'BZMPOP 0 1 y MIN COUNT 5', 'ZADD p 1 a 2 b', 'ZADD q 2 b 3 c', 'ZRANGESTORE r p 0 -1',
  'ZRANGESTORE r p 0 -1', 'ZRANGESTORE r p 5 10', 'ZRANGESTORE r p 5 10', 'ZUNIONSTORE u 2 p q', 'ZUNIONSTORE u 2 p q',
  'ZINTERSTORE i 2 p q', 'ZINTERSTORE i 2 p nope', 'ZDIFFSTORE d 2 p q', 'ZDIFFSTORE d 1 nope', 'ZDIFFSTORE d 2 p p',
  'ZSCORE nope a', 'ZRANGE nope 0 -1', 'ZCARD nope', 'ZUNION 1 nope', 'ZRANDMEMBER nope', 'ZRANK nope a',
  'ZMSCORE nope a', 'ZCOUNT nope 0 1', 'ZSCAN nope 0', 'ZUNIONSTORE ss 1 p', 'SADD st 1 2', 'ZUNIONSTORE ss 2 p st',
];

const bitsAndHll: Step[] = [
  'SETBIT b 7 1', 'SETBIT b 7 1', 'SETBIT b 7 0', 'SETBIT b 100 0', 'GETBIT nope 1', 'BITCOUNT nope', 'BITPOS nope 1',
  'BITOP AND d b nope', 'BITOP OR d b nope', 'BITOP OR d b nope', 'BITOP NOT d b', 'BITOP OR d nope nope2',
  'BITOP OR d nope nope2', 'BITFIELD f SET u8 0 1', 'BITFIELD f SET u8 0 1', 'BITFIELD f GET u8 0',
  'BITFIELD f2 GET u8 0', 'BITFIELD f3 OVERFLOW FAIL INCRBY u2 0 10', 'BITFIELD f INCRBY u8 0 0',
  'BITFIELD_RO nope GET u8 0', 'BITFIELD f4 SET u8 0 0',
  'PFADD h a b', 'PFADD h a', 'PFADD h', 'PFADD h2', 'PFCOUNT h', 'PFCOUNT nope', 'PFCOUNT h nope', 'PFMERGE m h nope',
  'PFMERGE m', 'PFMERGE m2', 'SET s x', 'PFADD s a', 'PFDEBUG TODENSE h',
];

const sort: Step[] = [
  'RPUSH l 3 1 2', 'SORT l STORE d', 'SORT l STORE d', 'SORT nope STORE d', 'SORT nope STORE d',
  'SORT l BY w_* GET o_* STORE d2', 'SORT l BY nosort', 'SORT_RO l BY w_*', 'SET w_1 5', 'SORT l BY w_* GET # GET o_*',
  'SORT l STORE l', 'SADD st 1 2', 'SORT st STORE st',
];

const expiry: Step[] = [
  // lazy: the key is past its time when the next command touches it (no periodic cycle meanwhile)
  'DEBUG SET-ACTIVE-EXPIRE 0', 'SET k v PX 5', { sleep: 30 }, 'GET k', 'SET k2 v PX 5', { sleep: 30 }, 'SET k2 again', 'SET k3 v PX 5',
  { sleep: 30 }, 'EXISTS k3', 'RPUSH k4 a', 'PEXPIRE k4 5', { sleep: 30 }, 'LPUSH k4 b', 'SET k5 v PX 5',
  { sleep: 30 }, '~SCAN 0 COUNT 100', 'SET k6 v PX 5', { sleep: 30 }, '~SCAN 0 TYPE string', 'SET k7 v PX 5',
  { sleep: 30 }, 'SCAN 0 MATCH nomatch*', 'DEL k7', 'SET k8 v PX 5', { sleep: 30 }, 'RENAME k8 k9', 'SET k8 v PX 5',
  { sleep: 30 }, 'INCRBYFLOAT k8 1', 'HSET h8 f v', 'PEXPIRE h8 5', { sleep: 30 }, 'HINCRBYFLOAT h8 f 1',
  'SET k10 v PX 5', { sleep: 30 }, 'COPY k10 k11', 'SET k12 v PX 5', { sleep: 30 }, 'RPUSH l 1', 'SORT l BY k12 GET k12',
  // (SORT looks nothing up for patterns without '*': k12 is still there, expired; touch it now, or
  // the periodic cycle switched back on below would expire it at a moment that differs per server)
  'EXISTS k12', 'DEBUG SET-ACTIVE-EXPIRE 1',
];

/** Active expiry: nobody touches the keys; the periodic cycle removes them. */
const activeExpiry: Step[] = ['SET act v PX 30', 'HSET act2 f v', 'PEXPIRE act2 30', { sleep: 300 }, 'SET after 1', 'EXISTS act act2'];

const CLASS_FLAGS = ['KEA', 'KEAnm', 'Kg', 'E$', 'Kl', 'Es', 'Kh', 'Ez', 'KEx', 'Ee', 'KEn', 'Em', 'A', 'K', 'KEAm'];

const cases: Case[] = [
  { name: 'strings', flags: 'KEAnm', steps: strings },
  { name: 'generic key commands', flags: 'KEAnm', steps: keys },
  { name: 'lists', flags: 'KEAnm', steps: lists },
  { name: 'blocking pops served later', flags: 'KEAnm', steps: served },
  { name: 'hashes', flags: 'KEAnm', steps: hashes },
  { name: 'sets', flags: 'KEAnm', steps: sets },
  { name: 'sorted sets', flags: 'KEAnm', steps: zsets },
  { name: 'bitmaps and HyperLogLog', flags: 'KEAnm', steps: bitsAndHll },
  { name: 'SORT', flags: 'KEAnm', steps: sort },
  { name: 'expired: lazy', flags: 'KEAnm', steps: expiry },
  { name: 'expired: active', flags: 'KEAnm', steps: activeExpiry, unordered: true },
  {
    name: 'expired: active expiry of many keys (any order)', flags: 'KEA', unordered: true,
    steps: [...Array.from({ length: 30 }, (_, i) => `SET e${i} v PX ${20 + (i % 3)}`), { sleep: 400 }, 'DBSIZE'],
  },
  {
    name: 'evicted',
    flags: 'KEA',
    steps: [
      'SET a 1', 'CONFIG SET maxmemory-policy allkeys-lru', 'CONFIG SET maxmemory 1', 'SET b 2', 'CONFIG SET maxmemory 0',
      'SET c 1', 'EXPIRE c 100', 'CONFIG SET maxmemory-policy volatile-ttl', 'CONFIG SET maxmemory 1', 'LPUSH d 1',
      'CONFIG SET maxmemory 0', 'CONFIG SET maxmemory-policy noeviction', 'CONFIG SET maxmemory 1', 'SET e 1',
      'CONFIG SET maxmemory 0',
    ],
  },
  ...CLASS_FLAGS.map((flags): Case => ({
    name: `classes "${flags}"`, flags,
    steps: [...strings.slice(0, 20), ...keys.slice(0, 40), ...lists.slice(0, 12), ...hashes.slice(0, 10),
      ...sets.slice(0, 12), ...zsets.slice(0, 20), 'SET x v PX 1', { sleep: 20 }, 'GET x'],
  })),
  {
    name: 'keyspace channels only', flags: 'KEA', psubscribe: ['__keyspace@*__:*'],
    steps: [...strings.slice(0, 10), 'SELECT 3', 'SET k3 v', 'SELECT 0', 'DEL a'],
  },
  {
    name: 'keyevent channels only, one event', flags: 'KEA', psubscribe: ['__keyevent@0__:del'],
    steps: ['SET a 1', 'DEL a', 'SET b 1', 'DEL b', 'SELECT 1', 'SET a 1', 'DEL a', 'SELECT 0'],
  },
  {
    name: 'exact channels', flags: 'KEA', subscribe: ['__keyevent@0__:set', '__keyspace@0__:mykey'],
    steps: ['SET a 1', 'SET mykey 1', 'DEL mykey', 'LPUSH mykey x', 'SET b 2'],
  },
  {
    name: 'CONFIG SET / GET of the flags', flags: '',
    steps: [
      'CONFIG GET notify-keyspace-events', 'SET quiet 1',
      ...['KEA', 'A', 'An', 'Anm', 'KEm', 'n', 'Kgx$lshzxetmdn', 'KEAg', 'EK', 'gK', 'x', 'AKE', 'tdKE', 'mn', 'Ag$', '']
        .flatMap((f) => [`CONFIG SET notify-keyspace-events "${f}"`, 'CONFIG GET notify-keyspace-events']),
      'CONFIG SET notify-keyspace-events Z', 'CONFIG SET notify-keyspace-events "KE A"', 'CONFIG SET notify-keyspace-events kea',
      'CONFIG GET notify-keyspace-events', 'CONFIG SET notify-keyspace-events KEA', 'SET loud 1',
      'CONFIG SET notify-keyspace-events KEAn', 'CONFIG GET notify-keyspace-events', 'SET loud2 1',
      'CONFIG SET notify-keyspace-events ""', 'SET quiet2 1',
    ],
  },
];

function register(env: DiffEnv, list: Case[], resps: (2 | 3)[], spread: boolean): void {
  for (const resp of resps) {
    for (const tc of list) {
      it(`${tc.name} (RESP${resp} subscriber)`, async () => {
        const o = env.oracle(), t = env.target();
        const oc = await openConns(o.port, o.host, false);
        const tcn = await openConns(t.port, t.host, spread && t.kind !== 'redis');
        try {
          const [ro, rt] = await Promise.all([runCase(oc, tc, resp), runCase(tcn, tc, resp)]);
          const fmt = (xs: string[]) => (tc.unordered ? [...xs].sort() : xs).map((x) => escapeBytes(Buffer.from(x, 'latin1')));
          expect(fmt(rt.events)).toEqual(fmt(ro.events));
          expect(rt.replies.map((x) => escapeBytes(Buffer.from(x, 'latin1')))).toEqual(ro.replies.map((x) => escapeBytes(Buffer.from(x, 'latin1'))));
        } finally {
          await Promise.all([...Object.values(oc), ...Object.values(tcn)].map((c: RawClient) => c.close()));
        }
      }, 30_000);
    }
  }
}

describeDiff('differential: keyspace notifications', () => {
  // DEBUG SET-ACTIVE-EXPIRE keeps lazy-expiry transcripts free of the periodic cycle's timing
  const env = useDiffEnv({ target: { config: { 'enable-debug-command': 'local' } } });
  register(env, cases, [2, 3], false);
});

describeDiff('differential: keyspace notifications from start-up configuration', () => {
  // notify-keyspace-events given at start-up (config file / command-line directive on the oracle)
  const env = useDiffEnv({ target: { config: { 'notify-keyspace-events': 'KEAn' } } });
  register(env, [
    { name: 'start-up flags', steps: ['CONFIG GET notify-keyspace-events', ...strings.slice(0, 12), ...lists.slice(0, 6)] },
  ], [2], false);
});

describeDiff('differential: keyspace notifications, two worker threads', () => {
  const env = useDiffEnv({ target: { threads: 2, config: { 'enable-debug-command': 'local' } } });
  const pick = new Set(['strings', 'blocking pops served later', 'sorted sets', 'expired: lazy', 'expired: active', 'evicted', 'classes "KEA"']);
  register(env, cases.filter((c) => pick.has(c.name)), [2, 3], true);
});

describeDiff('differential: keyspace notifications to the writing connection itself', () => {
  const env = useDiffEnv();
  it('a RESP3 connection subscribed to events gets its own events before each reply', async () => {
    const run = async (port: number, host: string) => {
      const c = await RawClient.connect(port, { host });
      try {
        await c.hello3();
        await c.send('FLUSHALL');
        await c.send('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
        const n = 1 + 2 + 2 + 3 + 1; // psubscribe · set+OK · rpush+len · lpop+del+element · PONG
        const out = await c.sendRaw('PSUBSCRIBE __keyevent*\r\nSET a 1\r\nRPUSH l x\r\nLPOP l\r\nPING\r\n', n);
        await c.send('CONFIG', 'SET', 'notify-keyspace-events', '');
        return out.map((b) => b.toString('latin1'));
      } finally {
        await c.close();
      }
    };
    const o = env.oracle(), t = env.target();
    expect(await run(t.port, t.host)).toEqual(await run(o.port, o.host));
  });
});

/**
 * A RESP3 connection subscribed to events and running the transcript itself: each event push must
 * come at the same place among the command replies as in Redis (some commands reply first, others
 * publish first). The whole transcript is one pipeline; steps with random replies are left out.
 */
async function runSelf(port: number, host: string, steps: Step[]): Promise<string[]> {
  const c = await RawClient.connect(port, { host });
  try {
    await c.hello3();
    await c.send('SELECT', '0');
    await c.send('FLUSHALL');
    await c.send('CONFIG', 'SET', 'notify-keyspace-events', 'KEAnm');
    await c.send('PSUBSCRIBE', '__key*__:*');
    await c.send('SUBSCRIBE', MARKER);
    const cmds = steps.filter((x): x is string => typeof x === 'string' && !x.startsWith('~') && !x.startsWith('DEBUG'));
    c.write(Buffer.concat([...cmds, `PUBLISH ${MARKER} end`].map((l) => encode(parseLine(l)))));
    const frames: string[] = [];
    for (;;) {
      const r = await c.readReply(5000);
      const kids = parseReplyTree(r).node.children?.map((k) => k.data?.toString('latin1'));
      if (kids && kids[0] === 'message' && kids[1] === MARKER) break;
      frames.push(r.toString('latin1'));
    }
    frames.push((await c.readReply(5000)).toString('latin1'));
    await c.send('CONFIG', 'SET', 'notify-keyspace-events', '');
    return frames;
  } finally {
    await c.close();
  }
}

describeDiff('differential: keyspace notifications to the writing connection itself (RESP3)', () => {
  const env = useDiffEnv();
  const families: [string, Step[]][] = [
    ['strings', strings], ['generic key commands', keys], ['lists', lists], ['hashes', hashes], ['sets', sets],
    ['sorted sets', zsets], ['bitmaps and HyperLogLog', bitsAndHll], ['SORT', sort],
  ];
  for (const [name, steps] of families) {
    it(`${name}: pushes and replies interleaved as Redis does`, async () => {
      const o = env.oracle(), t = env.target();
      const [ro, rt] = [await runSelf(o.port, o.host, steps), await runSelf(t.port, t.host, steps)];
      const fmt = (xs: string[]) => xs.map((x) => escapeBytes(Buffer.from(x, 'latin1')));
      expect(fmt(rt)).toEqual(fmt(ro));
    });
  }
});

/** Raw RESP3 check of one event: a push frame of four elements. */
describeDiff('differential: keyspace notification frames', () => {
  const env = useDiffEnv();
  it('RESP3 pmessage push and RESP2 array are shaped as Redis sends them', async () => {
    const t = env.target();
    const sub = await RawClient.connect(t.port, { host: t.host });
    const cmd = await RawClient.connect(t.port, { host: t.host });
    try {
      await sub.hello3();
      await cmd.send('CONFIG', 'SET', 'notify-keyspace-events', 'E$');
      await sub.send('PSUBSCRIBE', '__keyevent@*__:set');
      await cmd.send('SET', 'frame-key', 'v');
      const push = (await sub.readReply(3000)).toString('latin1');
      expect(push).toBe('>4\r\n$8\r\npmessage\r\n$18\r\n__keyevent@*__:set\r\n$18\r\n__keyevent@0__:set\r\n$9\r\nframe-key\r\n');
      await cmd.send('CONFIG', 'SET', 'notify-keyspace-events', '');
    } finally {
      await Promise.all([sub.close(), cmd.close()]);
    }
  });
});


