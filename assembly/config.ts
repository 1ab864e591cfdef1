// Engine-side configuration: the few settings the WASM code itself must obey, kept in the
// shared header so every worker sees one value. The host owns CONFIG GET/SET and the config
// file, and writes these through the setConfig* exports.
//
//  Config block (at headerBase() + CONFIG_OFFSET)         offset
//  ┌────────────────────────────────────────────────────┐
//  │ proto-max-bulk-len i64                              │ 0
//  │ maxmemory-policy u32 (see POLICY_*)                 │ 8
//  │ active-expire-effort u32 (1..10)                    │ 12
//  │ lfu-log-factor u32                                  │ 16
//  │ lfu-decay-time u32 (minutes)                        │ 20
//  │ maxmemory u64 (bytes, 0 = no limit)                 │ 24
//  │ maxmemory-samples u32                               │ 32
//  │ hash-max-listpack-entries u32                       │ 40
//  │ hash-max-listpack-value u32 (bytes)                 │ 44
//  │ set-max-intset-entries u32                          │ 48
//  │ zset-max-listpack-entries u32                       │ 52
//  │ zset-max-listpack-value u32                         │ 56
//  │ hll-sparse-max-bytes u32 (saturates at 2^32-1)      │ 60
//  │ notify-keyspace-events flags u32 (notify.ts)        │ 64
//  │ pub/sub client output hard limit u32 (0 = none)     │ 68
//  └────────────────────────────────────────────────────┘

import { headerBase, CONFIG_OFFSET } from "./layout";

const C_PROTO_MAX_BULK_LEN: usize = 0;
const C_MAXMEMORY_POLICY: usize = 8;
const C_ACTIVE_EXPIRE_EFFORT: usize = 12;
const C_LFU_LOG_FACTOR: usize = 16;
const C_LFU_DECAY_TIME: usize = 20;
const C_MAXMEMORY: usize = 24;
const C_MAXMEMORY_SAMPLES: usize = 32;
const C_HASH_MAX_LISTPACK_ENTRIES: usize = 40;
const C_HASH_MAX_LISTPACK_VALUE: usize = 44;
const C_SET_MAX_INTSET_ENTRIES: usize = 48;
const C_HLL_SPARSE_MAX_BYTES: usize = 60;
const C_ZSET_MAX_LISTPACK_ENTRIES: usize = 52;
const C_ZSET_MAX_LISTPACK_VALUE: usize = 56;
const C_NOTIFY_KEYSPACE_EVENTS: usize = 64;
const C_PUBSUB_BUFFER_LIMIT: usize = 68;

/** maxmemory-policy values (the host maps names to these); bit 0x10 marks the LFU policies. */
export const POLICY_NOEVICTION: u32 = 0;
export const POLICY_VOLATILE_LRU: u32 = 1;
export const POLICY_ALLKEYS_LRU: u32 = 2;
export const POLICY_VOLATILE_RANDOM: u32 = 3;
export const POLICY_ALLKEYS_RANDOM: u32 = 4;
export const POLICY_VOLATILE_TTL: u32 = 5;
export const POLICY_VOLATILE_LFU: u32 = 0x11;
export const POLICY_ALLKEYS_LFU: u32 = 0x12;
export const POLICY_FLAG_LFU: u32 = 0x10;

// @ts-ignore: decorator
@inline
function cfg(): usize { return headerBase() + CONFIG_OFFSET; }

export function configInit(): void {
  store<i64>(cfg() + C_PROTO_MAX_BULK_LEN, 512 * 1024 * 1024);
  store<u32>(cfg() + C_MAXMEMORY_POLICY, POLICY_NOEVICTION);
  store<u32>(cfg() + C_ACTIVE_EXPIRE_EFFORT, 1);
  store<u32>(cfg() + C_LFU_LOG_FACTOR, 10);
  store<u32>(cfg() + C_LFU_DECAY_TIME, 1);
  store<u64>(cfg() + C_MAXMEMORY, 0);
  store<u32>(cfg() + C_MAXMEMORY_SAMPLES, 5);
  store<u32>(cfg() + C_HASH_MAX_LISTPACK_ENTRIES, 512);
  store<u32>(cfg() + C_HASH_MAX_LISTPACK_VALUE, 64);
  store<u32>(cfg() + C_SET_MAX_INTSET_ENTRIES, 512);
  store<u32>(cfg() + C_HLL_SPARSE_MAX_BYTES, 3000);
  store<u32>(cfg() + C_ZSET_MAX_LISTPACK_ENTRIES, 128);
  store<u32>(cfg() + C_ZSET_MAX_LISTPACK_VALUE, 64);
  store<u32>(cfg() + C_NOTIFY_KEYSPACE_EVENTS, 0);
  store<u32>(cfg() + C_PUBSUB_BUFFER_LIMIT, 32 * 1024 * 1024);
}

export function configProtoMaxBulkLen(): i64 { return load<i64>(cfg() + C_PROTO_MAX_BULK_LEN); }
export function configSetProtoMaxBulkLen(v: i64): void { store<i64>(cfg() + C_PROTO_MAX_BULK_LEN, v); }
export function configMaxmemoryPolicyLfu(): bool { return (load<u32>(cfg() + C_MAXMEMORY_POLICY) & POLICY_FLAG_LFU) != 0; }
export function configSetMaxmemoryPolicy(v: u32): void { store<u32>(cfg() + C_MAXMEMORY_POLICY, v); }
export function configActiveExpireEffort(): u32 { return load<u32>(cfg() + C_ACTIVE_EXPIRE_EFFORT); }
export function configSetActiveExpireEffort(v: u32): void { store<u32>(cfg() + C_ACTIVE_EXPIRE_EFFORT, v); }
export function configLfuLogFactor(): u32 { return load<u32>(cfg() + C_LFU_LOG_FACTOR); }
export function configSetLfuLogFactor(v: u32): void { store<u32>(cfg() + C_LFU_LOG_FACTOR, v); }
export function configLfuDecayTime(): u32 { return load<u32>(cfg() + C_LFU_DECAY_TIME); }
export function configSetLfuDecayTime(v: u32): void { store<u32>(cfg() + C_LFU_DECAY_TIME, v); }
export function configMaxmemory(): u64 { return load<u64>(cfg() + C_MAXMEMORY); }
export function configSetMaxmemory(v: u64): void { store<u64>(cfg() + C_MAXMEMORY, v); }
export function configMaxmemoryPolicy(): u32 { return load<u32>(cfg() + C_MAXMEMORY_POLICY); }
export function configMaxmemorySamples(): u32 { return load<u32>(cfg() + C_MAXMEMORY_SAMPLES); }
export function configSetMaxmemorySamples(v: u32): void { store<u32>(cfg() + C_MAXMEMORY_SAMPLES, v); }
/** Largest sparse HyperLogLog (bytes, header included) before it turns dense. */
export function configHllSparseMaxBytes(): u32 { return load<u32>(cfg() + C_HLL_SPARSE_MAX_BYTES); }
export function configSetHllSparseMaxBytes(v: u32): void { store<u32>(cfg() + C_HLL_SPARSE_MAX_BYTES, v); }
/** LRU and LFU policies keep per-key access data, so Redis does not share integer objects then. */
export function configPolicyNoSharedIntegers(): bool {
  const p = configMaxmemoryPolicy();
  return p == POLICY_VOLATILE_LRU || p == POLICY_ALLKEYS_LRU || (p & POLICY_FLAG_LFU) != 0;
}

/** Hashes stay in a pack while they have at most this many fields (hash-max-listpack-entries). */
export function configHashMaxListpackEntries(): u32 { return load<u32>(cfg() + C_HASH_MAX_LISTPACK_ENTRIES); }
export function configSetHashMaxListpackEntries(v: u32): void { store<u32>(cfg() + C_HASH_MAX_LISTPACK_ENTRIES, v); }
/** …and every field and value has at most this many bytes (hash-max-listpack-value). */
export function configHashMaxListpackValue(): u32 { return load<u32>(cfg() + C_HASH_MAX_LISTPACK_VALUE); }
export function configSetHashMaxListpackValue(v: u32): void { store<u32>(cfg() + C_HASH_MAX_LISTPACK_VALUE, v); }
/** Integer sets stay intsets while they have at most this many members (set-max-intset-entries). */
export function configSetMaxIntsetEntries(): u32 { return load<u32>(cfg() + C_SET_MAX_INTSET_ENTRIES); }
export function configSetSetMaxIntsetEntries(v: u32): void { store<u32>(cfg() + C_SET_MAX_INTSET_ENTRIES, v); }
export function configZsetMaxListpackEntries(): u32 { return load<u32>(cfg() + C_ZSET_MAX_LISTPACK_ENTRIES); }
export function configSetZsetMaxListpackEntries(v: u32): void { store<u32>(cfg() + C_ZSET_MAX_LISTPACK_ENTRIES, v); }
export function configZsetMaxListpackValue(): u32 { return load<u32>(cfg() + C_ZSET_MAX_LISTPACK_VALUE); }
export function configSetZsetMaxListpackValue(v: u32): void { store<u32>(cfg() + C_ZSET_MAX_LISTPACK_VALUE, v); }
/** notify-keyspace-events as class bits (see notify.ts); 0 = off. */
// @ts-ignore: decorator
@inline
export function configNotifyKeyspaceEvents(): u32 { return load<u32>(cfg() + C_NOTIFY_KEYSPACE_EVENTS); }
export function configSetNotifyKeyspaceEvents(v: u32): void { store<u32>(cfg() + C_NOTIFY_KEYSPACE_EVENTS, v); }

/** Bytes a pub/sub client may have waiting before it is disconnected (client-output-buffer-limit pubsub hard; 0 = no limit). */
export function configPubsubBufferLimit(): u32 { return load<u32>(cfg() + C_PUBSUB_BUFFER_LIMIT); }
export function setConfigPubsubBufferLimit(v: u32): void { store<u32>(cfg() + C_PUBSUB_BUFFER_LIMIT, v); }
