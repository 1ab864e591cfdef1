/**
 * Transaction commands run by the host: WATCH UNWATCH, and the session-side helpers EXEC, RESET
 * and disconnects share. MULTI, DISCARD and EXEC are answered by the engine (assembly/run.ts,
 * assembly/transaction.ts); only an EXEC whose queue holds host commands comes to the host, to
 * EngineCore.exec (src/engine/core.ts), which replays the queue through the engine while holding
 * the keyspace lock.
 *
 * Owns: the lifetime of a Session's queue block (Session.txQueue) and WATCH record outside the
 * engine's own paths. The watched keys live in engine memory (assembly/watch.ts), where a write
 * on any thread can mark the record dirty.
 */
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session } from '../engine/session.js';
import type { EngineCore } from '../engine/core.js';
import type { HostContext } from './host.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** Leave MULTI (if in it) and forget every watched key (RESET). */
export function discardTransaction(session: Session, core: EngineCore): void {
  const q = session.txQueue;
  session.txQueue = 0;
  if (q !== 0) core.locked(() => core.exports.txQueueFree(q));
  unwatchAll(session, core);
}

/** UNWATCH: forget every watched key and the dirty flag. */
export function unwatchAll(session: Session, core: EngineCore): void {
  if (session.watchRecord === 0) return;
  const rec = session.watchRecord;
  core.locked(() => core.exports.watchClear(rec));
}

/** The connection is gone: free its queue and WATCH record. */
export function forgetSession(session: Session, core: EngineCore): void {
  const q = session.txQueue;
  session.txQueue = 0;
  if (q !== 0) core.locked(() => core.exports.txQueueFree(q));
  if (session.watchRecord === 0) return;
  const rec = session.watchRecord;
  session.watchRecord = 0;
  core.locked(() => core.exports.watchClientFree(rec));
}

/** WATCH key [key ...] */
export function watchCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  if (session.inMulti) { out.error('ERR WATCH inside MULTI is not allowed'); return; }
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
