/**
 * PubSub: publish/subscribe for framework servers, in the manner of redcon's PubSub type, with
 * Redis 7.0's replies: SUBSCRIBE / PSUBSCRIBE / UNSUBSCRIBE / PUNSUBSCRIBE confirmations,
 * `message` and `pmessage` deliveries (RESP2 arrays, RESP3 pushes after HELLO 3), PING and the
 * command restrictions of a subscribed RESP2 connection, RESET, and cleanup when a connection
 * closes.
 *
 * Owns: the channel and pattern tables of one process and the subscribed connections' command
 * interceptor. Must not own sockets: deliveries are written to `Conn` and flushed once per tick
 * (a batch of PUBLISH commands gives each subscriber one write). With `workers`, each worker
 * process has its own tables, and a publication is relayed through the primary to the other
 * workers' subscribers; PUBLISH then counts this worker's receivers (as PUBLISH in Redis Cluster
 * counts one node's), and PUBSUB CHANNELS / NUMSUB / NUMPAT describe this worker.
 *
 * Tables (channel and pattern names are byte strings: latin1, one char per byte):
 *   channels: name    → Set<Conn>         patterns: pattern → Set<Conn>
 *   shards:   name    → Set<Conn>         (SSUBSCRIBE: a namespace of its own, `smessage`)
 *   subs:     Conn    → [channels, patterns, shard channels]: Set<name> each (subscription order)
 */
import type { Conn } from './conn.js';
import type { Command } from './command.js';
import { joinRelay } from './multicore.js';
import { stringMatch } from '../resp/glob.js';

type Name = string | Uint8Array;

/** Subscription kinds: channels (SUBSCRIBE), patterns (PSUBSCRIBE), shard channels (SSUBSCRIBE). */
const CHANNEL = 0;
const PATTERN = 1;
const SHARD = 2;
type Kind = typeof CHANNEL | typeof PATTERN | typeof SHARD;
const SUBSCRIBE_NAME = ['subscribe', 'psubscribe', 'ssubscribe'] as const;
const UNSUBSCRIBE_NAME = ['unsubscribe', 'punsubscribe', 'sunsubscribe'] as const;

/** A connection's subscriptions, by kind. */
type Subscriptions = [Set<string>, Set<string>, Set<string>];

/** A publication relayed between the worker processes of a multicore server (byte strings). */
interface Relayed { ps: number; shard: boolean; channel: string; message: string }

/** PubSub helpers made so far in this process (each gets the next number). */
let helpers = 0;

/** The commands {@link PubSub.handle} answers. */
const HANDLED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'publish', 'spublish', 'pubsub']);

/** Bytes as a byte string (latin1), the tables' key form. */
function key(n: Name): string {
  return typeof n === 'string' ? Buffer.from(n, 'utf8').toString('latin1') : Buffer.from(n.buffer, n.byteOffset, n.byteLength).toString('latin1');
}

function bytes(k: string): Buffer {
  return Buffer.from(k, 'latin1');
}

const CONTEXT_ERROR_TAIL = "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

/**
 * Publish/subscribe for a framework server.
 *
 * ```ts
 * const ps = new PubSub();
 * await listen(':6380', (conn, cmd) => {
 *   if (ps.handle(conn, cmd)) return;          // SUBSCRIBE … PUBLISH, as Redis answers them
 *   conn.writeError(`ERR unknown command '${cmd.args[0]}'`);
 * });
 * ps.publish('news', 'hello');                 // from anywhere: returns the receivers
 * ```
 *
 * Or call {@link subscribe} / {@link psubscribe} / {@link publish} from your own commands. A
 * subscribed connection's commands pass through the helper first: in RESP2 it answers PING with
 * `["pong", arg]` and refuses everything but (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT / RESET
 * with Redis's error; in RESP3 other commands reach the handler. RESET leaves every subscription,
 * switches back to RESP2 and answers `+RESET`. A closed connection leaves everything.
 */
export class PubSub {
  /** Subscribers by name, one table per kind (channels, patterns, shard channels). */
  private readonly tables = [new Map<string, Set<Conn>>(), new Map<string, Set<Conn>>(), new Map<string, Set<Conn>>()] as const;
  private readonly subs = new Map<Conn, Subscriptions>();
  private readonly watched = new WeakSet<Conn>();
  private readonly dirty = new Set<Conn>();
  private readonly interceptor = (conn: Conn, cmd: Command): boolean => this.intercept(conn, cmd);
  /** Each subscribed pattern's bytes, for matching without re-encoding it on every publish. */
  private readonly patterns = new Map<string, Buffer>();
  /** This helper's number among the script's PubSub helpers (the same in every worker process). */
  private readonly id = helpers++;
  /** Publications to and from the other worker processes of a multicore server. */
  private readonly relay = joinRelay((data) => this.relayed(data as Relayed));

  /** Subscribe `conn` to channels; it gets one confirmation per channel (as SUBSCRIBE does). */
  subscribe(conn: Conn, ...channels: Name[]): void {
    for (const ch of channels) this.add(conn, key(ch), CHANNEL);
  }

  /** Subscribe `conn` to glob patterns; one confirmation per pattern (as PSUBSCRIBE does). */
  psubscribe(conn: Conn, ...patterns: Name[]): void {
    for (const p of patterns) this.add(conn, key(p), PATTERN);
  }

  /** Subscribe `conn` to shard channels (as SSUBSCRIBE does: a namespace of their own). */
  ssubscribe(conn: Conn, ...channels: Name[]): void {
    for (const ch of channels) this.add(conn, key(ch), SHARD);
  }

  /** Unsubscribe `conn` from channels (none given: from all), with UNSUBSCRIBE's confirmations. */
  unsubscribe(conn: Conn, ...channels: Name[]): void {
    this.remove(conn, channels.map(key), CHANNEL);
  }

  /** Unsubscribe `conn` from patterns (none given: from all), with PUNSUBSCRIBE's confirmations. */
  punsubscribe(conn: Conn, ...patterns: Name[]): void {
    this.remove(conn, patterns.map(key), PATTERN);
  }

  /** Unsubscribe `conn` from shard channels (none given: from all), as SUNSUBSCRIBE. */
  sunsubscribe(conn: Conn, ...channels: Name[]): void {
    this.remove(conn, channels.map(key), SHARD);
  }

  /**
   * Deliver `message` on `channel` to every subscriber of the channel (`message`) and of every
   * matching pattern (`pmessage`, once per matching pattern); returns the number of deliveries,
   * as PUBLISH does.
   */
  publish(channel: Name, message: Name): number {
    const ch = key(channel);
    const msg = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    if (this.relay.active()) this.relay.send({ ps: this.id, shard: false, channel: ch, message: key(msg) });
    return this.publishHere(ch, typeof channel === 'string' ? bytes(ch) : channel, msg);
  }

  /** A publication made in another worker process, delivered to this one's subscribers. */
  private relayed(r: Relayed): void {
    if (r === null || typeof r !== 'object' || r.ps !== this.id) return;
    const chBytes = bytes(r.channel);
    const msg = bytes(r.message);
    if (r.shard) this.deliver(SHARD, r.channel, chBytes, msg);
    else this.publishHere(r.channel, chBytes, msg);
  }

  private publishHere(ch: string, chBytes: Uint8Array, msg: Uint8Array): number {
    let n = this.deliver(CHANNEL, ch, chBytes, msg);
    for (const [pat, conns] of this.tables[PATTERN]) {
      const patBytes = this.patternBytes(pat);
      if (!stringMatch(patBytes, chBytes)) continue;
      for (const c of conns) {
        c.writePush(4); c.writeBulkString('pmessage'); c.writeBulk(patBytes); c.writeBulk(chBytes); c.writeBulk(msg);
        this.touch(c);
        n++;
      }
    }
    return n;
  }

  private patternBytes(pat: string): Buffer {
    let b = this.patterns.get(pat);
    if (b === undefined) this.patterns.set(pat, (b = bytes(pat)));
    return b;
  }

  /** Take `conn` off the subscribers of `k`; the last one out removes the entry. */
  private unlink(kind: Kind, k: string, conn: Conn): void {
    const table = this.tables[kind];
    const set = table.get(k);
    if (set === undefined) return;
    set.delete(conn);
    if (set.size === 0) {
      table.delete(k);
      if (kind === PATTERN) this.patterns.delete(k);
    }
  }

  /** Deliver `message` to the subscribers of shard channel `channel` (`smessage`), as SPUBLISH. */
  spublish(channel: Name, message: Name): number {
    const ch = key(channel);
    const msg = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    if (this.relay.active()) this.relay.send({ ps: this.id, shard: true, channel: ch, message: key(msg) });
    return this.deliver(SHARD, ch, typeof channel === 'string' ? bytes(ch) : channel, msg);
  }

  private deliver(kind: Kind, ch: string, chBytes: Uint8Array, msg: Uint8Array): number {
    const conns = this.tables[kind].get(ch);
    if (conns === undefined) return 0;
    const type = kind === SHARD ? 'smessage' : 'message';
    for (const c of conns) {
      c.writePush(3); c.writeBulkString(type); c.writeBulk(chBytes); c.writeBulk(msg);
      this.touch(c);
    }
    return conns.size;
  }

  /** Channels plus patterns `conn` is subscribed to (the count in confirmations). */
  subscriptions(conn: Conn): number {
    const s = this.subs.get(conn);
    return s === undefined ? 0 : s[CHANNEL].size + s[PATTERN].size;
  }

  /** Subscribers of a channel (by name, not patterns), like PUBSUB NUMSUB. */
  numsub(channel: Name): number {
    return this.tables[CHANNEL].get(key(channel))?.size ?? 0;
  }

  /** Channels (shard channels with `shard`) that have subscribers, matching a glob pattern if given, like PUBSUB CHANNELS. */
  activeChannels(pattern?: Name, shard = false): Buffer[] {
    const p = pattern === undefined ? undefined : key(pattern);
    const pat = p === undefined ? undefined : bytes(p);
    return [...this.tables[shard ? SHARD : CHANNEL].keys()].map(bytes).filter((k) => pat === undefined || stringMatch(pat, k));
  }

  /** Patterns with subscribers, like PUBSUB NUMPAT. */
  numpat(): number {
    return this.tables[PATTERN].size;
  }

  /**
   * Answer SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB
   * (CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB) as Redis does, arity errors included;
   * returns false for any other command, which is left to the caller.
   */
  handle(conn: Conn, cmd: Command): boolean {
    const name = cmd.name;
    if (!HANDLED.has(name)) return false; // before touching the arguments: other commands' stay unmade (see Command.args)
    const a = cmd.args;
    switch (name) {
      case 'subscribe':
      case 'psubscribe':
      case 'ssubscribe': {
        if (a.length < 2) return arity(conn, cmd);
        const kind = name === 'subscribe' ? CHANNEL : name === 'psubscribe' ? PATTERN : SHARD;
        for (let i = 1; i < a.length; i++) this.add(conn, key(a[i]!), kind);
        return true;
      }
      case 'unsubscribe':
      case 'punsubscribe':
      case 'sunsubscribe':
        this.remove(conn, a.slice(1).map(key), name === 'unsubscribe' ? CHANNEL : name === 'punsubscribe' ? PATTERN : SHARD);
        return true;
      case 'publish':
      case 'spublish':
        if (a.length !== 3) return arity(conn, cmd);
        conn.writeInt(name === 'publish' ? this.publish(a[1]!, a[2]!) : this.spublish(a[1]!, a[2]!));
        return true;
      default:
        this.pubsubCommand(conn, a);
        return true;
    }
  }

  /** PUBSUB and its subcommands, with Redis's errors. */
  private pubsubCommand(conn: Conn, a: Buffer[]): void {
    if (a.length < 2) { conn.writeError("ERR wrong number of arguments for 'pubsub' command"); return; }
    const typed = a[1]!.toString('latin1');
    const sub = typed.toLowerCase();
    const list = (shard: boolean): void => {
      if (a.length > 3) { conn.writeError(`ERR unknown subcommand or wrong number of arguments for '${typed}'. Try PUBSUB HELP.`); return; }
      const names = this.activeChannels(a[2], shard);
      conn.writeArray(names.length);
      for (const n of names) conn.writeBulk(n);
    };
    const counts = (kind: Kind): void => {
      conn.writeArray((a.length - 2) * 2);
      for (let i = 2; i < a.length; i++) {
        conn.writeBulk(a[i]!);
        conn.writeInt(this.tables[kind].get(key(a[i]!))?.size ?? 0);
      }
    };
    switch (sub) {
      case 'channels': list(false); return;
      case 'shardchannels': list(true); return;
      case 'numsub': counts(CHANNEL); return;
      case 'shardnumsub': counts(SHARD); return;
      case 'numpat':
        if (a.length !== 2) { conn.writeError("ERR wrong number of arguments for 'pubsub|numpat' command"); return; }
        conn.writeInt(this.numpat());
        return;
      case 'help':
        if (a.length !== 2) { conn.writeError("ERR wrong number of arguments for 'pubsub|help' command"); return; }
        conn.writeArray(PUBSUB_HELP.length);
        for (const line of PUBSUB_HELP) conn.writeString(line);
        return;
      default:
        conn.writeError(`ERR unknown subcommand '${typed}'. Try PUBSUB HELP.`);
    }
  }

  /** Commands of a subscribed connection, before the shims and the handler. */
  private intercept(conn: Conn, cmd: Command): boolean {
    const name = cmd.name;
    switch (name) {
      case 'subscribe': case 'psubscribe': case 'ssubscribe':
      case 'unsubscribe': case 'punsubscribe': case 'sunsubscribe':
        return this.handle(conn, cmd);
      case 'quit':
        return false;
      case 'ping':
        if (conn.protocol === 3) return false;
        if (cmd.args.length > 2) return arity(conn, cmd);
        conn.writeArray(2);
        conn.writeBulkString('pong');
        if (cmd.args.length === 2) conn.writeBulk(cmd.args[1]!); else conn.writeBulkString('');
        return true;
      case 'pubsub': {
        if (conn.protocol === 3) return false;
        // Redis checks the command table (unknown subcommand, arity) before the context
        const a = cmd.args;
        const sub = a.length > 1 ? a[1]!.toString('latin1').toLowerCase() : '';
        if (a.length < 2 || !PUBSUB_SUBCOMMANDS.has(sub) || ((sub === 'numpat' || sub === 'help') && a.length !== 2)) {
          this.pubsubCommand(conn, a);
        } else {
          conn.writeError(`ERR Can't execute 'pubsub|${sub}${CONTEXT_ERROR_TAIL}`);
        }
        return true;
      }
      case 'reset':
        this.drop(conn);
        conn.protocol = 2;
        conn.writeString('RESET');
        return true;
      default:
        if (conn.protocol === 3) return false;
        conn.writeError(`ERR Can't execute '${name}${CONTEXT_ERROR_TAIL}`);
        return true;
    }
  }

  private add(conn: Conn, k: string, kind: Kind): void {
    let s = this.subs.get(conn);
    if (s === undefined) {
      s = [new Set(), new Set(), new Set()];
      this.subs.set(conn, s);
      conn.interceptor = this.interceptor;
      if (!this.watched.has(conn)) {
        this.watched.add(conn);
        conn.socket.once('close', () => this.drop(conn));
      }
    }
    const mine = s[kind];
    if (!mine.has(k)) {
      mine.add(k);
      const table = this.tables[kind];
      let set = table.get(k);
      if (set === undefined) table.set(k, (set = new Set()));
      set.add(conn);
    }
    this.confirm(conn, SUBSCRIBE_NAME[kind], k, this.count(s, kind));
  }

  /** The count a confirmation carries: shard subscriptions for shard commands, channels plus patterns otherwise (as Redis 7.0). */
  private count(s: Subscriptions | undefined, kind: Kind): number {
    if (s === undefined) return 0;
    return kind === SHARD ? s[SHARD].size : s[CHANNEL].size + s[PATTERN].size;
  }

  private remove(conn: Conn, names: string[], kind: Kind): void {
    const s = this.subs.get(conn);
    const verb = UNSUBSCRIBE_NAME[kind];
    const mine = s?.[kind];
    if (names.length === 0) {
      if (mine === undefined || mine.size === 0) {
        this.confirm(conn, verb, null, this.count(s, kind));
        return;
      }
      names = [...mine];
    }
    for (const k of names) {
      if (mine?.delete(k)) this.unlink(kind, k, conn);
      this.confirm(conn, verb, k, this.count(s, kind));
    }
    if (s !== undefined && s[CHANNEL].size + s[PATTERN].size + s[SHARD].size === 0) this.leave(conn);
  }

  /** Forget every subscription of `conn` without confirmations (close, RESET). */
  private drop(conn: Conn): void {
    const s = this.subs.get(conn);
    if (s === undefined) return;
    s.forEach((names, kind) => { for (const k of names) this.unlink(kind as Kind, k, conn); });
    this.leave(conn);
    this.dirty.delete(conn);
  }

  private leave(conn: Conn): void {
    this.subs.delete(conn);
    if (conn.interceptor === this.interceptor) conn.interceptor = undefined;
  }

  private confirm(conn: Conn, kind: string, k: string | null, count: number): void {
    conn.writePush(3);
    conn.writeBulkString(kind);
    if (k === null) conn.writeNull(); else conn.writeBulk(bytes(k));
    conn.writeInt(count);
    this.touch(conn);
  }

  /** Schedules one flush of `conn` for the end of this tick. */
  private touch(conn: Conn): void {
    if (this.dirty.size === 0) queueMicrotask(() => this.flushAll());
    this.dirty.add(conn);
  }

  private flushAll(): void {
    for (const c of this.dirty) if (!c.closed) c.flush();
    this.dirty.clear();
  }
}

function arity(conn: Conn, cmd: Command): true {
  conn.writeError(`ERR wrong number of arguments for '${cmd.name}' command`);
  return true;
}

/** PUBSUB's subcommands. */
const PUBSUB_SUBCOMMANDS = new Set(['channels', 'shardchannels', 'numsub', 'shardnumsub', 'numpat', 'help']);

/** PUBSUB HELP, in our words. */
const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  '    Channels with at least one subscriber, matching <pattern> if given.',
  'NUMPAT',
  '    Number of patterns with at least one subscriber.',
  'NUMSUB [<channel> ...]',
  '    Subscriber count of each channel (pattern subscriptions not counted).',
  'SHARDCHANNELS [<pattern>]',
  '    Shard channels with at least one subscriber, matching <pattern> if given.',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Subscriber count of each shard channel.',
  'HELP',
  '    This text.',
];
