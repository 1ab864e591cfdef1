/**
 * Keeps the engine's copy of the settings it enforces itself (in the shared header) in step
 * with the server's Config: at start-up and on every CONFIG SET.
 */
import { parseMemory, type Config } from './config.js';
import type { EngineCore } from '../engine/core.js';
import { notifyFlagsFromString } from './notify-config.js';

const POLICY_CODES: Record<string, number> = {
  'volatile-lru': 1, 'allkeys-lru': 2, 'volatile-lfu': 0x11, 'allkeys-lfu': 0x12,
  'volatile-random': 3, 'allkeys-random': 4, 'volatile-ttl': 5, noeviction: 0,
};

/** The pubsub class of client-output-buffer-limit: bytes (0 = none) and seconds. */
export interface OutputLimits { hard: number; soft: number; seconds: number }

/** Read the `pubsub` class out of a client-output-buffer-limit value ("normal 0 0 0 … pubsub 32mb 8mb 60"). */
export function pubsubOutputLimits(value: string | undefined): OutputLimits {
  const words = (value ?? '').trim().split(/\s+/);
  for (let i = 0; i + 3 < words.length; i += 4) {
    if (words[i].toLowerCase() === 'pubsub') {
      return { hard: parseMemory(words[i + 1]), soft: parseMemory(words[i + 2]), seconds: Number(words[i + 3]) };
    }
  }
  return { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, seconds: 60 };
}

/**
 * Push the current values into the engine (unless `attached`: another thread created the shared
 * memory and set them) and follow later changes made on this thread. Changes mirrored from other
 * threads are not pushed again: the settings live in the shared header, and a late mirror would
 * overwrite a newer value.
 */
export function applyEngineConfig(config: Config, core: EngineCore, attached = false): void {
  const push = (name: string) => {
    const ex = core.exports;
    if (name === 'proto-max-bulk-len') ex.setProtoMaxBulkLen(config.getNumber(name));
    else if (name === 'maxmemory-policy') ex.setMaxmemoryPolicy(POLICY_CODES[config.get(name)!] ?? 0);
    else if (name === 'active-expire-effort') ex.setActiveExpireEffort(config.getNumber(name));
    else if (name === 'lfu-log-factor') ex.setLfuLogFactor(config.getNumber(name));
    else if (name === 'lfu-decay-time') ex.setLfuDecayTime(config.getNumber(name));
    else if (name === 'maxmemory') ex.setMaxmemory(config.getNumber(name));
    else if (name === 'maxmemory-samples') ex.setMaxmemorySamples(config.getNumber(name));
    else if (name === 'hash-max-listpack-entries') ex.setHashMaxListpackEntries(config.getNumber(name));
    else if (name === 'hash-max-listpack-value') ex.setHashMaxListpackValue(config.getNumber(name));
    else if (name === 'set-max-intset-entries') ex.setSetMaxIntsetEntries(config.getNumber(name));
    else if (name === 'hll-sparse-max-bytes') ex.setHllSparseMaxBytes(config.getNumber(name));
    else if (name === 'zset-max-listpack-entries') ex.setZsetMaxListpackEntries(config.getNumber(name));
    else if (name === 'zset-max-listpack-value') ex.setZsetMaxListpackValue(config.getNumber(name));
    else if (name === 'notify-keyspace-events') ex.setNotifyKeyspaceEvents(notifyFlagsFromString(config.get(name)!) ?? 0);
    else if (name === 'client-output-buffer-limit') ex.setPubsubBufferLimit(pubsubOutputLimits(config.get(name)).hard);
    else if (name === 'wasmdis-lock-timing') ex.lockTiming(config.get(name) === 'yes' ? 1 : 0);
  };
  for (const name of ['proto-max-bulk-len', 'maxmemory-policy', 'active-expire-effort', 'lfu-log-factor', 'lfu-decay-time', 'maxmemory', 'maxmemory-samples', 'hll-sparse-max-bytes', 'wasmdis-lock-timing',
    'hash-max-listpack-entries', 'hash-max-listpack-value', 'set-max-intset-entries', 'zset-max-listpack-entries',
    'zset-max-listpack-value', 'client-output-buffer-limit', 'notify-keyspace-events']) if (!attached) push(name);
  config.onChange((name, _value, remote) => { if (!remote) push(name); });
}
