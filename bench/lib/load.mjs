// Bulk loading over one raw, deeply pipelined connection, for the benchmarks only.
//
// It owns: encoding commands as RESP text, writing them in batches with a bounded number of
// batches in flight, counting the replies (error replies are tallied, not kept), and giving up
// when the server stops replying. It must not decide what to load (the runners do).
//
//   commands [0, total)  ──encodeBatch(from, to)──▶  one write per batch
//   ├ batch 0 ┤├ batch 1 ┤ … ├ batch window-1 ┤   at most `window` batches awaiting replies
//
// Used by bench/memory (the data whose size is measured) and bench/server (keys that a
// redis-benchmark test needs to exist, such as a list for RPOP to pop from).

import { formatInt } from './table.mjs';

/**
 * One command as RESP multibulk text. Arguments must be ASCII (lengths are string lengths,
 * which is what makes this fast enough to build millions of commands).
 * @param {Array<string | number>} args
 */
export function respCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const s = typeof arg === 'string' ? arg : String(arg);
    out += `$${s.length}\r\n${s}\r\n`;
  }
  return out;
}

/** Commands [from, to) built by `commandAt(i)` (an argument array), as one latin1 Buffer. */
export function encodeRange(commandAt, from, to) {
  let out = '';
  for (let i = from; i < to; i++) out += respCommand(commandAt(i));
  return Buffer.from(out, 'latin1');
}

/**
 * Send `total` commands through `conn` in batches of `batch` commands, with at most `window`
 * batches in flight, and wait for every reply. Fails (instead of hanging) when the server sends
 * no reply for `stallSeconds`, and when any command got an error reply.
 * @param {import('./resp-connection.mjs').RespConnection} conn
 * @param {{ total: number, batch: number, window: number, stallSeconds: number, name: string,
 *   what?: string, encodeBatch: (from: number, to: number) => Buffer }} opts
 * @returns {Promise<number>} seconds taken
 */
export async function loadPipelined(conn, { total, batch, window, stallSeconds, name, what = 'commands', encodeBatch }) {
  const started = process.hrtime.bigint();
  const inFlight = [];
  let errors = 0;
  let firstError;
  const repliesBefore = conn.replyCount;
  const watchdog = setInterval(() => {
    if (conn.waiters.length && Date.now() - conn.lastReplyAt > stallSeconds * 1000) {
      conn.fail(
        new Error(`${name} stopped replying: ${formatInt(conn.replyCount - repliesBefore)} of ${formatInt(total)} ${what} replies, none for ${stallSeconds} s`),
      );
    }
  }, 250);
  const settle = async () => {
    const result = await inFlight.shift();
    errors += result.errors;
    firstError ??= result.firstError;
  };
  try {
    conn.lastReplyAt = Date.now();
    for (let from = 0; from < total; from += batch) {
      const to = Math.min(from + batch, total);
      const sent = conn.sendBatch(encodeBatch(from, to), to - from);
      sent.catch(() => {}); // awaited in order by settle(); this only marks it handled
      inFlight.push(sent);
      if (inFlight.length >= window) await settle();
    }
    while (inFlight.length) await settle();
  } finally {
    clearInterval(watchdog);
  }
  if (errors) {
    const first = firstError.length > 120 ? `${firstError.slice(0, 120)}…` : firstError;
    throw new Error(`${name}: ${formatInt(errors)} of ${formatInt(total)} ${what} failed, first: ${first}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}
