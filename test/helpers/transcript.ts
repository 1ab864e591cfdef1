/**
 * Transcript-style differential testing: every command goes to the oracle (redis-server) and to
 * the target, and the raw replies are compared. On mismatch the whole transcript is printed:
 * command, Redis's reply, our reply, as escaped raw bytes.
 *
 * Steps are written like redis-cli input: `'SET k "hello world" EX 10'` (double quotes accept
 * \n \r \t \" \\ \xHH, single quotes are literal), or as an argument array, or as an object with
 * a comparison rule. A string may start with a rule prefix: `'sort: KEYS *'`, `'ttl: TTL k'`.
 *
 * Rules for replies that are inherently nondeterministic:
 *   exact   byte for byte (default)
 *   sort    top-level array/set elements compared as a sorted multiset (KEYS)
 *   ttl     integers within ±1, negatives exact (TTL, EXPIRETIME)
 *   pttl    integers within ±PTTL_TOLERANCE ms, negatives exact (PTTL, PEXPIRETIME)
 *   shape   same RESP types and aggregate sizes, values ignored (OBJECT IDLETIME, RANDOMKEY)
 *   help    both arrays of simple strings with the same first line (HELP prose is our own)
 *   scan    both are a SCAN page: [bulk cursor, array of bulks]; cursor and elements ignored
 *   hello   HELLO map with `id` ignored and `version` compared on major.minor
 *   ignore  anything goes (both must still send one well-formed reply)
 */
import { describe, it, beforeAll, afterAll } from 'vitest';
import {
  RawClient,
  encodeCommand,
  escapeBytes,
  parseReplyTree,
  toBuf,
  type Arg,
  type ReplyNode,
} from './raw-client.js';
import { startRedis, describeWithRedis, redisVersion, type RedisInstance } from './redis-oracle.js';
import { startWasmdis, type Target, type TargetOptions } from './targets.js';

export const PTTL_TOLERANCE = 250;

export type CustomRule = (oracle: Buffer, target: Buffer) => string | null;
export type RuleName = 'exact' | 'sort' | 'ttl' | 'pttl' | 'shape' | 'scan' | 'hello' | 'help' | 'ignore';
export type Rule = RuleName | CustomRule;

export interface Step {
  args: Arg[];
  rule?: Rule;
}
export interface SleepStep {
  sleep: number;
}
/** Iterate SCAN to completion on each server separately and compare the sorted key sets. */
export interface ScanAllStep {
  scanAll: Arg[];
  /** Command to iterate (default SCAN); e.g. 'SSCAN' with key as first scanAll arg. */
  command?: string;
}
export type StepInput = string | Arg[] | Step | SleepStep | ScanAllStep;

const RULE_PREFIX = /^(exact|sort|ttl|pttl|shape|scan|hello|help|ignore):\s+/;
const SCANALL_PREFIX = /^scanall:\s*/;

/** Split a redis-cli style line into arguments. */
export function parseLine(line: string): Arg[] {
  const out: Arg[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) break;
    const bytes: number[] = [];
    let quoted = false;
    while (i < n && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === '"') {
        quoted = true;
        i++;
        while (i < n && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < n) {
            const e = line[i + 1]!;
            if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
              bytes.push(parseInt(line.slice(i + 2, i + 4), 16));
              i += 4;
              continue;
            }
            const map: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, a: 7, '"': 34, '\\': 92 };
            bytes.push(map[e] ?? e.charCodeAt(0));
            i += 2;
          } else {
            for (const b of Buffer.from(line[i]!, 'utf8')) bytes.push(b);
            i++;
          }
        }
        if (i >= n) throw new Error(`unbalanced quotes in ${line}`);
        i++;
      } else if (c === "'") {
        quoted = true;
        i++;
        while (i < n && line[i] !== "'") {
          for (const b of Buffer.from(line[i]!, 'utf8')) bytes.push(b);
          i++;
        }
        if (i >= n) throw new Error(`unbalanced quotes in ${line}`);
        i++;
      } else {
        for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
        i++;
      }
    }
    const buf = Buffer.from(bytes);
    out.push(quoted || buf.some((b) => b > 127) ? buf : buf.toString('latin1'));
  }
  return out;
}

export function toStep(input: StepInput): Step | SleepStep | ScanAllStep {
  if (typeof input === 'string') {
    const sa = SCANALL_PREFIX.exec(input);
    if (sa) return { scanAll: parseLine(input.slice(sa[0].length)) };
    const m = RULE_PREFIX.exec(input);
    if (m) return { args: parseLine(input.slice(m[0].length)), rule: m[1] as RuleName };
    return { args: parseLine(input) };
  }
  if (Array.isArray(input)) return { args: input };
  return input;
}

/** Printable command: args separated by spaces, quoted when needed. */
export function formatArgs(args: readonly Arg[]): string {
  return args
    .map((a) => {
      const b = toBuf(a);
      const s = b.toString('latin1');
      if (b.length > 0 && /^[\x21-\x7e]*$/.test(s) && !/["'\\]/.test(s)) {
        return s.length > 80 ? `${s.slice(0, 60)}…(${s.length} bytes)` : s;
      }
      return escapeBytes(b, 60);
    })
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// comparison

function intOf(n: ReplyNode): number | undefined {
  if (n.type !== ':' || !n.data) return undefined;
  return Number(n.data.toString('latin1'));
}

function shapeOf(n: ReplyNode): string {
  if (n.children) return `${n.type}${n.children.length}[${n.children.map(shapeOf).join(',')}]`;
  if (n.data === null) return `${n.type}null`;
  if (n.type === '-' || n.type === '!') {
    // error code (first word) matters even when the text does not
    return `${n.type}${n.data.toString('latin1').split(' ')[0]}`;
  }
  return n.type;
}

function tolerance(a: ReplyNode, b: ReplyNode, tol: number): string | null {
  const x = intOf(a);
  const y = intOf(b);
  if (x === undefined || y === undefined) return a.raw.equals(b.raw) ? null : 'replies differ';
  if (x < 0 || y < 0) return x === y ? null : 'replies differ';
  return Math.abs(x - y) <= tol ? null : `integers differ by ${Math.abs(x - y)} (> ${tol})`;
}

function helloNormalise(n: ReplyNode): string {
  if (!n.children) return n.raw.toString('latin1');
  const parts: string[] = [n.type, String(n.children.length)];
  for (let i = 0; i < n.children.length; i++) {
    const c = n.children[i]!;
    const prev = i > 0 ? n.children[i - 1]!.data?.toString('latin1') : undefined;
    if (i % 2 === 1 && prev === 'id') parts.push(`id:${c.type}`);
    else if (i % 2 === 1 && prev === 'version') {
      parts.push(`version:${(c.data?.toString('latin1') ?? '').split('.').slice(0, 2).join('.')}`);
    } else parts.push(c.raw.toString('latin1'));
  }
  return parts.join('|');
}

/** null when equal under the rule, else a reason. */
export function compareReplies(rule: Rule, oracle: Buffer, target: Buffer): string | null {
  if (typeof rule === 'function') return rule(oracle, target);
  if (rule === 'exact') return oracle.equals(target) ? null : 'replies differ';
  let a: ReplyNode;
  let b: ReplyNode;
  try {
    a = parseReplyTree(oracle).node;
    b = parseReplyTree(target).node;
  } catch (e) {
    return `unparseable reply: ${(e as Error).message}`;
  }
  switch (rule) {
    case 'ignore':
      return null;
    case 'scan': {
      const isPage = (n: ReplyNode) =>
        n.type === '*' &&
        n.children?.length === 2 &&
        n.children[0]!.type === '$' &&
        n.children[1]!.type === '*' &&
        (n.children[1]!.children ?? []).every((c) => c.type === '$');
      if (isPage(a) && isPage(b)) return null;
      return a.raw.equals(b.raw) ? null : 'not both SCAN pages';
    }
    case 'shape':
      return shapeOf(a) === shapeOf(b) ? null : `shapes differ: ${shapeOf(a)} vs ${shapeOf(b)}`;
    case 'ttl':
      return tolerance(a, b, 1);
    case 'pttl':
      return tolerance(a, b, PTTL_TOLERANCE);
    case 'hello':
      return helloNormalise(a) === helloNormalise(b) ? null : 'HELLO replies differ (ignoring id, version patch)';
    case 'help': {
      // HELP texts are prose, written in our own words: same kind of reply (an array of simple
      // strings) with the same first line, "<COMMAND> <subcommand> [<arg> [value] [opt] ...]. …"
      const lines = (n: ReplyNode) => (n.type === '*' && n.children?.every((c) => c.type === '+') ? n.children : undefined);
      const la = lines(a), lb = lines(b);
      if (!la || !lb) return a.raw.equals(b.raw) ? null : 'not both HELP replies';
      return la[0]!.raw.equals(lb[0]!.raw) ? null : 'HELP first lines differ';
    }
    case 'sort': {
      if (!a.children || !b.children || a.type !== b.type) return a.raw.equals(b.raw) ? null : 'replies differ';
      const sa = a.children.map((c) => c.raw.toString('latin1')).sort();
      const sb = b.children.map((c) => c.raw.toString('latin1')).sort();
      return sa.length === sb.length && sa.every((x, i) => x === sb[i]) ? null : 'elements differ (sorted)';
    }
  }
  return 'unknown rule';
}

// ---------------------------------------------------------------------------------------------
// transcript

export interface Entry {
  cmd: string;
  oracle: Buffer;
  target: Buffer;
  rule: Rule;
  mismatch: string | null;
}

export class Pair {
  readonly entries: Entry[] = [];
  constructor(
    readonly oracle: RawClient,
    readonly target: RawClient,
    readonly targetName: string,
  ) {}

  static async open(o: { host: string; port: number }, t: Target, resp: 2 | 3 = 2): Promise<Pair> {
    const [oc, tc] = await Promise.all([
      RawClient.connect(o.port, { host: o.host }),
      RawClient.connect(t.port, { host: t.host }),
    ]);
    const p = new Pair(oc, tc, t.name);
    if (resp === 3) await p.cmd({ args: ['HELLO', '3'], rule: 'hello' });
    return p;
  }

  get failed(): boolean {
    return this.entries.some((e) => e.mismatch !== null);
  }

  /** Send one command to both servers and record the comparison. */
  async cmd(input: StepInput): Promise<Entry | undefined> {
    const step = toStep(input);
    if ('sleep' in step) {
      await new Promise((r) => setTimeout(r, step.sleep));
      return undefined;
    }
    if ('scanAll' in step) return this.scanAll(step.scanAll, step.command);
    const [oracle, target] = await Promise.all([
      this.oracle.send(...step.args).catch((e: Error) => Buffer.from(`<<${e.message}>>`)),
      this.target.send(...step.args).catch((e: Error) => Buffer.from(`<<${e.message}>>`)),
    ]);
    const rule = step.rule ?? 'exact';
    const entry: Entry = {
      cmd: formatArgs(step.args),
      oracle,
      target,
      rule,
      mismatch: compareReplies(rule, oracle, target),
    };
    this.entries.push(entry);
    return entry;
  }

  /**
   * SCAN (or SSCAN/HSCAN/ZSCAN with the key first in `opts`) until the cursor returns to 0, on
   * each server independently; the entry's replies are the sorted, de-duplicated elements as a
   * RESP array (or the first error reply).
   */
  async scanAll(opts: Arg[], command = 'SCAN'): Promise<Entry> {
    const keyed = command.toUpperCase() !== 'SCAN';
    const run = async (c: RawClient): Promise<Buffer> => {
      let cursor = '0';
      const seen = new Set<string>();
      for (let i = 0; i < 100_000; i++) {
        const args: Arg[] = keyed ? [command, opts[0]!, cursor, ...opts.slice(1)] : [command, cursor, ...opts];
        const reply = await c.send(...args);
        const node = parseReplyTree(reply).node;
        if (node.type !== '*' || !node.children || node.children.length !== 2) return reply;
        cursor = node.children[0]!.data!.toString('latin1');
        for (const el of node.children[1]!.children ?? []) seen.add(el.raw.toString('latin1'));
        if (cursor === '0') break;
      }
      const sorted = [...seen].sort();
      return Buffer.from(`*${sorted.length}\r\n${sorted.join('')}`, 'latin1');
    };
    const [oracle, target] = await Promise.all([
      run(this.oracle).catch((e: Error) => Buffer.from(`<<${e.message}>>`)),
      run(this.target).catch((e: Error) => Buffer.from(`<<${e.message}>>`)),
    ]);
    const entry: Entry = {
      cmd: `${command} … ${formatArgs(opts)} (full iteration, sorted)`,
      oracle,
      target,
      rule: 'exact',
      mismatch: oracle.equals(target) ? null : 'scanned sets differ',
    };
    this.entries.push(entry);
    return entry;
  }

  async run(steps: readonly StepInput[]): Promise<void> {
    for (const s of steps) await this.cmd(s);
  }

  /**
   * Write raw bytes to both servers, collect whatever comes back until both are quiet (or closed),
   * and compare bytes and whether the connection was closed.
   */
  async raw(
    bytes: string | Uint8Array,
    label?: string,
    opts: { idleMs?: number; firstMs?: number; byteByByte?: boolean } = {},
  ): Promise<Entry> {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    if (opts.byteByByte) {
      for (let i = 0; i < buf.length; i++) {
        this.oracle.write(buf.subarray(i, i + 1));
        this.target.write(buf.subarray(i, i + 1));
        await new Promise((r) => setImmediate(r));
      }
    } else {
      this.oracle.write(buf);
      this.target.write(buf);
    }
    const idle = opts.idleMs ?? 150;
    const first = opts.firstMs ?? 2000;
    const [o, t] = await Promise.all([this.oracle.collect(idle, first), this.target.collect(idle, first)]);
    const ob = Buffer.concat([o.bytes, Buffer.from(o.closed ? '<closed>' : '<open>')]);
    const tb = Buffer.concat([t.bytes, Buffer.from(t.closed ? '<closed>' : '<open>')]);
    const entry: Entry = {
      cmd: `raw ${label ?? escapeBytes(buf, 120)}`,
      oracle: ob,
      target: tb,
      rule: 'exact',
      mismatch: ob.equals(tb) ? null : o.closed !== t.closed ? 'connection state differs' : 'replies differ',
    };
    this.entries.push(entry);
    return entry;
  }

  /** Readable transcript; the failing lines show both replies. */
  format(maxLines = 400): string {
    const lines: string[] = [`transcript: redis-server (oracle) vs ${this.targetName} (target)`];
    const entries = this.entries.length > maxLines ? this.entries.slice(-maxLines) : this.entries;
    if (entries !== this.entries) lines.push(`  … ${this.entries.length - maxLines} earlier commands`);
    for (const e of entries) {
      const rule = typeof e.rule === 'string' && e.rule !== 'exact' ? ` [${e.rule}]` : '';
      if (e.mismatch === null) {
        lines.push(`  ok    ${e.cmd}${rule}  →  ${escapeBytes(e.oracle, 160)}`);
      } else {
        lines.push(`  FAIL  ${e.cmd}${rule}   (${e.mismatch})`);
        let at = 0;
        const n = Math.min(e.oracle.length, e.target.length);
        while (at < n && e.oracle[at] === e.target[at]) at++;
        if (at > 300 || Math.max(e.oracle.length, e.target.length) > 600) {
          // long replies: show where they start to differ
          const from = Math.max(0, at - 80);
          lines.push(
            `          (redis ${e.oracle.length} bytes, target ${e.target.length} bytes; first difference at byte ${at}; showing from byte ${from})`,
          );
          lines.push(`          redis:  …${escapeBytes(e.oracle.subarray(from), 400)}`);
          lines.push(`          target: …${escapeBytes(e.target.subarray(from), 400)}`);
        } else {
          lines.push(`          redis:  ${escapeBytes(e.oracle, 600)}`);
          lines.push(`          target: ${escapeBytes(e.target, 600)}`);
        }
      }
    }
    return lines.join('\n');
  }

  /** Throw with the transcript if anything differed. */
  assertOk(): void {
    if (process.env.DIFF_VERBOSE) console.log(this.format());
    if (this.failed) {
      const n = this.entries.filter((e) => e.mismatch !== null).length;
      const err = new Error(`${n} repl${n === 1 ? 'y differs' : 'ies differ'} from Redis\n${this.format()}`);
      err.stack = err.message; // the transcript is the useful part
      throw err;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.oracle.close(), this.target.close()]);
  }
}

// ---------------------------------------------------------------------------------------------
// suite plumbing

export interface DiffEnv {
  oracle(): RedisInstance;
  target(): Target;
  /** New connections to both servers, both flushed (FLUSHALL), RESP2 or after HELLO 3. */
  pair(resp?: 2 | 3, flush?: boolean): Promise<Pair>;
}

/**
 * Inside a describe(): start one oracle and one target for the file, stop them afterwards.
 */
export function useDiffEnv(opts: { target?: TargetOptions; oracleConfig?: Record<string, string> } = {}): DiffEnv {
  let oracle: RedisInstance | undefined;
  let target: Target | undefined;
  beforeAll(async () => {
    const results = await Promise.allSettled([
      startRedis({ config: { ...(opts.oracleConfig ?? {}), ...targetConfigForRedis(opts.target) } }),
      startWasmdis(opts.target ?? {}),
    ]);
    if (results[0].status === 'fulfilled') oracle = results[0].value;
    if (results[1].status === 'fulfilled') target = results[1].value;
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([oracle?.stop(), target?.stop()]);
  }, 30_000);
  return {
    oracle: () => oracle!,
    target: () => target!,
    async pair(resp: 2 | 3 = 2, flush = true) {
      const p = await Pair.open(oracle!, target!, resp);
      if (flush) {
        await Promise.all([p.oracle.send('FLUSHALL'), p.target.send('FLUSHALL')]);
      }
      return p;
    },
  };
}

function targetConfigForRedis(t: TargetOptions | undefined): Record<string, string> {
  const c: Record<string, string> = { ...(t?.config ?? {}) };
  if (t?.requirepass !== undefined) c.requirepass = t.requirepass;
  if (t?.databases !== undefined) c.databases = String(t.databases);
  return c;
}

/** A differential describe(): skipped with a notice when redis-server is missing. */
export function describeDiff(name: string, fn: () => void): void {
  describeWithRedis(name, fn);
}

/**
 * Register one transcript test per protocol version: `diffCases(env, { 'name': [steps] })`.
 */
/** Command names (upper-case) a transcript sends. */
function commandsOf(steps: readonly StepInput[]): string[] {
  const names = new Set<string>();
  for (const s of steps) {
    let args: Arg[] | undefined;
    if (typeof s === 'string') args = SCANALL_PREFIX.test(s) ? ['SCAN'] : parseLine(s.replace(RULE_PREFIX, ''));
    else if (Array.isArray(s)) args = s;
    else if ('args' in s) args = s.args;
    if (args && args.length) names.add(String(args[0]).toUpperCase());
  }
  return [...names];
}

/**
 * Commands of `names` that Redis implements and the target does not (COMMAND INFO answers nil
 * on the target only). A transcript that needs one is skipped with a notice rather than failed:
 * it documents behaviour a later issue delivers (e.g. WRONGTYPE against lists before lists
 * exist), and it runs as soon as the target knows the command. Commands unknown to Redis too
 * (transcripts about unknown commands) never cause a skip.
 */
export async function missingCommands(env: DiffEnv, names: readonly string[]): Promise<string[]> {
  const unknown = async (port: number, host: string): Promise<Set<string>> => {
    const c = await RawClient.connect(port, { host });
    try {
      const out = new Set<string>();
      for (const n of names) {
        const r = (await c.send('COMMAND', 'INFO', n)).toString('latin1');
        if (r === '*1\r\n*-1\r\n' || r === '*1\r\n_\r\n' || r === '*1\r\n$-1\r\n') out.add(n);
      }
      return out;
    } finally {
      await c.close();
    }
  };
  const t = env.target(), o = env.oracle();
  const [onTarget, onOracle] = await Promise.all([unknown(t.port, t.host), unknown(o.port, o.host)]);
  return names.filter((n) => onTarget.has(n) && !onOracle.has(n));
}

/**
 * Skip the running test (with a notice) when the target lacks one of `names` that Redis has;
 * returns true when it skipped.
 */
export async function skipUnlessImplemented(
  env: DiffEnv, names: readonly string[], label: string, ctx: { skip: () => void },
): Promise<boolean> {
  const missing = await missingCommands(env, names);
  if (missing.length === 0) return false;
  console.warn(`[diff] NOTICE: skipping "${label}": ${env.target().name} does not implement ${missing.join(', ')} yet`);
  ctx.skip();
  return true;
}



/**
 * Each pipeline (commands sent in one write) against both servers, in RESP2 and RESP3: every reply
 * compared, then DBSIZE and the key set. Skipped with a notice while a command it uses is missing.
 */
export function pipelineCases(env: DiffEnv, pipelines: Record<string, Arg[][]>): void {
  for (const resp of [2, 3] as const) {
    for (const [name, cmds] of Object.entries(pipelines)) {
      it(`${name} (RESP${resp})`, async (ctx) => {
        const names = [...new Set(cmds.map((c) => String(c[0]).toUpperCase()))];
        if (await skipUnlessImplemented(env, names, `${name} (RESP${resp})`, ctx)) return;
        const p = await env.pair(resp);
        try {
          await p.raw(Buffer.concat(cmds.map((c) => encodeCommand(c))), `${name} (${cmds.length} commands)`, { idleMs: 300 });
          // the connections are still usable and agree afterwards
          await p.run(['DBSIZE', 'sort: KEYS *']);
        } finally {
          await p.close();
        }
        p.assertOk();
      });
    }
  }
}
export function diffCases(
  env: DiffEnv,
  cases: Record<string, readonly StepInput[]>,
  protocols: readonly (2 | 3)[] = [2, 3],
): void {
  for (const resp of protocols) {
    describe(`RESP${resp}`, () => {
      for (const [name, steps] of Object.entries(cases)) {
        it(name, async (ctx) => {
          if (await skipUnlessImplemented(env, commandsOf(steps), `${name} (RESP${resp})`, ctx)) return;
          const p = await env.pair(resp);
          try {
            await p.run(steps);
          } finally {
            await p.close();
          }
          p.assertOk();
        });
      }
    });
  }
}

export { redisVersion };
