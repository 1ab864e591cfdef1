/**
 * Pub/Sub and MONITOR commands that change connection state: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE
 * PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE MONITOR, and the hooks that keep a connection's record in
 * engine memory right (protocol change, RESET, disconnect). PUBLISH, SPUBLISH and PUBSUB run in
 * the engine (assembly/pubsub.ts), which also delivers every message.
 */
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session, Subscriptions } from '../engine/session.js';
import type { HostContext } from './host.js';
import { KIND_CHANNEL, KIND_PATTERN, KIND_SHARD } from '../engine/pubsub-delivery.js';

type Kind = typeof KIND_CHANNEL | typeof KIND_PATTERN | typeof KIND_SHARD;

const NAMES: Record<Kind, [sub: string, unsub: string]> = {
  [KIND_CHANNEL]: ['subscribe', 'unsubscribe'],
  [KIND_PATTERN]: ['psubscribe', 'punsubscribe'],
  [KIND_SHARD]: ['ssubscribe', 'sunsubscribe'],
};

function setOf(subs: Subscriptions, kind: Kind): Set<string> {
  return kind === KIND_CHANNEL ? subs.channels : kind === KIND_PATTERN ? subs.patterns : subs.shard;
}

/** The count Redis reports after a (un)subscribe: channels + patterns, or shard channels alone. */
function countFor(session: Session, kind: Kind): number {
  const s = session.subs;
  if (!s) return 0;
  return kind === KIND_SHARD ? s.shard.size : s.channels.size + s.patterns.size;
}

/** Add or remove one subscription in engine memory (caller holds the lock). */
function change(ctx: HostContext, session: Session, kind: Kind, name: Buffer, on: boolean): void {
  const core = ctx.core;
  const rec = core.pushes.record(session);
  const p = core.putScratch(name);
  const r = on ? core.exports.pubsubSubscribe(rec, kind, p, name.length) : core.exports.pubsubUnsubscribe(rec, kind, p, name.length);
  if (r < 0) throw new Error('out of memory');
}

function subscribe(kind: Kind) {
  return (args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void => {
    session.subs ??= { channels: new Set(), patterns: new Set(), shard: new Set() };
    const set = setOf(session.subs, kind);
    ctx.core.locked(() => {
      for (let i = 1; i < args.length; i++) {
        const key = args[i].toString('latin1');
        if (!set.has(key)) {
          change(ctx, session, kind, args[i], true);
          set.add(key);
        }
        out.pushLen(3).bulk(NAMES[kind][0]).bulk(args[i]).int(countFor(session, kind));
      }
    });
  };
}

/** Leave the given names, or every one of `kind` when none is given. */
function unsubscribeNames(kind: Kind, names: Buffer[] | undefined, out: ReplyWriter | undefined, session: Session, ctx: HostContext): void {
  const subs = session.subs;
  const set = subs ? setOf(subs, kind) : undefined;
  const list = names ?? [...(set ?? [])].map((k) => Buffer.from(k, 'latin1'));
  if (list.length === 0) {
    out?.pushLen(3).bulk(NAMES[kind][1]).null().int(countFor(session, kind));
    return;
  }
  for (const name of list) {
    const key = name.toString('latin1');
    if (set?.has(key)) {
      change(ctx, session, kind, name, false);
      set.delete(key);
    }
    out?.pushLen(3).bulk(NAMES[kind][1]).bulk(name).int(countFor(session, kind));
  }
}

function unsubscribe(kind: Kind) {
  return (args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void => {
    ctx.core.locked(() => unsubscribeNames(kind, args.length > 1 ? args.slice(1) : undefined, out, session, ctx));
  };
}

export const subscribeCommand = subscribe(KIND_CHANNEL);
export const psubscribeCommand = subscribe(KIND_PATTERN);
export const ssubscribeCommand = subscribe(KIND_SHARD);
export const unsubscribeCommand = unsubscribe(KIND_CHANNEL);
export const punsubscribeCommand = unsubscribe(KIND_PATTERN);
export const sunsubscribeCommand = unsubscribe(KIND_SHARD);

/** MONITOR: from now on, every command the server runs is streamed to this connection. */
export function monitorCommand(_args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  if (session.monitor) return; // Redis answers nothing to a second MONITOR
  ctx.core.locked(() => ctx.core.exports.monitorSet(ctx.core.pushes.record(session), 1));
  session.monitor = true;
  out.status('OK');
}

/** Drop every subscription of the session (caller holds the lock); no replies. */
function leaveAll(session: Session, ctx: HostContext): void {
  for (const kind of [KIND_CHANNEL, KIND_PATTERN, KIND_SHARD] as Kind[]) unsubscribeNames(kind, undefined, undefined, session, ctx);
}

/** RESET: leave every channel and pattern, stop monitoring. */
export function resetPubsub(session: Session, ctx: HostContext): void {
  if (session.pubsubRec === 0) return;
  ctx.core.locked(() => {
    leaveAll(session, ctx);
    ctx.core.exports.monitorSet(session.pubsubRec, 0);
    ctx.core.exports.pubsubClientSetProto(session.pubsubRec, session.resp);
  });
  session.monitor = false;
}

/** HELLO switched the protocol: later messages take its shape. */
export function protocolChanged(session: Session, ctx: HostContext): void {
  if (session.pubsubRec === 0) return;
  ctx.core.locked(() => ctx.core.exports.pubsubClientSetProto(session.pubsubRec, session.resp));
}

/** The connection is gone: forget its subscriptions and free its record. */
export function pubsubClosed(session: Session, ctx: HostContext): void {
  ctx.core.pushes.closed(session, () => leaveAll(session, ctx));
  session.monitor = false;
}

/**
 * Put the messages a host command has sent its own connection so far (keyspace events) into its
 * reply now, ahead of what it writes next (caller holds the keyspace lock). Whatever the command
 * publishes after this call follows its reply, as in Redis.
 */
export function ownMessagesFirst(out: ReplyWriter, session: Session, ctx: HostContext): void {
  if (session.pubsubRec === 0) return;
  const bytes = ctx.core.pushes.drain(session, true);
  if (bytes) out.raw(bytes);
}

// ─── MONITOR lines of host commands ─────────────────────────────────────────────────────────

/** An argument as MONITOR shows it: quoted, with C-style escapes. */
function quoted(b: Buffer): string {
  let s = '"';
  for (const c of b) {
    if (c === 0x5c) s += '\\\\';
    else if (c === 0x22) s += '\\"';
    else if (c === 10) s += '\\n';
    else if (c === 13) s += '\\r';
    else if (c === 9) s += '\\t';
    else if (c === 7) s += '\\a';
    else if (c === 8) s += '\\b';
    else if (c < 0x20 || c > 0x7e) s += '\\x' + c.toString(16).padStart(2, '0');
    else s += String.fromCharCode(c);
  }
  return s + '"';
}

/** Arguments MONITOR must not show (secrets), as Redis redacts them. */
function redacted(args: Buffer[]): (string | Buffer)[] {
  const name = args[0].toString('latin1').toLowerCase();
  if (name === 'auth') return args.map((a, i) => (i === 0 ? a : '(redacted)'));
  if (name === 'hello') {
    const shown: (string | Buffer)[] = [...args];
    for (let i = 2; i < args.length; i++) {
      if (args[i].toString('latin1').toLowerCase() === 'auth' && i + 2 < args.length) {
        shown[i + 1] = '(redacted)';
        shown[i + 2] = '(redacted)';
        i += 2;
      }
    }
    return shown;
  }
  return args;
}

/** Send MONITOR connections the line of a host command `session` ran. */
export function monitorHostCommand(args: Buffer[], session: Session, ctx: HostContext, nowMs: number): void {
  const sec = Math.floor(nowMs / 1000);
  const usec = Math.min(999999, Math.floor((nowMs - sec * 1000) * 1000));
  const parts = redacted(args).map((a) => (typeof a === 'string' ? `"${a}"` : quoted(a)));
  const line = Buffer.from(`+${sec}.${String(usec).padStart(6, '0')} [${session.db} ${session.addr}] ${parts.join(' ')}\r\n`, 'latin1');
  const core = ctx.core;
  core.locked(() => core.exports.monitorDeliver(core.putScratch(line), line.length));
}
