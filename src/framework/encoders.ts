/**
 * Free-standing RESP encoders, in the manner of redcon's and RedHub's `Append*` functions: each
 * appends one reply to an output (a {@link ReplyWriter}, which knows the client's protocol) and
 * returns it, so calls chain and need no connection. RESP3-only types fall back to their RESP2
 * shapes on a RESP2 output, as Redis's reply helpers do.
 *
 * ```ts
 * const out = new ReplyWriter();
 * appendArray(out, 2); appendBulkString(out, 'hello'); appendInt(out, 42);
 * out.toBuffer(); // *2\r\n$5\r\nhello\r\n:42\r\n
 * ```
 */
import { ReplyWriter } from '../resp/reply-writer.js';

/** Simple string `+s` (CR/LF become spaces). */
export function appendString(out: ReplyWriter, s: string): ReplyWriter {
  return out.status(s);
}

/** `+OK`. */
export function appendOK(out: ReplyWriter): ReplyWriter {
  return out.status('OK');
}

/** Error `-s`; give the code too (`"ERR wrong value"`); a message without one gets `ERR `. */
export function appendError(out: ReplyWriter, s: string): ReplyWriter {
  return out.error(/^[A-Z]+ /.test(s) || /^[A-Z]+$/.test(s) ? s : `ERR ${s}`);
}

/** Bulk string from bytes. */
export function appendBulk(out: ReplyWriter, b: Uint8Array): ReplyWriter {
  return out.bulk(b);
}

/** Bulk string from a JavaScript string (UTF-8). */
export function appendBulkString(out: ReplyWriter, s: string): ReplyWriter {
  return out.bulk(s);
}

/** Integer. */
export function appendInt(out: ReplyWriter, n: number | bigint): ReplyWriter {
  return out.int(n);
}

/** Array header of `n` elements (write the elements next). */
export function appendArray(out: ReplyWriter, n: number): ReplyWriter {
  return out.arrayLen(n);
}

/** Null: `$-1` in RESP2, `_` in RESP3. */
export function appendNull(out: ReplyWriter): ReplyWriter {
  return out.null();
}

/** Map header of `n` key/value pairs (RESP2: an array of 2n). */
export function appendMap(out: ReplyWriter, n: number): ReplyWriter {
  return out.mapLen(n);
}

/** Set header of `n` elements (RESP2: an array). */
export function appendSet(out: ReplyWriter, n: number): ReplyWriter {
  return out.setLen(n);
}

/** Push header of `n` elements (RESP2: an array), for out-of-band messages. */
export function appendPush(out: ReplyWriter, n: number): ReplyWriter {
  return out.pushLen(n);
}

/** Double (RESP2: a bulk string, as Redis prints it). */
export function appendDouble(out: ReplyWriter, d: number): ReplyWriter {
  return out.double(d);
}

/** Boolean (RESP2: integer 1 or 0). */
export function appendBool(out: ReplyWriter, b: boolean): ReplyWriter {
  return out.bool(b);
}

/**
 * Any JavaScript value, by its type: string → bulk string, Uint8Array → bulk, integer → integer,
 * other number → double, bigint → integer, boolean → boolean, null/undefined → null, Error →
 * error (its message), Array → array, Set → set, Map or plain object → map.
 */
export function appendAny(out: ReplyWriter, v: unknown): ReplyWriter {
  if (v === null || v === undefined) return out.null();
  if (typeof v === 'string') return out.bulk(v);
  if (v instanceof Uint8Array) return out.bulk(v);
  if (typeof v === 'number') return Number.isInteger(v) ? out.int(v) : out.double(v);
  if (typeof v === 'bigint') return out.int(v);
  if (typeof v === 'boolean') return out.bool(v);
  if (v instanceof Error) return appendError(out, v.message);
  if (Array.isArray(v)) {
    out.arrayLen(v.length);
    for (const x of v) appendAny(out, x);
    return out;
  }
  if (v instanceof Set) {
    out.setLen(v.size);
    for (const x of v) appendAny(out, x);
    return out;
  }
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
  out.mapLen(entries.length);
  for (const [k, x] of entries) { appendAny(out, k); appendAny(out, x); }
  return out;
}

/**
 * A Tile38 native message: `$<byte length> <data>\r\n`, the framing a Tile38 native client (one
 * that sent its request as `$<length> <payload>\r\n`) reads its answers in; Tile38 puts JSON in
 * it. Not a RESP value: use it only to answer commands whose `kind` is `'tile38'`.
 */
export function appendTile38(out: ReplyWriter, data: Uint8Array | string): ReplyWriter {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  out.raw(`$${bytes.length} `);
  out.raw(bytes);
  return out.raw('\r\n');
}
