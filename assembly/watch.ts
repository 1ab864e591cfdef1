// WATCH: the keys watched by clients in a transaction, and the signals that invalidate them.
//
// (Interface placeholder while transactions are being built: commands call these signals at every
// point where Redis 7.0 calls signalModifiedKey / touchAllWatchedKeysInDb.)

/** Key `k` of database `db` (a Db pointer, see keyspace.ts) was modified. Caller holds the lock. */
export function signalModifiedKey(db: usize, k: usize, klen: usize): void {
  if (db == 0 && k == 0 && klen == 0) return;
}

/** Database `dbIndex` (-1: every database) was flushed. Caller holds the lock. */
export function signalFlushedDb(dbIndex: i32): void {
  if (dbIndex < -1) return;
}

/** Databases a and b were swapped (SWAPDB). Caller holds the lock. */
export function signalSwappedDb(a: i32, b: i32): void {
  if (a == b) return;
}
