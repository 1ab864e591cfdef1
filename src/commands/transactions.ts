/**
 * Transaction commands run by the host: MULTI DISCARD WATCH UNWATCH, and the session-side helpers
 * EXEC, RESET and disconnects share. EXEC itself lives in EngineCore (src/engine/core.ts): it
 * replays the queued request bytes through the engine while holding the keyspace lock.
 *
 * Owns: a Session's transaction state (Session.multi) and its WATCH record's lifetime. The
 * watched keys themselves live in engine memory (assembly/watch.ts), where a write on any thread
 * can mark the record dirty.
 */
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session } from '../engine/session.js';
import type { EngineCore } from '../engine/core.js';
import type { HostContext } from './host.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** Leave MULTI (if in it) and forget every watched key: EXEC's end, DISCARD, RESET. */
export function discardTransaction(session: Session, core: EngineCore): void {
  session.multi = null;
  unwatchAll(session, core);
}

/** UNWATCH: forget every watched key and the dirty flag. */
export function unwatchAll(session: Session, core: EngineCore): void {
  if (session.watchRecord === 0) return;
  const rec = session.watchRecord;
  core.locked(() => core.exports.watchClear(rec));
}

/** The connection is gone: free its WATCH record. */
export function forgetSession(session: Session, core: EngineCore): void {
  session.multi = null;
  if (session.watchRecord === 0) return;
  const rec = session.watchRecord;
  session.watchRecord = 0;
  core.locked(() => core.exports.watchClientFree(rec));
}

/** MULTI */
export function multiCommand(_args: Buffer[], out: ReplyWriter, session: Session): void {
  if (session.multi) { out.error('ERR MULTI calls can not be nested'); return; }
  session.multi = { queue: [], error: false, denyoom: false };
  out.status('OK');
}

/** DISCARD */
export function discardCommand(_args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  if (!session.multi) { out.error('ERR DISCARD without MULTI'); return; }
  discardTransaction(session, ctx.core);
  out.status('OK');
}

/** WATCH key [key ...] */
export function watchCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  if (session.multi) { out.error('ERR WATCH inside MULTI is not allowed'); return; }
  const core = ctx.core;
  const ex = core.exports;
  const ok = core.locked(() => {
    if (session.watchRecord === 0) {
      const rec = ex.watchClientNew();
      if (rec === 0) return false;
      session.watchRecord = rec;
      session.watchDirty = () => ex.watchClientFlags(rec) !== 0;
    }
    const now = Date.now();
    for (let i = 1; i < args.length; i++) {
      const k = core.scratchCopy(args[i]);
      if (ex.watchAdd(session.watchRecord, session.db, k, args[i].length, now) !== 0) return false;
    }
    return true;
  });
  if (!ok) { out.error(OOM); return; }
  out.status('OK');
}

/** UNWATCH */
export function unwatchCommand(_args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  unwatchAll(session, ctx.core);
  out.status('OK');
}
