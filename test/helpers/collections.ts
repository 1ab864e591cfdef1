/**
 * Comparison helpers for collection commands whose replies Redis leaves to chance or to hash
 * order (HRANDFIELD, SRANDMEMBER, SPOP, HGETALL of a hashtable, …), for transcript tests.
 *
 *   pairsRule       HGETALL / HSCAN-like replies of a hashtable hash: the same field → value
 *                   pairs, in any order (the `sort` rule would mix fields and values)
 *   randomRule      a random pick (HRANDFIELD, SRANDMEMBER, SPOP): both replies have the same
 *                   RESP shape and size, every element belongs to the collection, distinct picks
 *                   are distinct, and picked values belong to their fields
 *   randomPop       SPOP on both servers, checked by randomRule, then the two sets are brought
 *                   back into step (each side removes what either side popped) so a sequence can
 *                   go on comparing every reply
 */
import { parseReplyTree, toBuf, type Arg, type ReplyNode } from './raw-client.js';
import { formatArgs, type CustomRule, type Entry, type Pair } from './transcript.js';

const AGGREGATES = new Set(['*', '~', '%', '>']);

function tree(b: Buffer): ReplyNode | string {
  try {
    return parseReplyTree(b).node;
  } catch (e) {
    return `unparseable reply: ${(e as Error).message}`;
  }
}

/** The elements of a flat or RESP3-nested pair reply as "field\0value" strings. */
function pairsOf(n: ReplyNode): string[] | undefined {
  const kids = n.children;
  if (!kids) return undefined;
  const out: string[] = [];
  if (kids.every((c) => c.type === '*' && c.children?.length === 2)) {
    for (const c of kids) out.push(`${c.children![0]!.raw.toString('latin1')}\0${c.children![1]!.raw.toString('latin1')}`);
    return out;
  }
  if (kids.length % 2) return undefined;
  for (let i = 0; i < kids.length; i += 2) out.push(`${kids[i]!.raw.toString('latin1')}\0${kids[i + 1]!.raw.toString('latin1')}`);
  return out;
}

/** Same aggregate type and the same multiset of field → value pairs (flat, map or nested). */
export const pairsRule: CustomRule = (oracle, target) => {
  const a = tree(oracle), b = tree(target);
  if (typeof a === 'string' || typeof b === 'string') return oracle.equals(target) ? null : 'replies differ';
  if (!AGGREGATES.has(a.type) || a.type !== b.type) return oracle.equals(target) ? null : 'replies differ';
  const pa = pairsOf(a), pb = pairsOf(b);
  if (!pa || !pb) return oracle.equals(target) ? null : 'replies differ';
  pa.sort();
  pb.sort();
  return pa.length === pb.length && pa.every((x, i) => x === pb[i]) ? null : 'pairs differ (any order)';
};

/** What a random pick may contain. */
export interface Universe {
  /** Members (sets) or fields (hashes) as raw bulk payloads, latin1. */
  members: Set<string>;
  /** Field → value (hashes), latin1. */
  values?: Map<string, string>;
}

export interface RandomShape {
  /** Picks must be distinct (positive count, SPOP). */
  distinct: boolean;
  /** Replies carry values (HRANDFIELD … WITHVALUES). */
  withValues?: boolean;
}

/** Problems with one random reply, or null. */
function checkRandom(n: ReplyNode, u: Universe, shape: RandomShape): string | null {
  const data = (x: ReplyNode) => (x.data === null ? null : x.data.toString('latin1'));
  if (!n.children) {
    // a single pick (bulk) or null / error
    if (n.type === '$' && n.data !== null && !u.members.has(data(n)!)) return `${data(n)} is not a member`;
    return null;
  }
  const picks: [string, string | undefined][] = [];
  const kids = n.children;
  if (shape.withValues) {
    const nested = kids.length > 0 && kids.every((c) => c.type === '*' && c.children?.length === 2);
    if (nested) for (const c of kids) picks.push([data(c.children![0]!)!, data(c.children![1]!)!]);
    else for (let i = 0; i + 1 < kids.length; i += 2) picks.push([data(kids[i]!)!, data(kids[i + 1]!)!]);
  } else for (const c of kids) picks.push([data(c)!, undefined]);
  const seen = new Set<string>();
  for (const [m, v] of picks) {
    if (!u.members.has(m)) return `${JSON.stringify(m)} is not a member`;
    if (v !== undefined && u.values && u.values.get(m) !== v) return `${JSON.stringify(m)} has value ${JSON.stringify(u.values.get(m))}, not ${JSON.stringify(v)}`;
    if (shape.distinct && seen.has(m)) return `${JSON.stringify(m)} picked twice`;
    seen.add(m);
  }
  return null;
}

/** Shape of a reply with every leaf value ignored: types and aggregate sizes. */
function shapeOf(n: ReplyNode): string {
  if (n.children) return `${n.type}${n.children.length}[${n.children.map(shapeOf).join(',')}]`;
  if (n.data === null) return `${n.type}null`;
  if (n.type === '-') return `-${n.data.toString('latin1')}`;
  return n.type;
}

/** Rule for a random pick from the collection `u` (see the module comment). */
export function randomRule(u: Universe, shape: RandomShape): CustomRule {
  return (oracle, target) => {
    const a = tree(oracle), b = tree(target);
    if (typeof a === 'string' || typeof b === 'string') return oracle.equals(target) ? null : 'replies differ';
    if (shapeOf(a) !== shapeOf(b)) return `shapes differ: ${shapeOf(a)} vs ${shapeOf(b)}`;
    const bad = checkRandom(b, u, shape);
    if (bad) return `target: ${bad}`;
    const badOracle = checkRandom(a, u, shape);
    return badOracle ? `redis (harness bug?): ${badOracle}` : null;
  };
}

/** The members of set `key` as the oracle has them. */
export async function setUniverse(p: Pair, key: Arg): Promise<Universe> {
  const r = parseReplyTree(await p.oracle.send('SMEMBERS', key)).node;
  return { members: new Set((r.children ?? []).map((c) => c.data!.toString('latin1'))) };
}

/** The fields and values of hash `key` as the oracle has them. */
export async function hashUniverse(p: Pair, key: Arg): Promise<Universe> {
  const r = parseReplyTree(await p.oracle.send('HGETALL', key)).node;
  const kids = r.children ?? [];
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < kids.length; i += 2) values.set(kids[i]!.data!.toString('latin1'), kids[i + 1]!.data!.toString('latin1'));
  return { members: new Set(values.keys()), values };
}

/** Send a command to both servers under a rule and record it in the transcript. */
export async function sendWithRule(p: Pair, args: Arg[], rule: CustomRule): Promise<Entry> {
  const e = await p.cmd({ args, rule });
  return e!;
}

/** Elements of a pop reply (bulk, array or set of bulks); [] for nulls and errors. */
function popped(b: Buffer): Buffer[] {
  const n = tree(b);
  if (typeof n === 'string') return [];
  if (n.type === '$' && n.data !== null) return [Buffer.from(n.data)];
  return (n.children ?? []).filter((c) => c.type === '$' && c.data !== null).map((c) => Buffer.from(c.data!));
}

/**
 * SPOP `args` on both servers (checked with randomRule against the set as it was), then SREM of
 * everything either side popped on both, so the two sets are equal again.
 */
export async function randomPop(p: Pair, args: Arg[]): Promise<Entry> {
  const key = args[1]!;
  const typeReply = (await p.oracle.send('TYPE', key)).toString('latin1');
  const u = typeReply === '+set\r\n' ? await setUniverse(p, key) : { members: new Set<string>() };
  const e = await sendWithRule(p, args, randomRule(u, { distinct: true }));
  const all = new Map<string, Buffer>();
  for (const b of [...popped(e.oracle), ...popped(e.target)]) all.set(b.toString('latin1'), b);
  if (all.size > 0 && typeReply === '+set\r\n') {
    // SREM on both servers: replies may differ (each removes what the other popped), so only
    // the resulting sets are compared
    await p.cmd({ args: ['SREM', key, ...all.values()], rule: 'ignore' });
    await p.cmd({ args: ['SMEMBERS', key], rule: 'sort' });
  }
  return e;
}

/** Readable command for messages. */
export function show(args: readonly Arg[]): string {
  return formatArgs(args.map((a) => (typeof a === 'string' ? a : toBuf(a))));
}

/** Counts of reply kinds (first byte, or the error code) in a transcript, for the log. */
export function replyKinds(p: Pair): string {
  const kinds = new Map<string, number>();
  for (const e of p.entries) {
    const t = e.oracle.length ? String.fromCharCode(e.oracle[0]!) : '?';
    const kind = t === '-' ? e.oracle.toString('latin1', 1).split(/[ \r]/)[0]! : t;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}
