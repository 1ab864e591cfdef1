/**
 * Hash commands run by the host: HINCRBYFLOAT, which needs Redis's long-double arithmetic and
 * "%.17Lf"-style output (emulated in long-double.ts, shared with INCRBYFLOAT). It reads and
 * writes the one field through EngineCore while holding the keyspace lock, so it is atomic like
 * an engine command.
 */
import { ownMessagesFirst } from './pubsub.js';
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session } from '../engine/session.js';
import type { HostContext } from './host.js';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman, type LongDouble } from './long-double.js';

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0 };
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** HINCRBYFLOAT key field increment */
export function hincrbyfloatCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  // as Redis: the increment is checked before the key is looked up
  const incr = parseLongDouble(args[3].toString('latin1'));
  if (incr === undefined) { out.error('ERR value is not a valid float'); return; }
  if (typeof incr === 'string') { out.error('ERR value is NaN or Infinity'); return; }
  const core = ctx.core;
  core.locked(() => {
    const cur = core.getHashField(session.db, args[1], args[2]);
    if (cur === 'wrongtype') { out.error(WRONGTYPE); return; }
    const value = cur === null ? ZERO : parseLongDouble(cur.toString('latin1'));
    if (value === undefined) { out.error('ERR hash value is not a float'); return; }
    const sum = typeof value === 'string' ? 'overflow' : addLongDouble(value, incr);
    if (sum === 'overflow') { out.error('ERR increment would produce NaN or Infinity'); return; }
    const text = Buffer.from(formatLongDoubleHuman(sum), 'latin1');
    if (!core.setHashField(session.db, args[1], args[2], text)) {
      out.error("OOM command not allowed when used memory > 'maxmemory'.");
      return;
    }
    ownMessagesFirst(out, session, ctx); // a "new" event comes before the reply, "hincrbyfloat" after
    out.bulk(text);
    core.exports.hostKeyModified(session.db, 1); // signal WATCH, "hincrbyfloat" event (after the reply, as Redis)
  });
}
