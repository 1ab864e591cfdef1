/**
 * Multi-client differential scenarios: several raw connections per server, commands sent one
 * step at a time, and a log of which client received which reply bytes after each step. The same
 * scenario runs against redis-server (the oracle) and the target, and the two logs must be equal.
 * This is what blocking commands need: a reply that arrives on client 1 because client 2 pushed,
 * a pipeline that resumes only once its blocked command is served, a timeout firing during a
 * sleep.
 *
 * A scenario is a list of steps over clients numbered 0..N-1:
 *
 *   { c: 1, cmd: 'BLPOP k 0' }            send one command on client 1 (redis-cli syntax or args)
 *   { c: 1, pipeline: ['BLPOP k 0', 'PING'] }   several commands in one write
 *   { c: 1, raw: '...' }                  arbitrary bytes (latin1)
 *   { c: 0, hello3: true }                switch client 0 to RESP3 (reply compared with rule hello)
 *   { sleep: 150 }                        wait (replies arriving meanwhile are logged for this step)
 *   { close: 2 }                          client 2 disconnects
 *   { clientIdOf: 1 }                     (re)read client 1's CLIENT ID on each server
 *
 * `idOf(n)` in a command's arguments stands for client n's CLIENT ID, substituted per server (ids
 * differ between servers); every client's id is read when the scenario starts.
 *
 * Scenario options: `resp` (every client's protocol), `allAnswered` (fail if Redis leaves a
 * command unanswered: guards transcripts of immediate replies against an accidental block),
 * `spreadWorkers` (a two-thread target gets its clients on alternate workers, sorted with DEBUG
 * SLEEP; see spreadConnections).
 *
 * After each step the harness waits for the step's own replies on both servers — unless Redis
 * has not answered within `settle` ms (default 30) for a command that may block (BLPOP & co.), or
 * 100 ms for any other (queued behind a blocked command): then the step is taken as waiting —
 * and then until both logs agree and no bytes arrived for a short while, or a deadline passes. A
 * slow server (2 busy cores) delays a step's replies but does not move them to another step.
 *
 * Replies that legitimately differ get a rule, applied to the replies that answer the step's own
 * commands (the last k replies of the stepping client, k = commands in the step): a rule maps a
 * reply to a comparable string. Built in: 'exact', 'hello' (HELLO map without id and version
 * patch), 'ignore', and factories clientList() (CLIENT LIST lines as "c<i> <fields>", ids mapped
 * to client numbers) and infoField() (one INFO line).
 */
import { it } from 'vitest';
import { skipUnlessImplemented, type DiffEnv } from './transcript.js';
import { RawClient, encodeCommand, escapeBytes, internalReplyLength, parseReplyTree, type Arg } from './raw-client.js';
import { parseLine, formatArgs } from './transcript.js';

export type Cmd = string | Arg[];

/** Maps one reply to a string; two replies are equal under the rule when their strings are. */
export type Normaliser = (reply: Buffer, ctx: { ids: readonly number[] }) => string;
export type LogRule = 'exact' | 'hello' | 'ignore' | Normaliser;

export type ScenarioStep =
  | { c: number; cmd: Cmd; rule?: LogRule; settle?: number }
  | { c: number; pipeline: Cmd[]; rule?: LogRule; settle?: number }
  | { c: number; raw: string; settle?: number }
  | { c: number; hello3: true }
  | { sleep: number }
  | { close: number }
  | { clientIdOf: number };

export interface Scenario {
  name: string;
  /** Number of clients (default: 1 + the highest client number used). */
  clients?: number;
  /** Protocol of every client from the start (default 2). */
  resp?: 2 | 3;
  /**
   * Every command gets its reply within its own step (nothing blocks): a step whose commands Redis
   * left unanswered fails the scenario, so that a list emptied by mistake cannot turn the rest of
   * a transcript of immediate replies into silently queued commands.
   */
  allAnswered?: boolean;
  /**
   * The target runs two worker threads: put consecutive clients on alternate workers (needs DEBUG
   * SLEEP on the target, i.e. enable-debug-command; the oracle's clients are opened as usual).
   */
  spreadWorkers?: boolean;
  /**
   * Rule for every reply that does not answer the step's own commands (messages, MONITOR lines,
   * replies of other clients); default 'exact'.
   */
  otherRule?: LogRule;
  steps: ScenarioStep[];
}

export interface Endpoint {
  host: string;
  port: number;
  name: string;
}

const ID_MARK = '\u0000client-id-of:';

/** Placeholder for client n's CLIENT ID in a command's arguments (substituted per server). */
export function idOf(n: number): string {
  return `${ID_MARK}${n}`;
}

const DEFAULT_SETTLE = 30;
/** Commands that may block: a step with one of them waits `settle` ms instead of for its replies. */
const BLOCKING = new Set(['BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP', 'XREAD', 'XREADGROUP', 'WAIT']);
/** A step's replies may keep both logs apart for at most this long before it counts as a mismatch. */
const STEP_DEADLINE = 1000;
/** A command Redis has not answered after this long is taken as queued behind a blocked one. */
const QUEUED_CUTOFF = 100;
/** Quiet time (no bytes on any client) before a step is considered complete. */
const QUIET = 10;

// ─── rules ───────────────────────────────────────────────────────────────────────────────────

function helloNormalise(reply: Buffer): string {
  let n;
  try {
    n = parseReplyTree(reply).node;
  } catch {
    return reply.toString('latin1');
  }
  if (!n.children) return reply.toString('latin1');
  const parts: string[] = [n.type];
  for (let i = 0; i < n.children.length; i++) {
    const prev = i % 2 === 1 ? n.children[i - 1]!.data?.toString('latin1') : undefined;
    const c = n.children[i]!;
    if (prev === 'id') parts.push('id:<any>');
    else if (prev === 'version') parts.push((c.data?.toString('latin1') ?? '').split('.').slice(0, 2).join('.'));
    else parts.push(c.raw.toString('latin1'));
  }
  return parts.join('|');
}

/** Text of a bulk / verbatim / simple reply (verbatim's "txt:" prefix removed). */
function textOf(reply: Buffer): string | undefined {
  try {
    const n = parseReplyTree(reply).node;
    if (!n.data || n.children) return undefined;
    const s = n.data.toString('latin1');
    return n.type === '=' ? s.slice(4) : s;
  } catch {
    return undefined;
  }
}

/**
 * CLIENT LIST (or CLIENT INFO) compared on the given fields only: each line becomes
 * "c<i> field=value …" where i is the scenario's client with that id ("other" for connections
 * the scenario does not own); lines are sorted.
 */
export function clientList(fields: readonly string[] = ['flags', 'db']): Normaliser {
  return (reply, { ids }) => {
    const text = textOf(reply);
    if (text === undefined) return reply.toString('latin1');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    return lines
      .map((line) => {
        const kv = new Map(line.trim().split(' ').map((f) => {
          const i = f.indexOf('=');
          return [f.slice(0, i), f.slice(i + 1)] as const;
        }));
        const idx = ids.indexOf(Number(kv.get('id')));
        return [idx >= 0 ? `c${idx}` : 'other', ...fields.map((f) => `${f}=${kv.get(f) ?? '<missing>'}`)].join(' ');
      })
      .sort()
      .join(' | ');
  };
}

/** The `name:value` lines of an INFO reply for the given names ("<missing name>" if absent). */
export function infoField(...names: string[]): Normaliser {
  return (reply) => {
    const text = textOf(reply);
    if (text === undefined) return reply.toString('latin1');
    const lines = text.split('\r\n');
    return names.map((name) => lines.find((l) => l.startsWith(`${name}:`)) ?? `<missing ${name}>`).join(' ');
  };
}

/** A HELLO reply: a map (RESP3) or array (RESP2) starting with "server". */
function isHello(reply: Buffer): boolean {
  return /^(%7|\*14)\r\n\$6\r\nserver\r\n/.test(reply.subarray(0, 24).toString('latin1'));
}

function normalise(rule: LogRule, reply: Buffer, ids: readonly number[]): string {
  if (rule === 'exact') return reply.toString('latin1');
  if (rule === 'ignore') return '<ignored>';
  if (rule === 'hello') return helloNormalise(reply);
  return rule(reply, { ids });
}

// ─── one server's run ────────────────────────────────────────────────────────────────────────

/** Bytes one client received during one step. */
interface ClientLog {
  bytes: Buffer;
  closed: boolean;
}

class Side {
  clients: RawClient[] = [];
  ids: number[] = [];
  /** Bytes received per client since the current step began. */
  recv: Buffer[] = [];
  closedAt: boolean[] = [];
  lastData = 0;

  constructor(readonly ep: Endpoint) {}

  async open(n: number, resp: 2 | 3, spread = false): Promise<void> {
    const raw = spread ? await spreadConnections(this.ep, n) : await Promise.all(
      Array.from({ length: n }, () => RawClient.connect(this.ep.port, { host: this.ep.host })),
    );
    const conns = await Promise.all(raw.map(async (c) => {
      if (resp === 3) await c.hello3();
      return { c, id: await readId(c) };
    }));
    for (let i = 0; i < n; i++) {
      const { c, id } = conns[i]!;
      this.ids.push(id);
      this.clients.push(c);
      this.recv.push(Buffer.alloc(0));
      this.closedAt.push(false);
      // from now on every byte is logged by this listener (RawClient's own buffer is not read)
      c.socket.on('data', (d: Buffer) => {
        this.recv[i] = Buffer.concat([this.recv[i]!, d]);
        this.lastData = Date.now();
      });
      c.socket.on('close', () => {
        this.closedAt[i] = true;
        this.lastData = Date.now();
      });
    }
  }

  /** The logs of the step that just ran, and a fresh start for the next one. */
  take(): ClientLog[] {
    const out = this.recv.map((b, i) => ({ bytes: b, closed: this.closedAt[i]! }));
    this.recv = this.recv.map(() => Buffer.alloc(0));
    return out;
  }

  peek(): ClientLog[] {
    return this.recv.map((b, i) => ({ bytes: b, closed: this.closedAt[i]! }));
  }

  subst(args: Arg[]): Arg[] {
    return args.map((a) => (typeof a === 'string' && a.startsWith(ID_MARK) ? String(this.ids[Number(a.slice(ID_MARK.length))]) : a));
  }

  close(): Promise<void[]> {
    return Promise.all(this.clients.map((c) => c.close()));
  }
}

/**
 * n connections to a server with two worker threads, alternating between the workers (client 0 on
 * one, client 1 on the other, …). The kernel hands connections to workers unevenly, so they are
 * sorted: while DEBUG SLEEP (enable-debug-command) busies the worker of a reference connection, a
 * PING on the other worker is answered first, one on the same worker only after the sleep.
 */
export async function spreadConnections(ep: Endpoint, n: number): Promise<RawClient[]> {
  const connect = () => RawClient.connect(ep.port, { host: ep.host });
  const ref = await connect();
  const same: RawClient[] = [ref];
  const other: RawClient[] = [];
  const spare: RawClient[] = [];
  const want = Math.ceil(n / 2);
  try {
    for (let round = 0; round < 20 && (same.length < want || other.length < want); round++) {
      const batch = await Promise.all(Array.from({ length: n + 2 }, connect));
      // a PING answered means a worker has accepted the connection (a worker busy in DEBUG SLEEP
      // accepts nothing, so connections still pending then would all go to the other one)
      await Promise.all(batch.map((c) => c.send('PING')));
      const sleeping = ref.send('DEBUG', 'SLEEP', '0.25').then((r) => {
        if (r[0] !== 0x2b) throw new Error(`spreadWorkers needs DEBUG SLEEP (enable-debug-command): ${r.toString('latin1')}`);
        return Date.now();
      });
      await sleep(80);
      const pongs = await Promise.all(batch.map((c) => c.send('PING').then(() => Date.now())));
      const slept = await sleeping;
      batch.forEach((c, i) => {
        const group = pongs[i]! < slept ? other : same;
        (group.length < want ? group : spare).push(c);
      });
    }
    if (same.length < want || other.length < want) {
      throw new Error(`spreadWorkers: found ${same.length} and ${other.length} connections on the two workers, need ${want} each`);
    }
  } catch (e) {
    await Promise.all([...same, ...other, ...spare].map((c) => c.close()));
    throw e;
  }
  await Promise.all(spare.map((c) => c.close()));
  const out: RawClient[] = [];
  for (let i = 0; i < n; i++) out.push(i % 2 === 0 ? same[i >> 1]! : other[i >> 1]!);
  await Promise.all([...same, ...other].filter((c) => !out.includes(c)).map((c) => c.close()));
  return out;
}

async function readId(c: RawClient): Promise<number> {
  const r = (await c.send('CLIENT', 'ID')).toString('latin1');
  const m = /^:(\d+)\r\n$/.exec(r);
  if (!m) throw new Error(`CLIENT ID answered ${escapeBytes(Buffer.from(r, 'latin1'))}`);
  return Number(m[1]);
}

/** Split received bytes into complete replies (plus an unframed tail, if any). */
function frame(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < b.length) {
    let n: number;
    try {
      n = internalReplyLength(b, at);
    } catch {
      n = -1;
    }
    if (n < 0) {
      out.push(Buffer.concat([Buffer.from('<unframed>'), b.subarray(at)]));
      break;
    }
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

// ─── the scenario log ────────────────────────────────────────────────────────────────────────

interface StepRecord {
  label: string;
  /** Per client: replies (raw), normalised forms, closed flag. */
  oracle: ClientLog[];
  target: ClientLog[];
  /** Client whose last `answers` replies are compared under `rule`. */
  c: number;
  answers: number;
  rule: LogRule;
  /** Per client mismatch reason, or null. */
  diff: (string | null)[];
}

function cmdArgs(cmd: Cmd): Arg[] {
  return typeof cmd === 'string' ? parseLine(cmd) : cmd;
}

function describeArgs(args: Arg[]): string {
  return formatArgs(args.map((a) => (typeof a === 'string' && a.startsWith(ID_MARK) ? `<id of c${a.slice(ID_MARK.length)}>` : a)));
}

function compareLogs(
  o: ClientLog[], t: ClientLog[], c: number, answers: number, rule: LogRule, oIds: number[], tIds: number[],
  otherRule: LogRule = 'exact',
): (string | null)[] {
  return o.map((ol, i) => {
    const tl = t[i]!;
    if (ol.closed !== tl.closed) return `connection ${ol.closed ? 'closed' : 'open'} on redis, ${tl.closed ? 'closed' : 'open'} on target`;
    if (ol.bytes.equals(tl.bytes)) return null;
    const or = frame(ol.bytes), tr = frame(tl.bytes);
    if (or.length !== tr.length) return `${or.length} vs ${tr.length} replies`;
    const ruledFrom = i === c && answers > 0 ? or.length - answers : or.length;
    for (let j = 0; j < or.length; j++) {
      // the step's own replies follow its rule; any HELLO reply (queued behind a blocked command,
      // say) is compared without its client id
      const r: LogRule = j >= ruledFrom ? rule : isHello(or[j]!) && isHello(tr[j]!) ? 'hello' : otherRule;
      const ruled = r !== 'exact';
      const a = normalise(r, or[j]!, oIds);
      const b = normalise(r, tr[j]!, tIds);
      if (a !== b) return ruled && typeof r === 'function' ? `differ under rule: ${JSON.stringify(a)} vs ${JSON.stringify(b)}` : 'replies differ';
    }
    return null;
  });
}

/** Result of one scenario run: the comparison and a printable transcript. */
export class ScenarioRun {
  readonly steps: StepRecord[] = [];
  constructor(
    readonly scenario: Scenario,
    readonly targetName: string,
  ) {}

  get failed(): boolean {
    return this.steps.some((s) => s.diff.some((d) => d !== null));
  }

  format(): string {
    const sc = this.scenario;
    const lines = [`scenario "${sc.name}" (RESP${sc.resp ?? 2}): redis-server (oracle) vs ${this.targetName} (target)`];
    this.steps.forEach((s, i) => {
      lines.push(`  step ${i}: ${s.label}`);
      const prev = i > 0 ? this.steps[i - 1] : undefined;
      const show = (l: ClientLog, was: ClientLog | undefined) =>
        `${l.bytes.length ? escapeBytes(l.bytes, 600) : '(nothing)'}${l.closed && !was?.closed ? ' <closed>' : ''}`;
      s.oracle.forEach((ol, c) => {
        const tl = s.target[c]!;
        const d = s.diff[c];
        if (d === null) {
          if (ol.bytes.length > 0 || (ol.closed && !prev?.oracle[c]!.closed)) lines.push(`      ok    c${c} ← ${show(ol, prev?.oracle[c])}`);
        } else {
          lines.push(`      FAIL  c${c}   (${d})`);
          lines.push(`              redis:  ${show(ol, prev?.oracle[c])}`);
          lines.push(`              target: ${show(tl, prev?.target[c])}`);
        }
      });
    });
    return lines.join('\n');
  }

  assertOk(): void {
    if (process.env.DIFF_VERBOSE) console.log(this.format());
    if (this.failed) {
      const n = this.steps.filter((s) => s.diff.some((d) => d !== null)).length;
      const err = new Error(`${n} step${n === 1 ? '' : 's'} differ from Redis\n${this.format()}`);
      err.stack = err.message;
      throw err;
    }
  }
}

function clientsOf(sc: Scenario): number {
  if (sc.clients !== undefined) return sc.clients;
  let max = 0;
  for (const s of sc.steps) {
    if ('c' in s) max = Math.max(max, s.c);
    if ('close' in s) max = Math.max(max, s.close);
    if ('clientIdOf' in s) max = Math.max(max, s.clientIdOf);
  }
  return max + 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `scenario` on both servers (fresh connections, after FLUSHALL through `admin` connections
 * of each) and return the comparison. Connections are closed afterwards.
 */
export async function runScenario(oracle: Endpoint, target: Endpoint, scenario: Scenario): Promise<ScenarioRun> {
  const run = new ScenarioRun(scenario, target.name);
  const sides = [new Side(oracle), new Side(target)] as const;
  await Promise.all(sides.map(async (s) => {
    const admin = await RawClient.connect(s.ep.port, { host: s.ep.host });
    await admin.send('FLUSHALL');
    await admin.close();
  }));
  const n = clientsOf(scenario);
  try {
    await Promise.all(sides.map((s, i) => s.open(n, scenario.resp ?? 2, i === 1 && scenario.spreadWorkers === true)));
    for (const step of scenario.steps) {
      let label: string;
      let c = -1;
      let answers = 0;
      let rule: LogRule = 'exact';
      let settle = DEFAULT_SETTLE;
      let mayBlock = false;
      if ('sleep' in step) {
        label = `sleep ${step.sleep} ms`;
        await sleep(step.sleep);
        settle = 0;
      } else if ('close' in step) {
        label = `c${step.close} disconnects`;
        for (const s of sides) s.clients[step.close]!.socket.destroy();
      } else if ('clientIdOf' in step) {
        label = `read CLIENT ID of c${step.clientIdOf}`;
        // the reply is consumed here, not logged (it differs between servers)
        await Promise.all(sides.map(async (s) => {
          const cl = s.clients[step.clientIdOf]!;
          const before = s.recv[step.clientIdOf]!.length;
          cl.write(Buffer.from('*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n'));
          const deadline = Date.now() + 5000;
          for (;;) {
            const got = s.recv[step.clientIdOf]!.subarray(before).toString('latin1');
            const m = /^:(\d+)\r\n/.exec(got);
            if (m) {
              s.ids[step.clientIdOf] = Number(m[1]);
              s.recv[step.clientIdOf] = s.recv[step.clientIdOf]!.subarray(0, before);
              break;
            }
            if (Date.now() > deadline) throw new Error(`CLIENT ID on ${s.ep.name}: no reply (is c${step.clientIdOf} blocked?)`);
            await sleep(5);
          }
        }));
        settle = 0;
      } else if ('hello3' in step) {
        c = step.c;
        label = `c${c}: HELLO 3`;
        answers = 1;
        rule = 'hello';
        for (const s of sides) s.clients[c]!.write(Buffer.from('*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n'));
      } else if ('raw' in step) {
        c = step.c;
        label = `c${c}: raw ${escapeBytes(Buffer.from(step.raw, 'latin1'), 120)}`;
        settle = step.settle ?? settle;
        for (const s of sides) s.clients[c]!.write(Buffer.from(step.raw, 'latin1'));
      } else {
        c = step.c;
        const cmds = 'cmd' in step ? [cmdArgs(step.cmd)] : step.pipeline.map(cmdArgs);
        label = `c${c}: ${cmds.map(describeArgs).join(' ; ')}${'pipeline' in step ? '  (one write)' : ''}`;
        answers = cmds.length;
        mayBlock = cmds.some((a) => BLOCKING.has(String(a[0]).toUpperCase()));
        rule = step.rule ?? 'exact';
        settle = step.settle ?? settle;
        if (typeof rule === 'function' || rule !== 'exact') label += `  [rule: ${typeof rule === 'string' ? rule : rule.name || 'custom'}]`;
        for (const s of sides) s.clients[c]!.write(Buffer.concat(cmds.map((a) => encodeCommand(s.subst(a)))));
      }
      // A step is complete once its replies are in on both servers — or, when Redis has not
      // answered within `settle` ms (a command that may block, such as BLPOP) or QUEUED_CUTOFF ms
      // (any other: it queues behind a blocked one), once it is taken as waiting. Then the logs
      // must agree and no bytes may have arrived for QUIET ms, or the deadline passes.
      const start = Date.now();
      const cutoff = mayBlock ? settle : QUEUED_CUTOFF;
      for (;;) {
        const o = sides[0].peek(), t = sides[1].peek();
        const elapsed = Date.now() - start;
        let complete: boolean;
        if (answers === 0) complete = elapsed >= settle;
        else {
          const oc = frame(o[c]!.bytes).length, tc = frame(t[c]!.bytes).length;
          complete = (oc >= answers && tc >= answers) || (oc < answers && elapsed >= cutoff);
        }
        const diff = compareLogs(o, t, c, answers, rule, sides[0].ids, sides[1].ids, scenario.otherRule);
        const silent = Date.now() - Math.max(sides[0].lastData, sides[1].lastData);
        if ((complete && diff.every((d) => d === null) && silent >= QUIET) || elapsed > STEP_DEADLINE) break;
        await sleep(complete ? Math.max(1, QUIET - silent) : 2);
      }
      const o = sides[0].take(), t = sides[1].take();
      const diff = compareLogs(o, t, c, answers, rule, sides[0].ids, sides[1].ids, scenario.otherRule);
      if (scenario.allAnswered && answers > 0 && frame(o[c]!.bytes).length < answers) {
        diff[c] = `redis answered ${frame(o[c]!.bytes).length} of ${answers} commands: a scenario marked allAnswered blocked`;
      }
      run.steps.push({ label, oracle: o, target: t, c, answers, rule, diff });
    }
  } finally {
    await Promise.all(sides.map((s) => s.close()));
  }
  return run;
}

/** Upper-case command names a scenario sends (to skip it while the target lacks one). */
export function commandsOf(sc: Scenario): string[] {
  const names = new Set<string>();
  for (const s of sc.steps) {
    const cmds = 'cmd' in s ? [s.cmd] : 'pipeline' in s ? s.pipeline : [];
    for (const c of cmds) {
      const args = typeof c === 'string' ? parseLine(c) : c;
      if (args.length) names.add(String(args[0]).toUpperCase());
    }
  }
  return [...names];
}

/**
 * One vitest test per scenario and protocol (scenarios that set `resp` run once), each comparing
 * the target with the oracle of `env`.
 */
export function registerScenarios(env: DiffEnv, groups: [string, Scenario[]][], protocols: readonly (2 | 3)[] = [2, 3]): void {
  for (const [, list] of groups) {
    for (const sc of list) {
      for (const resp of sc.resp ? [sc.resp] : protocols) {
        const label = `${sc.name} (RESP${resp})`;
        it(label, async (ctx) => {
          if (await skipUnlessImplemented(env, commandsOf(sc), label, ctx)) return;
          const o = env.oracle(), t = env.target();
          const run = await runScenario(
            { host: o.host, port: o.port, name: 'redis-server' },
            { host: t.host, port: t.port, name: t.name },
            // (a redis-server target, WASMDIS_TARGET=redis, has no workers to spread over)
            { ...sc, resp, spreadWorkers: sc.spreadWorkers === true && t.kind !== 'redis' },
          );
          run.assertOk();
        }, 60_000);
      }
    }
  }
}
