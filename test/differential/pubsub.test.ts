/**
 * Differential: Redis 7.0 Pub/Sub and MONITOR with several clients per server, RESP2 and RESP3,
 * against redis-server, through the multi-client scenario harness (test/helpers/multi-client.ts):
 * the log of which client received which bytes after each step must be the same on both servers.
 *
 * Covered: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE (counts, repeats,
 * unsubscribing what was never subscribed, everything at once), RESP2 subscribed mode (allowed
 * commands, Redis's error for the others, PING's array form) and RESP3 (commands keep working,
 * messages as pushes, a connection's own PUBLISH), PUBLISH / SPUBLISH receiver counts, glob
 * patterns, binary and empty channels and payloads, PUBSUB CHANNELS NUMSUB NUMPAT SHARDCHANNELS
 * SHARDNUMSUB, RESET, disconnects, HELLO switching protocol while subscribed, CLIENT LIST flags
 * and counters, MONITOR lines (time and client address masked). The same scenarios run on a
 * target with two worker threads (clients on both workers), plus a 100,000-message ordering test
 * with subscribers on every worker.
 */
import { expect, it } from 'vitest';
import { describeDiff, useDiffEnv } from '../helpers/transcript.js';
import {
  registerScenarios, spreadConnections, clientList, infoField, type Scenario, type ScenarioStep, type Cmd, type LogRule,
} from '../helpers/multi-client.js';
import { RawClient } from '../helpers/raw-client.js';

const on = (c: number, cmd: Cmd, rule?: LogRule): ScenarioStep => (rule ? { c, cmd, rule } : { c, cmd });
const pipe = (c: number, ...cmds: Cmd[]): ScenarioStep => ({ c, pipeline: cmds });
const bye = (c: number): ScenarioStep => ({ close: c });
const each = (c: number, ...cmds: Cmd[]): ScenarioStep[] => cmds.map((cmd) => on(c, cmd));
/** Replies in hash order (PUBSUB CHANNELS, UNSUBSCRIBE with no argument): compared as sorted lines. */
function sorted(reply: Buffer): string {
  return reply.toString('latin1').split('\r\n').sort().join('|');
}

/** An (un)subscribe reply of an "everything" UNSUBSCRIBE, whose names come in hash order: kind and count only. */
function nameMasked(reply: Buffer): string {
  return reply.toString('latin1').replace(/^([*>]3\r\n\$\d+\r\n[a-z]+\r\n)\$\d+\r\n[^\r]*\r\n/, '$1<name>');
}

/** A MONITOR line with its time and client port masked: "+T [db 127.0.0.1:P] args". */
function monitorLine(reply: Buffer): string {
  return reply.toString('latin1').replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '+T [$1 ADDR]');
}

const subscribedMode: Scenario[] = [
  {
    name: 'subscribe, unsubscribe and their counts; RESP2 subscribed mode',
    steps: [
      ...each(0, 'SUBSCRIBE a b', 'SUBSCRIBE a', 'GET x', 'PING', 'PING hi', 'PSUBSCRIBE p* q?', 'SSUBSCRIBE s1 s2', 'SSUBSCRIBE s1'),
      // (CLIENT ID answers in RESP3; ids differ between servers)
      on(0, 'client id', (r) => (r[0] === 0x3a ? ':id' : r.toString('latin1'))),
      ...each(0, 'MULTI', 'SET a b', 'CONFIG GET maxmemory', 'PUBLISH a b', 'PUBSUB NUMPAT', 'ECHO x'),
      ...each(0, 'UNSUBSCRIBE a nosuch', 'PUNSUBSCRIBE p*', 'SUNSUBSCRIBE s2 s9', 'UNSUBSCRIBE b'),
      ...each(0, 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'PING', 'GET x'),
      ...each(0, 'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'PUBLISH a', 'SPUBLISH a', 'PUBLISH a b c', 'PING a b'),
    ],
  },
  {
    name: 'unsubscribing everything at once (hash order: names masked, then checked with PUBSUB)',
    otherRule: nameMasked,
    steps: [
      on(0, 'SUBSCRIBE c1 c2 c3 c4'), on(0, 'PSUBSCRIBE x* y*'), on(1, 'PUBSUB CHANNELS', sorted), on(0, 'UNSUBSCRIBE', nameMasked),
      on(1, 'PUBSUB CHANNELS'), on(1, 'PUBSUB NUMPAT'), on(0, 'PUNSUBSCRIBE', nameMasked), on(1, 'PUBSUB NUMPAT'), on(0, 'PING'),
    ],
  },
  {
    name: 'RESET leaves subscribed mode; QUIT while subscribed',
    steps: [
      on(0, 'SUBSCRIBE a'), on(0, 'PSUBSCRIBE b*'), on(0, 'RESET'), on(0, 'GET x'), on(1, 'PUBLISH a 1'),
      on(1, 'PUBLISH bb 2'), on(1, 'PUBSUB NUMSUB a'), on(1, 'PUBSUB NUMPAT'), on(0, 'SUBSCRIBE z'), on(0, 'QUIT'),
      on(1, 'PUBLISH z 1'), on(1, 'PUBSUB NUMSUB z'),
    ],
  },
];

const delivery: Scenario[] = [
  {
    name: 'PUBLISH reaches channel and pattern subscribers on other connections',
    steps: [
      on(0, 'SUBSCRIBE news sport'), on(1, 'PSUBSCRIBE n* *t'), on(2, 'SUBSCRIBE news'),
      ...each(3, 'PUBLISH news hello', 'PUBLISH sport goal', 'PUBLISH nothing x', 'PUBLISH other y', 'PUBLISH t z'),
      on(3, 'PUBSUB NUMSUB news sport nothing'), on(3, 'PUBSUB NUMPAT'), on(3, 'PUBSUB CHANNELS', sorted),
      on(3, 'PUBSUB CHANNELS n*'), on(3, 'PUBSUB CHANNELS *x*'),
      on(2, 'UNSUBSCRIBE news'), on(3, 'PUBLISH news again'), bye(0), on(3, 'PUBLISH news after'),
      on(3, 'PUBSUB NUMSUB news sport'), on(3, 'PUBSUB CHANNELS', sorted),
    ],
  },
  {
    name: 'glob patterns as Redis matches them',
    steps: [
      // one pattern per client where two could match the same channel (Redis sends those in hash order)
      on(0, 'PSUBSCRIBE h?llo x[^a]z e\\*scape [a-c]1'), on(1, 'PSUBSCRIBE [!b]*'), on(5, 'PSUBSCRIBE \\?'), on(3, 'PSUBSCRIBE *'), on(4, 'PSUBSCRIBE *\\] h[ae]y'),
      ...each(2, 'PUBLISH hello 1', 'PUBLISH hxllo 2', 'PUBLISH hey 3', 'PUBLISH hoy 4', 'PUBLISH xbz 5', 'PUBLISH xaz 6',
        'PUBLISH e*scape 7', 'PUBLISH eXscape 8', 'PUBLISH b1 9', 'PUBLISH d1 10', 'PUBLISH ? 11', 'PUBLISH a] 12', 'PUBLISH "" 13'),
    ],
  },
  {
    name: 'one connection on a channel and a matching pattern gets both; binary and empty payloads',
    steps: [
      on(0, 'SUBSCRIBE "bin\x00\xff\r\n"'), on(0, 'PSUBSCRIBE bin*'), on(0, 'SUBSCRIBE ""'),
      on(1, 'PUBLISH "bin\x00\xff\r\n" "pay\r\nload\x00"'), on(1, 'PUBLISH "" ""'), on(1, 'PUBLISH binary ""'),
      on(1, 'PUBSUB NUMSUB "bin\x00\xff\r\n" ""'),
    ],
  },
  {
    name: 'shard channels: SSUBSCRIBE / SPUBLISH are apart from channels and patterns',
    steps: [
      on(0, 'SSUBSCRIBE orders'), on(1, 'SUBSCRIBE orders'), on(2, 'PSUBSCRIBE ord*'),
      ...each(3, 'SPUBLISH orders s1', 'PUBLISH orders p1', 'PUBSUB SHARDCHANNELS', 'PUBSUB SHARDCHANNELS o*', 'PUBSUB SHARDCHANNELS x*',
        'PUBSUB SHARDNUMSUB orders nosuch', 'PUBSUB SHARDNUMSUB', 'PUBSUB NUMSUB orders', 'PUBSUB CHANNELS'),
      on(0, 'SUNSUBSCRIBE orders'), on(3, 'SPUBLISH orders s2'), on(3, 'PUBSUB SHARDCHANNELS'),
    ],
  },
  {
    name: 'a publisher\'s messages arrive in order, pipelined',
    steps: [
      on(0, 'SUBSCRIBE q'), on(1, 'PSUBSCRIBE q'),
      pipe(2, ...Array.from({ length: 50 }, (_, i) => `PUBLISH q m${i}`)),
    ],
  },
  {
    name: 'PUBSUB errors and HELP',
    steps: [
      ...each(0, 'PUBSUB', 'PUBSUB nosuch', 'PUBSUB NUMPAT x', 'PUBSUB CHANNELS a b', 'PUBSUB SHARDCHANNELS a b', 'PUBSUB NUMSUB',
        'pubsub numsub A', 'PUBSUB SHARDNUMSUB x y'),
      on(0, 'PUBSUB HELP', (r) => r.toString('latin1').split('\r\n').slice(0, 2).join('|') + `|lines=${r.toString('latin1').split('\r\n').length}`),
    ],
  },
];

const resp3: Scenario[] = [
  {
    name: 'RESP3: pushes, commands while subscribed, own messages before the reply',
    resp: 3,
    steps: [
      on(0, 'SUBSCRIBE a'), on(0, 'PSUBSCRIBE a*'), on(0, 'GET x'), on(0, 'PING'), on(0, 'SET k v'),
      on(0, 'PUBLISH a hello'), on(0, 'SPUBLISH a x'), on(1, 'PUBLISH a from1'), on(1, 'PUBLISH ab from1'),
      pipe(0, 'SET k2 v', 'PUBLISH a self', 'GET k2'), on(0, 'UNSUBSCRIBE x'), on(0, 'UNSUBSCRIBE'), on(0, 'PUNSUBSCRIBE'),
      on(1, 'PUBLISH a gone'),
    ],
  },
  {
    name: 'HELLO while subscribed: RESP3 → RESP2 changes the message shape, RESP2 refuses HELLO',
    steps: [
      { c: 0, hello3: true }, on(0, 'SUBSCRIBE a'), on(1, 'PUBLISH a one'), on(0, 'HELLO 2', 'hello'),
      on(1, 'PUBLISH a two'), on(0, 'HELLO 3'), on(0, 'PING'), on(0, 'RESET'), on(1, 'PUBLISH a three'),
    ],
  },
  {
    name: 'CLIENT LIST shows pub/sub flags and counts',
    otherRule: nameMasked,
    steps: [
      on(0, 'SUBSCRIBE a b'), on(0, 'PSUBSCRIBE c'), on(1, 'SSUBSCRIBE d'), on(2, 'CLIENT LIST', clientList(['flags', 'sub', 'psub', 'ssub'])),
      on(2, 'CLIENT LIST TYPE pubsub', clientList(['flags'])), on(2, 'CLIENT LIST TYPE normal', clientList(['flags'])),
      on(2, 'INFO stats', infoField('pubsub_channels', 'pubsub_patterns', 'pubsubshard_channels')),
      on(0, 'UNSUBSCRIBE', nameMasked), on(2, 'CLIENT LIST', clientList(['flags', 'sub', 'psub', 'ssub'])),
      on(2, 'CLIENT KILL TYPE pubsub'), on(2, 'PUBSUB NUMSUB d'), on(2, 'PUBSUB NUMPAT'),
      on(2, 'INFO stats', infoField('pubsub_channels', 'pubsub_patterns', 'pubsubshard_channels')),
    ],
  },
];

const monitor: Scenario[] = [
  {
    name: 'MONITOR: lines of every client, escapes, redacted secrets, admin commands left out',
    otherRule: monitorLine,
    steps: [
      on(0, 'MONITOR'), on(0, 'MONITOR'), on(0, 'GET x', monitorLine), on(0, 'PING', monitorLine), on(0, 'ECHO "a b"', monitorLine),
      ...each(1, 'SET k "a\x00b\n\\"\\\\\x7f\t\x07\x08\r"', 'SELECT 3', 'GET k', 'AUTH foo'),
      on(1, 'HELLO 2 AUTH default pw', 'hello'), on(1, 'CONFIG GET maxmemory'), on(1, 'GETX'), on(1, 'GET'),
      on(1, 'INFO server', 'ignore'), on(1, 'CLIENT ID', 'ignore'), on(1, 'CLIENT LIST', 'ignore'),
      ...each(1, 'PUBLISH a b', 'MGET a b c', 'LPUSH l 1 2', 'WRONGTYPE', 'LPOP k'),
      pipe(1, 'SET a 1', 'INCR a', 'SELECT 0'), on(2, 'MONITOR'), on(1, 'ECHO both'),
      on(0, 'RESET'), on(1, 'ECHO one'), bye(2), on(1, 'ECHO none'),
    ],
  },
];

const ALL: [string, Scenario[]][] = [
  ['subscribed mode', subscribedMode], ['delivery', delivery], ['RESP3', resp3], ['MONITOR', monitor],
];

describeDiff('differential: pub/sub and MONITOR', () => {
  const env = useDiffEnv();
  registerScenarios(env, ALL);
});

describeDiff('differential: pub/sub and MONITOR, two worker threads', () => {
  // DEBUG SLEEP (enable-debug-command) lets spreadConnections place clients on both workers
  const env = useDiffEnv({ target: { threads: 2, config: { 'enable-debug-command': 'local' } } });
  registerScenarios(env, ALL.map(([n, list]) => [n, list.map((sc) => ({ ...sc, spreadWorkers: true }))]), [2]);

  it('100,000 messages reach subscribers on every worker, none lost or reordered', async () => {
    const t = env.target();
    const N = Number(process.env.PUBSUB_STRESS_N ?? 100_000);
    const SUBS = 4;
    const subs = t.kind === 'redis'
      ? await Promise.all(Array.from({ length: SUBS }, () => RawClient.connect(t.port, { host: t.host })))
      : await spreadConnections({ host: t.host, port: t.port, name: t.name }, SUBS);
    const state = subs.map(() => ({ text: '', next: 0, bad: 0 }));
    const pattern = /^\*(3|4)\r\n\$\d+\r\np?message\r\n(?:\$\d+\r\ns\*\r\n)?\$\d+\r\nseq\r\n\$\d+\r\n(\d+)\r\n/;
    const done = subs.map((c, i) => new Promise<void>((resolve, reject) => {
      const st = state[i]!;
      c.socket.on('data', (d: Buffer) => {
        st.text += d.toString('latin1');
        for (;;) {
          const m = pattern.exec(st.text);
          if (!m) break;
          if (Number(m[2]) !== st.next) st.bad++;
          st.next = Number(m[2]) + 1;
          st.text = st.text.slice(m[0].length);
        }
        if (st.next === N) resolve();
      });
      setTimeout(() => reject(new Error(`subscriber ${i} got ${st.next} of ${N}`)), 50_000);
    }));
    // half the subscribers listen on the channel, half on a pattern
    await Promise.all(subs.map((c, i) => new Promise<void>((resolve) => {
      const want = i % 2 ? 'psubscribe' : 'subscribe';
      const onData = (d: Buffer) => { if (d.toString('latin1').includes(want)) { c.socket.off('data', onData); resolve(); } };
      c.socket.on('data', onData);
      c.write(Buffer.from(i % 2 ? '*2\r\n$10\r\nPSUBSCRIBE\r\n$2\r\ns*\r\n' : '*2\r\n$9\r\nSUBSCRIBE\r\n$3\r\nseq\r\n'));
    })));
    for (const st of state) st.text = '';
    const pub = await RawClient.connect(t.port, { host: t.host });
    let counts = 0;
    let replyText = '';
    pub.socket.on('data', (d: Buffer) => {
      replyText += d.toString('latin1');
      const lines = replyText.split('\r\n');
      replyText = lines.pop()!;
      for (const l of lines) if (l === `:${SUBS}`) counts++;
    });
    for (let i = 0; i < N;) {
      const parts: string[] = [];
      for (let j = 0; j < 500 && i < N; j++, i++) {
        const v = String(i);
        parts.push(`*3\r\n$7\r\nPUBLISH\r\n$3\r\nseq\r\n$${v.length}\r\n${v}\r\n`);
      }
      if (!pub.socket.write(parts.join(''))) await new Promise((r) => pub.socket.once('drain', r));
    }
    await Promise.all(done);
    expect(state.map((s) => s.bad)).toEqual(state.map(() => 0));
    expect(state.map((s) => s.next)).toEqual(state.map(() => N));
    for (let i = 0; i < 200 && counts < N; i++) await new Promise((r) => setTimeout(r, 10));
    expect(counts).toBe(N); // every PUBLISH reached all four subscribers
    for (const c of [...subs, pub]) await c.close();
  }, 90_000);
});
