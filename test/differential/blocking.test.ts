/**
 * Differential: Redis 7.0 blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP, and BZPOPMIN
 * BZPOPMAX BZMPOP once sorted sets exist) with several clients per server, RESP2 and RESP3,
 * against redis-server, through the multi-client scenario harness (test/helpers/multi-client.ts):
 * each step is one client's command, and the log of which client received which bytes after each
 * step must be the same on both servers.
 *
 * Covered: immediate pops (no blocking), waiters served by every command that creates a list
 * (LPUSH RPUSH LMOVE RPOPLPUSH RENAME MOVE COPY SWAPDB SORT…STORE, BLMOVE chains), pipelines
 * behind a blocked command, several keys and the same key twice, timeouts (fractional, 0, the
 * odd strtold inputs and every error), argument errors before blocking, keys created with another
 * type while clients wait, BLMOVE onto a destination of the wrong type, SELECTed databases, FIFO
 * order with many waiters, pushes of several elements served in order after the pushing command,
 * CLIENT UNBLOCK (TIMEOUT, ERROR, errors), CLIENT LIST flags=b, INFO blocked_clients, and waiters
 * that disconnect. The same scenarios run once more on a target with two worker threads (clients
 * land on both workers), plus a stress test: 1,000 pushes consumed by 10 BLPOP loops, nothing
 * lost or duplicated.
 */
import { expect, it } from 'vitest';
import { describeDiff, useDiffEnv } from '../helpers/transcript.js';
import {
  registerScenarios, spreadConnections, idOf, clientList, infoField, type Scenario, type ScenarioStep, type Cmd, type LogRule,
} from '../helpers/multi-client.js';
import { RawClient, parseReplyTree } from '../helpers/raw-client.js';

// ─── step shorthands ─────────────────────────────────────────────────────────────────────────

/** Client c sends one command. */
const on = (c: number, cmd: Cmd, rule?: LogRule): ScenarioStep => (rule ? { c, cmd, rule } : { c, cmd });
/** Client c sends several commands in one write. */
const pipe = (c: number, ...cmds: Cmd[]): ScenarioStep => ({ c, pipeline: cmds });
const pause = (ms: number): ScenarioStep => ({ sleep: ms });
const bye = (c: number): ScenarioStep => ({ close: c });
/** INFO clients, compared on blocked_clients and clients_in_timeout_table only. */
const blockedCount = (c: number): ScenarioStep => on(c, 'INFO clients', infoField('blocked_clients', 'clients_in_timeout_table'));
/** CLIENT LIST, compared on each scenario client's flags and db. */
const clients = (c: number): ScenarioStep => on(c, 'CLIENT LIST', clientList(['flags', 'db']));
/** Several commands of one client, one step each. */
const each = (c: number, ...cmds: Cmd[]): ScenarioStep[] => cmds.map((cmd) => on(c, cmd));

// ─── scenarios ───────────────────────────────────────────────────────────────────────────────

const immediate: Scenario[] = [
  {
    name: 'immediate pops: data present, nobody blocks',
    allAnswered: true,
    steps: each(
      0,
      'RPUSH a 1 2 3 4 5 6',
      'BLPOP a 0',
      'BRPOP a 0',
      'BLPOP nokey a 0',
      'BRPOP nokey1 nokey2 a 1',
      'BRPOPLPUSH a b 0',
      'BLMOVE b c LEFT RIGHT 0',
      'BLMOVE a a LEFT RIGHT 0',
      'LRANGE a 0 -1',
      'BLMPOP 0 2 nokey a LEFT COUNT 2',
      'RPUSH a 7 8 9',
      'BLMPOP 0.5 1 a RIGHT',
      'BLMPOP 0 1 c RIGHT COUNT 10',
      'EXISTS a b c',
      'RPUSH x 1',
      'RPUSH y 2',
      'BLPOP y x 0',
      'BLPOP y x 0',
      'RPUSH k k1 k2',
      'BLPOP k k 0',
      'BLMPOP 0 2 k k LEFT COUNT 5',
      'RPUSH "\x00bin\xff" "v\r\n"',
      'BLPOP "\x00bin\xff" 0',
      'RPUSH e ""',
      'BRPOP e 0',
      'blpop e 0 nokey',
      'RPUSH e x',
      'brpop e nokey 0',
      'INFO clients',
    ).map((s, i, all) => (i === all.length - 1 ? blockedCount(0) : s)),
  },
];

const served: Scenario[] = [
  {
    name: 'BLPOP served by LPUSH',
    steps: [on(0, 'BLPOP k 0'), blockedCount(1), clients(1), on(1, 'LPUSH k a'), on(1, 'LLEN k'), on(1, 'EXISTS k'), blockedCount(1), clients(1)],
  },
  {
    name: 'BRPOP served by RPUSH of several',
    steps: [on(0, 'BRPOP k 0'), on(1, 'RPUSH k a b c'), on(1, 'LRANGE k 0 -1')],
  },
  {
    name: 'BLPOP served by LPUSHX? no: LPUSHX needs the key; RPUSH then LPUSHX',
    steps: [on(0, 'BLPOP k 0'), on(1, 'LPUSHX k a'), on(1, 'RPUSHX k a'), on(1, 'RPUSH k x'), on(1, 'LPUSHX k y'), on(1, 'LRANGE k 0 -1')],
  },
  {
    name: 'BLMOVE served',
    steps: [
      on(0, 'BLMOVE src dst RIGHT LEFT 0'), on(1, 'RPUSH src a b'), on(1, 'LRANGE src 0 -1'), on(1, 'LRANGE dst 0 -1'),
      on(0, 'BLMOVE src2 dst LEFT RIGHT 0'), on(1, 'RPUSH src2 c d'), on(1, 'LRANGE dst 0 -1'),
    ],
  },
  {
    name: 'BRPOPLPUSH served by LMOVE',
    steps: [on(0, 'BRPOPLPUSH src dst 0'), on(1, 'RPUSH other x y'), on(1, 'LMOVE other src LEFT LEFT'), on(1, 'LRANGE dst 0 -1'), on(1, 'EXISTS src other')],
  },
  {
    name: 'BLMPOP served with COUNT',
    steps: [
      on(0, 'BLMPOP 0 2 a b RIGHT COUNT 2'), on(1, 'RPUSH b 1 2 3'), on(1, 'LRANGE b 0 -1'),
      on(0, 'BLMPOP 0 2 a b LEFT COUNT 10'), on(1, 'RPUSH a x y'), on(1, 'EXISTS a'),
      on(0, 'BLMPOP 0 1 c LEFT'), on(1, 'RPUSH c 1 2'), on(1, 'LRANGE c 0 -1'),
    ],
  },
  {
    name: 'served by RPOPLPUSH and LMOVE into the waited key',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'RPUSH s x y'), on(1, 'RPOPLPUSH s k'), on(1, 'EXISTS k'),
      on(0, 'BRPOP k 0'), on(1, 'LMOVE s k LEFT RIGHT'), on(1, 'EXISTS k s'),
    ],
  },
  {
    name: 'served by RENAME (also over a string) and RENAMENX',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'RPUSH tmp a b'), on(1, 'RENAME tmp k'), on(1, 'LRANGE k 0 -1'),
      on(1, 'DEL k'), on(0, 'BLPOP k 0'), on(1, 'SET k str'), blockedCount(1), on(1, 'RPUSH tmp c'), on(1, 'RENAME tmp k'), on(1, 'EXISTS k tmp'),
      on(0, 'BRPOP k2 0'), on(1, 'RPUSH tmp d e'), on(1, 'RENAMENX tmp k2'), on(1, 'LRANGE k2 0 -1'),
    ],
  },
  {
    name: 'served by MOVE into the waiter database',
    steps: [
      on(0, 'SELECT 1'), on(0, 'BLPOP k 0'), on(1, 'RPUSH k a b'), on(1, 'LLEN k'), on(1, 'MOVE k 1'),
      on(1, 'SELECT 1'), on(1, 'LRANGE k 0 -1'),
    ],
  },
  {
    name: 'served by COPY (same db, other db, REPLACE over a string)',
    steps: [
      on(1, 'RPUSH src a b c'),
      on(0, 'BLPOP dst 0'), on(1, 'COPY src dst'), on(1, 'LRANGE dst 0 -1'),
      on(2, 'SELECT 3'), on(2, 'BRPOP d3 0'), on(1, 'COPY src d3 DB 3'), on(2, 'LRANGE d3 0 -1'),
      on(0, 'BLPOP s 0'), on(1, 'SET s str'), on(1, 'COPY src s'), on(1, 'COPY src s REPLACE'), on(1, 'LRANGE s 0 -1'),
    ],
  },
  {
    name: 'served by SWAPDB',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'SELECT 1'), on(1, 'RPUSH k a b'), on(1, 'SWAPDB 0 1'), on(1, 'LRANGE k 0 -1'),
      on(1, 'SELECT 0'), on(1, 'LRANGE k 0 -1'),
      on(2, 'SELECT 5'), on(2, 'BRPOP q 0'), on(1, 'RPUSH q 1 2 3'), on(1, 'SWAPDB 5 0'), on(1, 'LRANGE q 0 -1'),
      on(3, 'SELECT 6'), on(3, 'BLPOP w 0'), on(1, 'SELECT 7'), on(1, 'SET w str'), on(1, 'SWAPDB 6 7'), blockedCount(1),
    ],
  },
  {
    name: 'served by SORT … STORE (new key), not by an empty result',
    steps: [
      on(1, 'RPUSH src 3 1 2'),
      on(0, 'BLPOP dst 0'), on(1, 'SORT src STORE dst'), on(1, 'LRANGE dst 0 -1'),
      on(0, 'BLPOP dst2 0'), on(1, 'SORT nosuch STORE dst2'), on(1, 'EXISTS dst2'), blockedCount(1),
      on(1, 'SORT src DESC STORE dst2'), on(1, 'LRANGE dst2 0 -1'),
    ],
  },
  {
    name: 'SORT … STORE over an existing string key while a client waits',
    steps: [
      on(1, 'RPUSH src 3 1 2'), on(0, 'BLPOP dst 0'), on(1, 'SET dst str'), on(1, 'SORT src STORE dst'),
      blockedCount(1), on(1, 'LRANGE dst 0 -1'), on(1, 'LPUSH dst 0'), on(1, 'LRANGE dst 0 -1'), blockedCount(1),
      on(1, 'DEL dst'), on(1, 'RPUSH dst z'), blockedCount(1),
    ],
  },
  {
    name: 'BLMOVE chains: a served BLMOVE fills the key the next client waits on',
    steps: [
      on(0, 'BLMOVE a b LEFT LEFT 0'), on(1, 'BLMOVE b c RIGHT LEFT 0'), on(2, 'BLPOP c 0'),
      on(3, 'LPUSH a x'), on(3, 'EXISTS a b c'), blockedCount(3),
      on(0, 'BRPOPLPUSH a b 0'), on(1, 'BRPOPLPUSH b a 0'), on(3, 'RPUSH a 1 2'), on(3, 'LRANGE a 0 -1'), on(3, 'LRANGE b 0 -1'),
    ],
  },
  {
    name: 'BLMOVE of a key onto itself with other waiters',
    steps: [
      on(0, 'BLMOVE k k RIGHT LEFT 0'), on(1, 'BLMOVE k k LEFT RIGHT 0'), on(2, 'BLPOP k 0'), on(3, 'BRPOP k 0'),
      on(4, 'RPUSH k a b'), on(4, 'LRANGE k 0 -1'), blockedCount(4),
    ],
  },
  {
    name: 'BLMOVE chain back to a waiter of the source',
    steps: [
      on(0, 'BLMOVE a b LEFT LEFT 0'), on(1, 'BLMOVE b a LEFT LEFT 0'), on(2, 'BLPOP a 0'),
      on(3, 'RPUSH a x'), on(3, 'EXISTS a b'), blockedCount(3),
    ],
  },
];

const pipelines: Scenario[] = [
  {
    name: 'pipeline behind a blocked command runs once it is served',
    steps: [
      pipe(0, 'BLPOP k 0', 'PING', 'LLEN k', 'SET s 1', 'GET s'), on(1, 'GET s'), on(1, 'LPUSH k a b'),
      on(1, 'GET s'), on(0, 'LRANGE k 0 -1'),
    ],
  },
  {
    name: 'pipeline with two blocking commands',
    steps: [
      pipe(0, 'BLPOP k 0', 'BRPOP k 0', 'ECHO done'), on(1, 'LPUSH k a'), blockedCount(1), on(1, 'LPUSH k b'), blockedCount(1),
      pipe(0, 'RPUSH k x', 'BLPOP k 0', 'BLPOP k 0', 'PING'), on(1, 'RPUSH k y'),
    ],
  },
  {
    name: 'commands sent while blocked wait their turn',
    steps: [on(0, 'BLPOP k 0'), on(0, 'PING'), on(0, 'ECHO hi'), on(1, 'RPUSH k a'), on(0, 'PING')],
  },
  {
    name: 'pipeline behind a timed-out command',
    steps: [pipe(0, 'BLPOP k 0.05', 'PING'), pause(150), pipe(0, 'BLMOVE a b LEFT LEFT 0.02', 'BLMPOP 0.02 1 a LEFT', 'BRPOPLPUSH a b 0.02', 'ECHO x'), pause(200)],
  },
  {
    name: 'pusher pipeline: LPUSH then LLEN sees the list after waiters were served',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), pipe(2, 'LPUSH k x', 'LLEN k', 'LPUSH k y z', 'LLEN k', 'LRANGE k 0 -1'),
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), pipe(2, 'RPUSH k 1 2 3', 'LLEN k', 'LPOP k'),
    ],
  },
  {
    name: 'a served client\'s pipeline runs after every waiter of the push was served',
    steps: [
      pipe(0, 'BLPOP k 0', 'BLPOP k 0', 'LLEN k'), on(1, 'BLPOP k 0'), on(2, 'BLPOP k 0'), on(3, 'RPUSH k a b c d'), on(3, 'LLEN k'),
    ],
  },
  {
    name: 'HELLO queued behind a blocked command: the wait answers in the old protocol',
    steps: [
      pipe(0, 'BLMPOP 0 1 k LEFT', 'HELLO 3', 'BLMPOP 0 1 k LEFT', 'HELLO 2', 'BLPOP k 0.01'), on(1, 'RPUSH k a'), on(1, 'RPUSH k b'), pause(150),
    ],
  },
  {
    name: 'QUIT and a split command queued behind a blocked command',
    steps: [
      pipe(0, 'BLPOP k 0', 'QUIT'), { c: 1, raw: '*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPI' }, on(2, 'RPUSH k a b'),
      { c: 1, raw: 'NG\r\n*2\r\n$4\r\nECHO\r\n$3\r\none\r\n' }, on(2, 'EXISTS k'),
    ],
  },
  {
    name: 'large replies to waiters: a 100 KB element, BLMPOP COUNT 1000',
    steps: [
      on(0, 'BLPOP big 0'), on(2, ['RPUSH', 'big', 'x'.repeat(100 * 1024)]),
      on(1, 'BLMPOP 0 1 many RIGHT COUNT 1000'), on(2, ['RPUSH', 'many', ...Array.from({ length: 1200 }, (_, i) => `element-${i}`)]), on(2, 'LLEN many'),
    ],
  },
  {
    name: 'pusher pipeline: push, pop, push',
    steps: [on(0, 'BRPOP k 0'), pipe(1, 'RPUSH k a', 'RPUSH k b', 'LPOP k', 'LLEN k')],
  },
];

const keys: Scenario[] = [
  {
    name: 'several keys: the first one that gets data serves',
    steps: [
      on(0, 'BLPOP a b c 0'), on(1, 'RPUSH c 1'), on(1, 'EXISTS c'),
      on(0, 'BLPOP a b c 0'), pipe(1, 'RPUSH b 1', 'RPUSH a 2'), on(1, 'LRANGE a 0 -1'), on(1, 'LRANGE b 0 -1'),
      on(1, 'DEL a b'), on(0, 'BRPOP a b 0'), on(2, 'BRPOP b a 0'), on(1, 'RPUSH a x'), on(1, 'RPUSH b y'), on(1, 'EXISTS a b'),
    ],
  },
  {
    name: 'several keys: the waiter leaves every queue once served',
    steps: [
      on(0, 'BLPOP a b 0'), on(1, 'BLPOP b 0'), on(2, 'RPUSH a 1'), on(2, 'RPUSH b 2'), blockedCount(2),
      on(0, 'BLMPOP 0 3 x y z RIGHT COUNT 3'), on(1, 'BLPOP z 0'), on(2, 'RPUSH y 1 2'), on(2, 'RPUSH z 3'), on(2, 'RPUSH x 4'), on(2, 'LRANGE x 0 -1'),
    ],
  },
  {
    name: 'the same key twice',
    steps: [
      on(0, 'BLPOP k k 0'), blockedCount(1), on(1, 'LPUSH k a'), blockedCount(1),
      on(0, 'BLMPOP 0 3 k k k LEFT COUNT 2'), on(1, 'RPUSH k 1 2 3'), on(1, 'LRANGE k 0 -1'),
      on(1, 'DEL k'), on(0, 'BRPOP k q k 0'), on(1, 'RPUSH k z'), on(1, 'EXISTS k'),
    ],
  },
  {
    name: 'binary and empty key names',
    steps: [
      on(0, ['BLPOP', Buffer.from([0, 1, 0xff, 13, 10]), '', '0']), on(1, ['RPUSH', '', 'e']),
      on(0, ['BRPOP', Buffer.from([0, 1, 0xff, 13, 10]), '', '0']), on(1, ['RPUSH', Buffer.from([0, 1, 0xff, 13, 10]), Buffer.from([0, 0xfe])]),
    ],
  },
];

/** Timeout texts that Redis refuses before blocking. */
const BAD_TIMEOUTS = [
  'abc', '-1', '-0.5', '-0.0011', '-0.0010000000000000000001', '-0.00100000000000000000001143494478793305457742235375917516648769378662109375',
  '9223372036854775.80712890626', 'inf', '+inf', '-inf', 'INF', 'infinity', '-Infinity', 'infinit', 'nan', '-nan', 'NaN',
  'nan(1)', ' 1', '1 ', '\t1', '', '+', '-', '.', 'e1', '1e', '1e+', '1.2.3', '1_0', '0x', '0x.', '0xg', '0x1p', '0x1p+',
  '1e5000', '-1e5000', '1.1898e4932', '1e-5000', '-1e-5000', '1e-4951', '1.8e-4951', '0x1p16384', '0x1p-16446', '0x1p-20000',
  '1e19', '1e16', '9223372036854776', '9223372036854775.808', '1e4000', '0x1p16383', '0x1p100',
  '0.' + '0'.repeat(5200) + '1', '1' + '0'.repeat(5200), '0'.repeat(5120),
];

const timeouts: Scenario[] = [
  {
    name: 'timeouts: errors before blocking, every command',
    allAnswered: true,
    steps: [
      on(1, 'SET str x'),
      ...BAD_TIMEOUTS.map((t) => on(0, ['BLPOP', 'k', t])),
      ...['abc', '-1', 'inf', 'nan', ' 1', '1e5000', '1e-5000'].flatMap((t) => [
        on(0, ['BRPOP', 'k', t]),
        on(0, ['BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', t]),
        on(0, ['BRPOPLPUSH', 'k', 'd', t]),
        on(0, ['BLMPOP', t, '1', 'k', 'LEFT']),
        on(0, ['BLPOP', 'str', t]),
      ]),
      on(0, ['BLPOP', 'k', '1\x00']), on(0, ['BLPOP', 'k', '\x00']), on(0, ['BLPOP', 'k', '\x001']),
      blockedCount(1),
    ],
  },
  {
    name: 'timeouts that block forever: 0, -0.0001, -0.001 (long double rounding), 0e5000, a long zero',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k -0.0001'), on(2, 'BRPOP k 0e5000'), on(3, 'BLMPOP -0.0009 1 k LEFT'),
      on(4, 'BRPOPLPUSH k d -0x1p-200'), on(5, ['BLPOP', 'k', '0'.repeat(5119)]), on(6, ['BLPOP', 'k', '-0.' + '0'.repeat(5000) + '1e4000']),
      on(7, 'BLPOP k -0.001'), on(8, 'BLPOP k -1e-3'), on(9, 'BLPOP k -0.00100000000000000000001143494478793305457742235375917516648769378662109374'),
      on(10, 'BLPOP k 9223372036854775.80712890625'), on(11, 'BLPOP k 9223372036854775807e-3'),
      pause(100), blockedCount(12),
      on(12, 'RPUSH k 1 2 3 4 5 6 7 8 9 10 11 12'), blockedCount(12), on(12, 'LRANGE d 0 -1'),
    ],
  },
  {
    name: 'short timeouts: fractional, hex, exponents, tiny',
    steps: [
      on(0, 'BLPOP k 0.05'), on(1, 'BRPOP k 0.0009'), on(2, 'BLMOVE k d LEFT LEFT 0x0.1'), on(3, 'BRPOPLPUSH k d 1e-1'),
      on(4, 'BLMPOP .05 1 k RIGHT COUNT 3'), on(5, 'BLPOP k 0x1p-4'), on(6, 'BRPOP k 2e-4951'), on(7, 'BLPOP k 0x1.1p-16446'),
      on(8, 'BLPOP k +0.01'), on(9, 'BLPOP k 5.e-2'),
      pause(250), blockedCount(0), on(0, 'EXISTS k d'),
    ],
  },
  {
    name: 'a waiter that timed out does not take a later push',
    steps: [
      on(0, 'BLPOP k 0.03'), on(1, 'BLPOP k 0'), pause(120), on(2, 'RPUSH k a b'), on(2, 'LRANGE k 0 -1'), blockedCount(2),
    ],
  },
  {
    name: 'a long timeout does not fire early',
    steps: [on(0, 'BLPOP k 10'), on(1, 'BRPOPLPUSH k d 3600'), on(2, 'BLMPOP 86400.5 1 k LEFT'), pause(100), blockedCount(3), on(3, 'RPUSH k 1 2 3')],
  },
];

const errors: Scenario[] = [
  {
    name: 'errors before blocking: WRONGTYPE, syntax, arity',
    allAnswered: true,
    steps: each(
      0,
      'SET str x',
      'RPUSH l a b',
      'BLPOP str 0',
      'BLPOP nokey str 0',
      'BLPOP str l 0',
      'BLPOP l str 0',
      'BRPOP nokey str 1',
      'BLMOVE str d LEFT LEFT 0',
      'BLMOVE l str LEFT LEFT 0',
      'LRANGE l 0 -1',
      'BLMOVE l d MIDDLE LEFT 0',
      'BLMOVE l d LEFT UP 0',
      'BLMOVE l d left right 0',
      'EXISTS l',
      'RPUSH l x y z',
      'BLMOVE nokey d LEFT BAD abc',
      'BRPOPLPUSH str d 0',
      'BRPOPLPUSH l str 0',
      'BLPOP',
      'BLPOP k',
      'BRPOP k',
      'BLMOVE a b LEFT LEFT',
      'BLMOVE a b LEFT LEFT 0 extra',
      'BRPOPLPUSH a b',
      'BRPOPLPUSH a b 0 extra',
      'BLMPOP 0',
      'BLMPOP 0 1',
      'BLMPOP 0 1 k',
      'BLMPOP 0 0 k LEFT',
      'BLMPOP 0 -1 k LEFT',
      'BLMPOP 0 abc k LEFT',
      'BLMPOP 0 99999999999999999999 k LEFT',
      'BLMPOP 0 5 k LEFT',
      'BLMPOP 0 1 k MIDDLE',
      'BLMPOP 0 1 k LEFT COUNT',
      'BLMPOP 0 1 k LEFT COUNT 0',
      'BLMPOP 0 1 k LEFT COUNT -1',
      'BLMPOP 0 1 k LEFT COUNT abc',
      'BLMPOP 0 1 k LEFT COUNT 99999999999999999999',
      'BLMPOP 0 1 k LEFT COUNT 1 COUNT 2',
      'BLMPOP 0 1 k LEFT extra',
      'BLMPOP abc 0 k LEFT',
      'BLMPOP abc 1 k MIDDLE',
      'BLMPOP abc 1 k LEFT COUNT 0',
      'BLMPOP abc 1 k LEFT COUNT 1 x',
      'BLMPOP -1 1 k LEFT COUNT 1',
      'BLMPOP 0 1 str LEFT',
      'BLMPOP 0 2 nokey str LEFT',
      'BLMPOP 0 2 l str LEFT COUNT 5',
      'EXISTS l',
      'INFO clients',
    ).map((s, i, all) => (i === all.length - 1 ? blockedCount(0) : s)),
  },
  {
    name: 'a key created with another type keeps the waiters waiting',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLMOVE k d LEFT LEFT 0'), on(2, 'BLMPOP 0 1 k LEFT'),
      on(3, 'SET k x'), on(3, 'APPEND k y'), on(3, 'SETBIT k 100 1'), on(3, 'PFADD h a'), on(3, 'RENAME h k'), blockedCount(3),
      on(3, 'DEL k'), on(3, 'RPUSH k a b c'), on(3, 'EXISTS k d'), on(3, 'LRANGE d 0 -1'), blockedCount(3),
    ],
  },
  {
    name: 'BLMOVE served onto a destination of the wrong type gets WRONGTYPE',
    steps: [
      on(0, 'BLMOVE src dst LEFT LEFT 0'), on(1, 'BRPOPLPUSH src dst 0'), on(2, 'BLPOP src 0'),
      on(3, 'SET dst x'), on(3, 'RPUSH src a b'), on(3, 'LRANGE src 0 -1'), blockedCount(3),
      on(0, 'BLMOVE src2 dst LEFT LEFT 0'), on(1, 'BLMOVE src2 ok LEFT LEFT 0'), on(3, 'RPUSH src2 1'), on(3, 'LRANGE ok 0 -1'), on(3, 'EXISTS src2'),
    ],
  },
  {
    name: 'SELECTed databases: a push in another db does not serve',
    steps: [
      on(0, 'SELECT 2'), on(0, 'BLPOP k 0'), on(1, 'SELECT 3'), on(1, 'BLPOP k 0'), on(2, 'BLPOP k 0'), clients(3),
      on(3, 'LPUSH k a'), on(3, 'SELECT 3'), on(3, 'LPUSH k b'), on(3, 'SELECT 2'), on(3, 'LPUSH k c'), on(3, 'SELECT 0'), on(3, 'LPUSH k d'),
      blockedCount(3), on(3, 'LRANGE k 0 -1'),
      pipe(0, 'SELECT 4', 'BLPOP k 0', 'SELECT 0', 'LLEN k'), on(3, 'SELECT 4'), on(3, 'RPUSH k z'),
    ],
  },
];

const fairness: Scenario[] = [
  {
    name: 'FIFO: three waiters, pushes of one, two and many elements',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), on(2, 'BLPOP k 0'),
      on(3, 'LPUSH k a'), on(3, 'LPUSH k b c'), blockedCount(3),
      on(0, 'BLPOP k 0'), on(1, 'BRPOP k 0'), on(2, 'BLPOP k 0'), on(3, 'RPUSH k 1 2 3 4 5'), on(3, 'LRANGE k 0 -1'),
      on(3, 'DEL k'), on(2, 'BLPOP k 0'), on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), on(3, 'RPUSH k x y'), blockedCount(3), on(3, 'RPUSH k z'),
    ],
  },
  {
    name: 'FIFO across command kinds: BLPOP, BRPOP, BLMPOP COUNT, BLMOVE, BRPOPLPUSH',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BRPOP k 0'), on(2, 'BLMPOP 0 1 k LEFT COUNT 3'), on(3, 'BLMOVE k d RIGHT LEFT 0'), on(4, 'BRPOPLPUSH k d 0'),
      on(5, 'RPUSH k 1 2 3 4 5 6 7 8 9'), on(5, 'LRANGE k 0 -1'), on(5, 'LRANGE d 0 -1'),
    ],
  },
  {
    name: 'LPUSH of several elements with several waiters: all served after the command',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), on(2, 'BLPOP k 0'), on(3, 'BLPOP k 0'),
      on(4, 'LPUSH k a b c'), on(4, 'EXISTS k'), blockedCount(4), on(4, 'LPUSH k d e'), on(4, 'LRANGE k 0 -1'),
    ],
  },
  {
    name: 'many waiters on one key',
    clients: 13,
    steps: [
      ...Array.from({ length: 12 }, (_, i) => on(i, i % 2 ? 'BRPOP k 0' : 'BLPOP k 0')),
      blockedCount(12),
      on(12, 'RPUSH k 1 2 3 4 5'), on(12, 'RPUSH k 6'), on(12, 'LPUSH k 7 8 9 10 11 12 13 14'), on(12, 'LRANGE k 0 -1'), blockedCount(12),
    ],
  },
];

const unblock: Scenario[] = [
  {
    name: 'CLIENT UNBLOCK TIMEOUT and ERROR',
    steps: [
      on(0, 'BLPOP k 0'), clients(1), on(1, ['CLIENT', 'UNBLOCK', idOf(0)]), on(1, ['CLIENT', 'UNBLOCK', idOf(0)]), clients(1),
      on(0, 'BLMOVE a b LEFT LEFT 0'), on(1, ['CLIENT', 'UNBLOCK', idOf(0), 'ERROR']), on(1, ['CLIENT', 'UNBLOCK', idOf(0), 'error']),
      on(0, 'BRPOPLPUSH a b 0'), on(1, ['CLIENT', 'UNBLOCK', idOf(0), 'timeout']),
      on(0, 'BLMPOP 0 2 a b RIGHT COUNT 2'), on(1, ['client', 'unblock', idOf(0), 'TIMEOUT']),
      on(0, 'BRPOP a b 0'), on(1, ['CLIENT', 'UNBLOCK', idOf(0), 'Error']),
      blockedCount(1), on(1, 'RPUSH a x'), on(1, 'LRANGE a 0 -1'),
    ],
  },
  {
    name: 'CLIENT UNBLOCK: pipeline of the unblocked client resumes',
    steps: [
      pipe(0, 'BLPOP k 0', 'PING', 'BLPOP k 0', 'ECHO after'), on(1, ['CLIENT', 'UNBLOCK', idOf(0)]), blockedCount(1),
      on(1, ['CLIENT', 'UNBLOCK', idOf(0), 'ERROR']), blockedCount(1),
    ],
  },
  {
    name: 'CLIENT UNBLOCK: the right one of several waiters',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), on(2, 'BLPOP k 0'), on(3, ['CLIENT', 'UNBLOCK', idOf(1)]),
      on(3, 'RPUSH k a b'), on(3, ['CLIENT', 'UNBLOCK', idOf(2), 'ERROR']), blockedCount(3),
    ],
  },
  {
    name: 'CLIENT UNBLOCK: clients that are not blocked, bad arguments',
    allAnswered: true,
    steps: [
      on(1, ['CLIENT', 'UNBLOCK', idOf(0)]), on(1, ['CLIENT', 'UNBLOCK', idOf(1)]), on(1, ['CLIENT', 'UNBLOCK', idOf(1), 'ERROR']),
      ...each(
        1,
        'CLIENT UNBLOCK 999999',
        'CLIENT UNBLOCK 0',
        'CLIENT UNBLOCK -1',
        'CLIENT UNBLOCK abc',
        'CLIENT UNBLOCK 1.5',
        'CLIENT UNBLOCK 99999999999999999999',
        'CLIENT UNBLOCK ""',
        'CLIENT UNBLOCK 1 foo',
        'CLIENT UNBLOCK abc foo',
        'CLIENT UNBLOCK abc ERROR',
        'CLIENT UNBLOCK 1 TIMEOUT extra',
        'CLIENT UNBLOCK',
        'client unblock',
      ),
    ],
  },
  {
    name: 'CLIENT UNBLOCK after the waiter was served or timed out',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'RPUSH k a'), on(1, ['CLIENT', 'UNBLOCK', idOf(0)]),
      on(0, 'BLPOP k 0.02'), pause(100), on(1, ['CLIENT', 'UNBLOCK', idOf(0), 'ERROR']),
    ],
  },
];

const disconnects: Scenario[] = [
  {
    name: 'a blocked client disconnecting: its waiter vanishes, the push is kept',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), bye(0), blockedCount(2), on(2, 'LPUSH k a'), on(2, 'LLEN k'),
      bye(1), blockedCount(2), on(2, 'LPUSH k b'), on(2, 'LRANGE k 0 -1'),
    ],
  },
  {
    name: 'disconnects of waiters on several keys, BLMOVE and BLMPOP',
    steps: [
      on(0, 'BLPOP a b c 0'), on(1, 'BLMOVE a d LEFT LEFT 0'), on(2, 'BLMPOP 0 2 b a LEFT COUNT 2'), on(3, 'BRPOP c b 0'),
      bye(0), bye(2), blockedCount(4), on(4, 'RPUSH a 1 2'), on(4, 'RPUSH b 3'), on(4, 'RPUSH c 4'),
      on(4, 'LRANGE a 0 -1'), on(4, 'LRANGE b 0 -1'), on(4, 'LRANGE c 0 -1'), on(4, 'LRANGE d 0 -1'), blockedCount(4),
    ],
  },
  {
    name: 'CLIENT KILL of a blocked client',
    steps: [
      on(0, 'BLPOP k 0'), on(1, 'BRPOPLPUSH k d 30'), blockedCount(2), on(2, ['CLIENT', 'KILL', 'ID', idOf(0)]), on(2, ['CLIENT', 'KILL', 'ID', idOf(1)]),
      blockedCount(2), on(2, 'RPUSH k a'), on(2, 'LRANGE k 0 -1'), on(2, 'EXISTS d'),
    ],
  },
  {
    name: 'a client disconnecting with a pipeline queued behind its blocked command',
    steps: [pipe(0, 'BLPOP k 0', 'RPUSH k from-c0'), bye(0), on(1, 'RPUSH k a'), on(1, 'LRANGE k 0 -1'), blockedCount(1)],
  },
];

const protocols: Scenario[] = [
  {
    name: 'mixed protocols: each waiter gets its own protocol',
    resp: 2,
    steps: [
      { c: 0, hello3: true }, on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), on(2, 'BLMPOP 0 1 k LEFT COUNT 2'), { c: 3, hello3: true },
      on(3, 'BLMPOP 0 1 k LEFT COUNT 2'), on(4, 'RPUSH k 1 2 3 4 5 6'),
      on(0, 'BLMOVE k d LEFT LEFT 0.02'), on(1, 'BLMOVE k d LEFT LEFT 0.02'), on(2, 'BLPOP k 0.02'), on(3, 'BLPOP k 0.02'), pause(120),
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 0'), on(4, ['CLIENT', 'UNBLOCK', idOf(0)]), on(4, ['CLIENT', 'UNBLOCK', idOf(1)]),
    ],
  },
];

/** Sorted-set blocking commands: skipped with a notice until ZADD and friends exist. */
const zsets: Scenario[] = [
  {
    name: 'BZPOPMIN BZPOPMAX BZMPOP: immediate and served',
    steps: [
      on(1, 'ZADD z 1 a 2 b 3 c 4 d'), on(0, 'BZPOPMIN z 0'), on(0, 'BZPOPMAX z 0'), on(0, 'BZMPOP 0 2 nokey z MIN COUNT 5'),
      on(0, 'BZPOPMIN z 0'), on(1, 'ZADD z 5 e 1.5 f'), on(0, 'BZPOPMAX nokey z 0'), on(1, 'ZADD z2 7 x 8 y'),
      on(0, 'BZMPOP 0 1 z3 MAX COUNT 2'), on(1, 'ZADD z3 1 p 2 q 3 r'), on(1, 'ZRANGE z3 0 -1 WITHSCORES'),
    ],
  },
  {
    name: 'sorted-set waiters: FIFO, timeouts, errors, wrong types',
    steps: [
      on(0, 'BZPOPMIN z 0'), on(1, 'BZPOPMAX z 0'), on(2, 'BZMPOP 0 1 z MIN COUNT 2'), on(3, 'ZADD z 1 a 2 b 3 c 4 d 5 e'),
      on(3, 'ZRANGE z 0 -1'),
      on(0, 'BZPOPMIN z9 0.02'), on(1, 'BZMPOP 0.02 1 z9 MAX'), pause(100),
      on(0, 'SET s x'), on(0, 'BZPOPMIN s 0'), on(0, 'BZPOPMIN z abc'), on(0, 'BZPOPMAX z -1'), on(0, 'BZMPOP 0 0 z MIN'),
      on(0, 'BZMPOP 0 1 z MIDDLE'), on(0, 'BZMPOP 0 1 z MIN COUNT 0'), on(0, 'BZMPOP abc 1 z MIN COUNT 0'), on(0, 'RPUSH l a'), on(0, 'BZPOPMIN l 0'),
      on(0, 'BLPOP zk 0'), on(1, 'BZPOPMIN lk 0'), on(3, 'ZADD zk 1 a'), on(3, 'RPUSH lk a'), blockedCount(3),
      on(3, 'DEL zk lk'), on(3, 'RPUSH zk x'), on(3, 'ZADD lk 1 y'), blockedCount(3),
    ],
  },
  {
    name: 'sorted-set waiters served by ZUNIONSTORE, ZINCRBY, CLIENT UNBLOCK',
    steps: [
      on(3, 'ZADD src 1 a 2 b'), on(0, 'BZPOPMIN u 0'), on(3, 'ZUNIONSTORE u 1 src'), on(3, 'ZRANGE u 0 -1'),
      on(1, 'BZPOPMAX i 0'), on(3, 'ZINCRBY i 5 m'), on(2, 'BZMPOP 0 1 q MIN'), on(3, ['CLIENT', 'UNBLOCK', idOf(2)]),
    ],
  },
  {
    name: 'ZUNIONSTORE / ZRANGESTORE over an existing key wake nobody (Redis 7.0 overwrites in place)',
    steps: [
      on(3, 'ZADD src 1 a 2 b'), on(0, 'BZPOPMIN u 0'), on(3, 'SET u str'), on(3, 'ZUNIONSTORE u 1 src'), blockedCount(3),
      on(3, 'ZRANGE u 0 -1'), on(1, 'BZPOPMAX r 0'), on(3, 'SET r str'), on(3, 'ZRANGESTORE r src 0 -1'), blockedCount(3),
      on(3, 'DEL u r'), on(3, 'ZADD u 5 x'), on(3, 'ZADD r 6 y'), blockedCount(3),
    ],
  },
];

const ALL: [string, Scenario[]][] = [
  ['immediate', immediate], ['served', served], ['pipelines', pipelines], ['keys', keys], ['timeouts', timeouts],
  ['errors', errors], ['fairness', fairness], ['CLIENT UNBLOCK', unblock], ['disconnects', disconnects],
  ['protocols', protocols], ['sorted sets', zsets],
];

const register = registerScenarios;

describeDiff('differential: blocking commands', () => {
  const env = useDiffEnv();
  register(env, ALL);
});

// ─── two worker threads, explicitly ──────────────────────────────────────────────────────────

/** Waiters spread over many connections (so both workers hold some), served FIFO across threads. */
const threaded: Scenario[] = [
  {
    name: 'threads: FIFO across workers, pushes from every client',
    spreadWorkers: true,
    clients: 16,
    steps: [
      ...Array.from({ length: 12 }, (_, i) => on(i, i % 3 === 2 ? 'BLMOVE k d LEFT RIGHT 0' : 'BLPOP k 0')),
      blockedCount(12), clients(13),
      on(12, 'RPUSH k 1 2 3'), on(13, 'RPUSH k 4'), on(14, 'LPUSH k 5 6 7 8'), on(15, 'RPUSH k 9 10 11 12 13'),
      on(15, 'LRANGE k 0 -1'), on(15, 'LRANGE d 0 -1'), blockedCount(15),
    ],
  },
  {
    name: 'threads: BLMOVE chain through clients on different workers',
    spreadWorkers: true,
    clients: 10,
    steps: [
      ...Array.from({ length: 8 }, (_, i) => on(i, `BLMOVE q${i} q${i + 1} LEFT LEFT 0`)), on(8, 'BLPOP q8 0'),
      on(9, 'RPUSH q0 token'), on(9, 'EXISTS q0 q1 q2 q3 q4 q5 q6 q7 q8'), blockedCount(9),
    ],
  },
  {
    name: 'threads: timeouts, CLIENT UNBLOCK and disconnects across workers',
    spreadWorkers: true,
    clients: 10,
    steps: [
      ...Array.from({ length: 8 }, (_, i) => on(i, i < 3 ? 'BLPOP k 0.05' : 'BRPOP k 0')),
      pause(150), blockedCount(9),
      on(9, ['CLIENT', 'UNBLOCK', idOf(3)]), on(9, ['CLIENT', 'UNBLOCK', idOf(4), 'ERROR']), bye(5), bye(6),
      blockedCount(9), on(9, 'RPUSH k a b c'), on(9, 'LRANGE k 0 -1'), blockedCount(9),
      on(0, 'BLPOP k 0'), on(1, 'BLPOP k 10'), on(2, 'BLPOP k 0'), on(9, ['CLIENT', 'KILL', 'ID', idOf(1)]), on(9, ['CLIENT', 'KILL', 'ID', idOf(2)]),
      blockedCount(9), on(9, 'RPUSH k x y'), on(9, 'LRANGE k 0 -1'),
    ],
  },
];

describeDiff('differential: blocking commands, two worker threads', () => {
  // DEBUG SLEEP (enable-debug-command) lets the stress test see which connections share a worker
  const env = useDiffEnv({ target: { threads: 2, config: { 'enable-debug-command': 'local' } } });
  // protocols are per connection, not per thread: RESP2 here, plus the mixed-protocol scenario
  register(env, [
    ['threads', threaded], ['served', served.slice(0, 6)], ['pipelines', pipelines], ['fairness', fairness], ['CLIENT UNBLOCK', unblock.slice(0, 3)],
    ['disconnects', disconnects], ['protocols', protocols],
  ], [2]);

  it('1,000 pushes consumed by 10 blocked BLPOP loops: nothing lost or duplicated', async () => {
    const t = env.target();
    // BLOCKING_STRESS_N=20000 (even) runs a longer stress by hand
    const N = Number(process.env.BLOCKING_STRESS_N ?? 1000);
    const CONSUMERS = 10;
    const keys = ['s0', 's1', 's2'];
    const admin = await RawClient.connect(t.port, { host: t.host });
    await admin.send('FLUSHALL');
    // half the consumers on each worker (alternating), whatever the kernel's accept order
    const consumers = t.kind === 'redis'
      ? await Promise.all(Array.from({ length: CONSUMERS }, () => RawClient.connect(t.port, { host: t.host })))
      : await spreadConnections({ host: t.host, port: t.port, name: t.name }, CONSUMERS);
    const got: string[] = [];
    const perConsumer = new Array<number>(CONSUMERS).fill(0);
    let stop = false;
    const loops = consumers.map(async (c, i) => {
      while (!stop) {
        const r = parseReplyTree(await c.send(i % 2 ? 'BRPOP' : 'BLPOP', ...keys, '0'), 0).node;
        if (!r.children) throw new Error(`consumer ${i}: unexpected reply ${r.raw.toString('latin1')}`);
        const v = r.children[1]!.data!.toString('latin1');
        if (v === 'stop') break;
        got.push(v);
        perConsumer[i]!++;
      }
    });
    // let every consumer block before the first push
    for (let i = 0; i < 100; i++) {
      const info = (await admin.send('INFO', 'clients')).toString('latin1');
      if (info.includes(`blocked_clients:${CONSUMERS}\r\n`)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const producers = await Promise.all([0, 1].map(() => RawClient.connect(t.port, { host: t.host })));
    const pushed: string[] = [];
    await Promise.all(producers.map(async (p, pi) => {
      for (let i = 0; i < N / 2;) {
        // single pushes, multi-element pushes and small pipelines, to all keys
        const batch: string[][] = [];
        for (let b = 0; b < 1 + (i % 4) && i < N / 2; b++) {
          const n = Math.min(1 + ((i * 7) % 5), N / 2 - i);
          const vals = Array.from({ length: n }, (_, j) => `p${pi}-${i + j}`);
          pushed.push(...vals);
          batch.push([(i + b) % 2 ? 'RPUSH' : 'LPUSH', keys[(i + pi) % keys.length]!, ...vals]);
          i += n;
        }
        const replies = await p.pipeline(batch);
        for (const r of replies) if (r[0] !== 0x3a) throw new Error(`push failed: ${r.toString('latin1')}`);
      }
    }));
    const deadline = Date.now() + Math.max(15_000, N * 5);
    while (got.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await admin.send('RPUSH', 's0', ...Array.from({ length: CONSUMERS }, () => 'stop'));
    await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5000))]);
    const left = await Promise.all(keys.map(async (k) => (await admin.send('LLEN', k)).toString('latin1')));
    await Promise.all([...consumers, ...producers, admin].map((c) => c.close()));
    if (process.env.BLOCKING_STRESS_N) console.log(`stress: ${got.length} of ${N} consumed, per consumer ${perConsumer.join(' ')}`);
    expect(got.length).toBe(N);
    expect(new Set(got).size).toBe(N);
    expect([...got].sort()).toEqual([...pushed].sort());
    expect(left).toEqual([':0\r\n', ':0\r\n', ':0\r\n']);
    // FIFO hands the pushes round the waiters: every consumer got some
    expect(perConsumer.filter((n) => n === 0)).toEqual([]);
  }, Math.max(30_000, (process.env.BLOCKING_STRESS_N ? Number(process.env.BLOCKING_STRESS_N) * 5 : 0) + 20_000));
});
