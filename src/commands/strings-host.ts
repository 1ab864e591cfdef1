/**
 * String commands run by the host: INCRBYFLOAT (Redis's long-double arithmetic, emulated in
 * long-double.ts) and LCS (a dynamic-programming table). Both read and write
 * keys through EngineCore while holding the keyspace lock, so they are atomic like engine
 * commands.
 */
import { ownMessagesFirst } from './pubsub.js';
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session } from '../engine/session.js';
import type { HostContext } from './host.js';
import { parseInteger } from './connection.js';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman, type LongDouble } from './long-double.js';

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0 };

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** INCRBYFLOAT key increment */
export function incrbyfloatCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  const core = ctx.core;
  core.locked(() => {
    const cur = core.getString(session.db, args[1]);
    if (cur === 'wrongtype') { out.error(WRONGTYPE); return; }
    const value = cur === null ? ZERO : parseLongDouble(cur.toString('latin1'));
    const incr = parseLongDouble(args[2].toString('latin1'));
    if (value === undefined || incr === undefined) { out.error('ERR value is not a valid float'); return; }
    const sum = typeof value === 'string' || typeof incr === 'string' ? 'overflow' : addLongDouble(value, incr);
    if (sum === 'overflow') { out.error('ERR increment would produce NaN or Infinity'); return; }
    const text = Buffer.from(formatLongDoubleHuman(sum), 'latin1');
    // Redis builds the result with createStringObject: embstr up to 44 bytes, never int
    if (!core.setString(session.db, args[1], text, true, text.length <= 44 ? 'embstr' : 'raw')) { out.error("OOM command not allowed when used memory > 'maxmemory'."); return; }
    core.exports.hostKeyModified(session.db, 0); // signal WATCH, "incrbyfloat" event
    ownMessagesFirst(out, session, ctx); // Redis publishes before it replies
    out.bulk(text);
  });
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
export function lcsCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  // as Redis: the keys are looked up and type-checked before the options are parsed
  const core = ctx.core;
  const strings = core.locked(() => [core.getString(session.db, args[1], true), core.getString(session.db, args[2], true)]);
  if (strings[0] === 'wrongtype' || strings[1] === 'wrongtype') {
    out.error('ERR The specified keys must contain string values');
    return;
  }
  let getIdx = false, getLen = false, withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j].toString('latin1').toLowerCase();
    const more = args.length - 1 - j;
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && more > 0) {
      const v = parseInteger(args[j + 1]);
      if (v === undefined) { out.error('ERR value is not an integer or out of range'); return; }
      minMatchLen = v < 0n ? 0 : Number(v);
      j++;
    } else { out.error('ERR syntax error'); return; }
  }
  if (getIdx && getLen) { out.error('ERR If you want both the length and indexes, please just use IDX.'); return; }
  const a = strings[0] ?? Buffer.alloc(0);
  const b = strings[1] ?? Buffer.alloc(0);
  writeLcs(a, b, { getIdx, getLen, withMatchLen, minMatchLen }, out);
}

interface LcsOptions { getIdx: boolean; getLen: boolean; withMatchLen: boolean; minMatchLen: number }

/** Longest common subsequence of a and b, replied as LCS does (string, LEN, or IDX matches). */
function writeLcs(a: Buffer, b: Buffer, o: LcsOptions, out: ReplyWriter): void {
  const alen = a.length, blen = b.length;
  const w = blen + 1;
  const dp = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++) {
    for (let j = 1; j <= blen; j++) {
      dp[i * w + j] = a[i - 1] === b[j - 1] ? dp[(i - 1) * w + j - 1] + 1 : Math.max(dp[(i - 1) * w + j], dp[i * w + j - 1]);
    }
  }
  const total = dp[alen * w + blen];
  if (o.getLen) { out.int(total); return; }
  // walk back from the end, collecting the subsequence and the matching ranges (last first)
  const lcs = Buffer.alloc(total);
  const ranges: [number, number, number, number][] = [];
  let k = total, i = alen, j = blen;
  let aStart = -1, aEnd = -1, bStart = -1, bEnd = -1;
  const flush = () => {
    if (aStart < 0) return;
    const len = aEnd - aStart + 1;
    if (o.minMatchLen === 0 || len >= o.minMatchLen) ranges.push([aStart, aEnd, bStart, bEnd]);
    aStart = -1;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      lcs[--k] = a[i - 1];
      if (aStart < 0) { aStart = aEnd = i - 1; bStart = bEnd = j - 1; }
      else if (aStart === i && bStart === j) { aStart--; bStart--; }
      else { flush(); aStart = aEnd = i - 1; bStart = bEnd = j - 1; }
      i--; j--;
      if (aStart === 0 || bStart === 0) flush();
    } else {
      if (dp[(i - 1) * w + j] > dp[i * w + j - 1]) i--; else j--;
      flush();
    }
  }
  if (!o.getIdx) { out.bulk(lcs); return; }
  out.mapLen(2);
  out.bulk('matches');
  out.arrayLen(ranges.length);
  for (const [as, ae, bs, be] of ranges) {
    out.arrayLen(o.withMatchLen ? 3 : 2);
    out.arrayLen(2).int(as).int(ae);
    out.arrayLen(2).int(bs).int(be);
    if (o.withMatchLen) out.int(ae - as + 1);
  }
  out.bulk('len').int(total);
}
