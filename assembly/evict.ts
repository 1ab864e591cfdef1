// maxmemory: eviction and the out-of-memory check, as Redis's evict.c behaves.
//
// Owns: choosing which keys to evict under each maxmemory-policy. Called by run.ts before a
// command when maxmemory is set, under the keyspace lock. Approximation as in Redis: sample
// maxmemory-samples keys per database and evict the best candidate (largest idle time, lowest
// LFU counter, nearest expire, or a random one).

import { allocatedBytes } from "./alloc";
import {
  dbAt, dbCount, dbSize, dbVolatileCount, randomEntry, randomVolatileEntry, find, removeFound, getExpire,
  lfuDecayed, lruClock, entryKey, entryKeyLen, accessTime, E_HASH,
} from "./keyspace";
import {
  configMaxmemory, configMaxmemoryPolicy, configMaxmemorySamples, POLICY_NOEVICTION, POLICY_VOLATILE_LRU,
  POLICY_VOLATILE_RANDOM, POLICY_VOLATILE_TTL, POLICY_VOLATILE_LFU, POLICY_ALLKEYS_RANDOM, POLICY_FLAG_LFU,
} from "./config";
import { notifyKeyspaceEvent, NOTIFY_EVICTED } from "./notify";
import { signalModifiedKey } from "./watch";

/** Keys evicted by this instance (INFO evicted_keys). */
export let evictedKeys: u64 = 0;

/** How bad it is to keep e (higher = evict first) under `policy`. */
function evictionScore(db: usize, e: usize, policy: u32): f64 {
  if (policy == POLICY_VOLATILE_TTL) return -<f64>getExpire(db, e);
  if (policy & POLICY_FLAG_LFU) return 255.0 - <f64>lfuDecayed(e);
  const now = lruClock();
  const then = accessTime(e);
  return <f64>(now >= then ? now - then : now + 0xFFFFFF - then);
}

/** Evict one key; returns false when there is nothing (left) to evict. */
function evictOne(policy: u32): bool {
  const volatileOnly = policy == POLICY_VOLATILE_LRU || policy == POLICY_VOLATILE_RANDOM ||
    policy == POLICY_VOLATILE_TTL || policy == POLICY_VOLATILE_LFU;
  const random = policy == POLICY_VOLATILE_RANDOM || policy == POLICY_ALLKEYS_RANDOM;
  const samples = configMaxmemorySamples();
  let bestDb: usize = 0, best: usize = 0;
  let bestScore: f64 = -Infinity;
  const n = dbCount();
  for (let i = 0; i < n; i++) {
    const db = dbAt(i);
    if ((volatileOnly ? dbVolatileCount(db) : dbSize(db)) == 0) continue;
    const tries: u32 = random ? 1 : samples;
    for (let s: u32 = 0; s < tries; s++) {
      const e = volatileOnly ? randomVolatileEntry(db) : randomEntry(db);
      if (e == 0) break;
      const score = random ? 0.0 : evictionScore(db, e, policy);
      if (best == 0 || score > bestScore) { best = e; bestDb = db; bestScore = score; }
    }
    if (random && best != 0) break;
  }
  if (best == 0) return false;
  // WATCH signal and "evicted" event while the key bytes still exist, then the delete
  signalModifiedKey(bestDb, entryKey(best), entryKeyLen(best));
  notifyKeyspaceEvent(NOTIFY_EVICTED, "evicted", entryKey(best), entryKeyLen(best), bestDb);
  if (find(bestDb, entryKey(best), entryKeyLen(best), load<u32>(best + E_HASH)) == best) removeFound(bestDb, best);
  evictedKeys++;
  return true;
}

/**
 * Bring used memory under maxmemory by evicting keys. Returns false when that is impossible
 * (noeviction, or no candidate keys left): write commands must then be refused with OOM.
 */
export function performEvictions(): bool {
  const limit = configMaxmemory();
  if (limit == 0 || allocatedBytes() <= limit) return true;
  const policy = configMaxmemoryPolicy();
  if (policy == POLICY_NOEVICTION) return false;
  let guard = 0;
  while (allocatedBytes() > limit) {
    if (!evictOne(policy) || ++guard > 1000000) return false;
  }
  return true;
}
