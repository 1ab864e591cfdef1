// Keyspace notifications: the `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>` messages
// Redis 7.0 publishes when `notify-keyspace-events` enables the event's class.
//
// Owns: the class bits, the flags word in the config block, and building the two channel names.
// Delivery belongs to pubsub.ts (publishMessage). Commands call notifyKeyspaceEvent after their
// change, with the event name as a string literal; the call returns at once when the class is
// off, which is the common case on the write path.
//
//  Flags word (u32 at config offset 64, see config.ts): bit per class, Redis's letters
//  ┌───┬───┬───┬───┬───┬───┬───┬───┬───┬───┬───┬───┬───┬───┬───┐
//  │ K │ E │ g │ $ │ l │ s │ h │ z │ x │ e │ t │ m │ - │ d │ n │   bits 0..14
//  └───┴───┴───┴───┴───┴───┴───┴───┴───┴───┴───┴───┴───┴───┴───┘
//  'A' = g$lshzxetd (m and n are left out of it on purpose, as in Redis). Bit 12 is Redis's
//  module-only "loaded" class, which no command here raises.
//
//  Channel buffer (alloc'd per event, freed before returning)
//  ┌──────────────────────┬──────────────────────────────────────────────────┐
//  │ event bytes [evLen]  │ "__keyspace@" db "__:" key  /  "__keyevent@" db "__:" event │
//  └──────────────────────┴──────────────────────────────────────────────────┘

import { alloc, free } from "./alloc";
import { configNotifyKeyspaceEvents } from "./config";
import { publishMessage } from "./pubsub";
import { dbIndexOf } from "./keyspace";
import { formatI64 } from "./util/number";

export const NOTIFY_KEYSPACE: u32 = 1 << 0;
export const NOTIFY_KEYEVENT: u32 = 1 << 1;
export const NOTIFY_GENERIC: u32 = 1 << 2;
export const NOTIFY_STRING: u32 = 1 << 3;
export const NOTIFY_LIST: u32 = 1 << 4;
export const NOTIFY_SET: u32 = 1 << 5;
export const NOTIFY_HASH: u32 = 1 << 6;
export const NOTIFY_ZSET: u32 = 1 << 7;
export const NOTIFY_EXPIRED: u32 = 1 << 8;
export const NOTIFY_EVICTED: u32 = 1 << 9;
export const NOTIFY_STREAM: u32 = 1 << 10;
export const NOTIFY_KEY_MISS: u32 = 1 << 11;
export const NOTIFY_MODULE: u32 = 1 << 13;
export const NOTIFY_NEW: u32 = 1 << 14;

/**
 * Publish event `event` (a literal) for key [k, klen) of database `db` (a Db address) when class
 * `cls` is enabled. Caller holds the keyspace lock. The key bytes are read before anything is
 * freed, so they may point into an entry or the argument table.
 */
export function notifyKeyspaceEvent(cls: u32, event: string, k: usize, klen: usize, db: usize): void {
  const flags = configNotifyKeyspaceEvents();
  if ((flags & cls) == 0 || (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) == 0) return;
  publishEvent(flags, event, k, klen, dbIndexOf(db));
}

/** Same as notifyKeyspaceEvent with the database given by index. */
export function notifyKeyspaceEventDb(cls: u32, event: string, k: usize, klen: usize, dbIndex: i32): void {
  const flags = configNotifyKeyspaceEvents();
  if ((flags & cls) == 0 || (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) == 0) return;
  publishEvent(flags, event, k, klen, dbIndex);
}

function putLiteral(dst: usize, s: string): usize {
  const p = changetype<usize>(s);
  const n = <usize>s.length;
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(p + (i << 1)));
  return n;
}

function publishEvent(flags: u32, event: string, k: usize, klen: usize, dbIndex: i32): void {
  const evLen = <usize>event.length;
  const tail = klen > evLen ? klen : evLen;
  const buf = alloc(evLen + 11 + 20 + 3 + tail);
  if (buf == 0) return; // out of memory: the event is lost, the command's effect stands
  putLiteral(buf, event);
  const ch = buf + evLen;
  // "__keyspace@" and "__keyevent@" are both 11 bytes: the db number and "__:" stay in place
  let n = putLiteral(ch, "__keyspace@");
  n += <usize>formatI64(ch + n, <i64>dbIndex);
  n += putLiteral(ch + n, "__:");
  if (flags & NOTIFY_KEYSPACE) {
    memory.copy(ch + n, k, klen);
    publishMessage(ch, n + klen, buf, evLen);
  }
  if (flags & NOTIFY_KEYEVENT) {
    putLiteral(ch, "__keyevent@");
    memory.copy(ch + n, buf, evLen);
    publishMessage(ch, n + evLen, k, klen);
  }
  free(buf);
}
