/**
 * The commands wasmdis implements and their stable numeric ids.
 *
 * This is the one hand-written list the command table grows from:
 * `scripts/gen-command-spec.mjs` reads Redis's facts for exactly these names,
 * `src/commands/spec.ts` joins them with our summaries, and
 * `scripts/gen-commands.mjs` turns the result into the WASM lookup table.
 *
 * Ids are explicit, stable and append-only: a new command (or subcommand) takes
 * the next free id at the end; an id is never renumbered or reused. Subcommands
 * share the one id space (like Redis's ACL command ids), so every entry of
 * `COMMAND LIST` has an id of its own. `test/commands/ids.test.ts` pins them.
 * Id 0 is reserved ("no command").
 *
 * `host: true` means the command executes in the TypeScript host (the WASM
 * batch stops and hands it over); everything else executes inside WASM.
 * Subcommands always run where their container runs.
 */

/** One row of the catalog. */
export interface CatalogEntry {
  /** Stable numeric id (append-only). */
  readonly id: number;
  /** Lower-case name; for subcommands the part after the `|`. */
  readonly name: string;
  /** Executed in the TypeScript host rather than in WASM. */
  readonly host?: boolean;
  readonly subcommands?: readonly CatalogEntry[];
}

/** Every command wasmdis knows, in id order. Append only. */
export const CATALOG: readonly CatalogEntry[] = [
  // strings
  { id: 1, name: 'get' },
  { id: 2, name: 'set' },
  { id: 3, name: 'setnx' },
  { id: 4, name: 'setex' },
  { id: 5, name: 'psetex' },
  { id: 6, name: 'mget' },
  { id: 7, name: 'mset' },
  { id: 8, name: 'msetnx' },
  { id: 9, name: 'getset' },
  { id: 10, name: 'getdel' },
  { id: 11, name: 'getex' },
  { id: 12, name: 'append' },
  { id: 13, name: 'strlen' },
  { id: 14, name: 'getrange' },
  { id: 15, name: 'setrange' },
  { id: 16, name: 'substr' },
  { id: 17, name: 'incr' },
  { id: 18, name: 'decr' },
  { id: 19, name: 'incrby' },
  { id: 20, name: 'decrby' },
  { id: 21, name: 'incrbyfloat', host: true },
  { id: 22, name: 'lcs', host: true },
  // keyspace
  { id: 23, name: 'del' },
  { id: 24, name: 'unlink' },
  { id: 25, name: 'exists' },
  { id: 26, name: 'type' },
  { id: 27, name: 'keys' },
  { id: 28, name: 'scan' },
  { id: 29, name: 'rename' },
  { id: 30, name: 'renamenx' },
  { id: 31, name: 'copy' },
  { id: 32, name: 'move' },
  { id: 33, name: 'randomkey' },
  { id: 34, name: 'dbsize' },
  { id: 35, name: 'flushdb' },
  { id: 36, name: 'flushall' },
  { id: 37, name: 'swapdb' },
  { id: 38, name: 'expire' },
  { id: 39, name: 'pexpire' },
  { id: 40, name: 'expireat' },
  { id: 41, name: 'pexpireat' },
  { id: 42, name: 'ttl' },
  { id: 43, name: 'pttl' },
  { id: 44, name: 'expiretime' },
  { id: 45, name: 'pexpiretime' },
  { id: 46, name: 'persist' },
  { id: 47, name: 'touch' },
  {
    id: 48, name: 'object', subcommands: [
      { id: 49, name: 'encoding' },
      { id: 50, name: 'refcount' },
      { id: 51, name: 'idletime' },
      { id: 52, name: 'freq' },
      { id: 53, name: 'help' },
    ],
  },
  // connection and server
  { id: 54, name: 'ping' },
  { id: 55, name: 'echo' },
  { id: 56, name: 'quit', host: true },
  { id: 57, name: 'reset', host: true },
  { id: 58, name: 'select', host: true },
  { id: 59, name: 'auth', host: true },
  { id: 60, name: 'hello', host: true },
  {
    id: 61, name: 'client', host: true, subcommands: [
      { id: 62, name: 'id' },
      { id: 63, name: 'setname' },
      { id: 64, name: 'getname' },
      { id: 65, name: 'setinfo' }, // Redis 7.2; clients send it on connect
      { id: 66, name: 'list' },
      { id: 67, name: 'info' },
      { id: 68, name: 'kill' },
      { id: 69, name: 'help' },
      { id: 191, name: 'unblock' },
    ],
  },
  {
    id: 70, name: 'command', host: true, subcommands: [
      { id: 71, name: 'count' },
      { id: 72, name: 'info' },
      { id: 73, name: 'docs' },
      { id: 74, name: 'list' },
      { id: 75, name: 'getkeys' },
      { id: 76, name: 'getkeysandflags' },
      { id: 77, name: 'help' },
    ],
  },
  { id: 78, name: 'info', host: true },
  {
    id: 79, name: 'config', host: true, subcommands: [
      { id: 80, name: 'get' },
      { id: 81, name: 'set' },
      { id: 82, name: 'resetstat' },
      { id: 83, name: 'help' },
    ],
  },
  { id: 84, name: 'time', host: true },
  { id: 85, name: 'shutdown', host: true },
  { id: 86, name: 'debug', host: true },
  // lists (issue #4)
  { id: 87, name: 'lpush' },
  { id: 88, name: 'rpush' },
  { id: 89, name: 'lpushx' },
  { id: 90, name: 'rpushx' },
  { id: 91, name: 'lpop' },
  { id: 92, name: 'rpop' },
  { id: 93, name: 'llen' },
  { id: 94, name: 'lrange' },
  { id: 95, name: 'lindex' },
  { id: 96, name: 'lset' },
  { id: 97, name: 'linsert' },
  { id: 98, name: 'lrem' },
  { id: 99, name: 'ltrim' },
  { id: 100, name: 'lpos' },
  { id: 101, name: 'lmove' },
  { id: 102, name: 'rpoplpush' },
  { id: 103, name: 'lmpop' },
  // hashes (issue #4)
  { id: 104, name: 'hset' },
  { id: 105, name: 'hsetnx' },
  { id: 106, name: 'hget' },
  { id: 107, name: 'hmset' },
  { id: 108, name: 'hmget' },
  { id: 109, name: 'hdel' },
  { id: 110, name: 'hlen' },
  { id: 111, name: 'hstrlen' },
  { id: 112, name: 'hexists' },
  { id: 113, name: 'hkeys' },
  { id: 114, name: 'hvals' },
  { id: 115, name: 'hgetall' },
  { id: 116, name: 'hincrby' },
  { id: 117, name: 'hincrbyfloat', host: true },
  { id: 118, name: 'hrandfield' },
  { id: 119, name: 'hscan' },
  // sets (issue #4)
  { id: 120, name: 'sadd' },
  { id: 121, name: 'srem' },
  { id: 122, name: 'smembers' },
  { id: 123, name: 'sismember' },
  { id: 124, name: 'smismember' },
  { id: 125, name: 'scard' },
  { id: 126, name: 'spop' },
  { id: 127, name: 'srandmember' },
  { id: 128, name: 'smove' },
  { id: 129, name: 'sinter' },
  { id: 130, name: 'sintercard' },
  { id: 131, name: 'sinterstore' },
  { id: 132, name: 'sunion' },
  { id: 133, name: 'sunionstore' },
  { id: 134, name: 'sdiff' },
  { id: 135, name: 'sdiffstore' },
  { id: 136, name: 'sscan' },
  // sorted sets (issue #4)
  { id: 137, name: 'zadd' },
  { id: 138, name: 'zincrby' },
  { id: 139, name: 'zrem' },
  { id: 140, name: 'zcard' },
  { id: 141, name: 'zcount' },
  { id: 142, name: 'zlexcount' },
  { id: 143, name: 'zscore' },
  { id: 144, name: 'zmscore' },
  { id: 145, name: 'zrank' },
  { id: 146, name: 'zrevrank' },
  { id: 147, name: 'zrange' },
  { id: 148, name: 'zrangestore' },
  { id: 149, name: 'zrevrange' },
  { id: 150, name: 'zrangebyscore' },
  { id: 151, name: 'zrevrangebyscore' },
  { id: 152, name: 'zrangebylex' },
  { id: 153, name: 'zrevrangebylex' },
  { id: 154, name: 'zremrangebyrank' },
  { id: 155, name: 'zremrangebyscore' },
  { id: 156, name: 'zremrangebylex' },
  { id: 157, name: 'zpopmin' },
  { id: 158, name: 'zpopmax' },
  { id: 159, name: 'zmpop' },
  { id: 160, name: 'zunion' },
  { id: 161, name: 'zunionstore' },
  { id: 162, name: 'zinter' },
  { id: 163, name: 'zinterstore' },
  { id: 164, name: 'zintercard' },
  { id: 165, name: 'zdiff' },
  { id: 166, name: 'zdiffstore' },
  { id: 167, name: 'zrandmember' },
  { id: 168, name: 'zscan' },
  // bitmaps, HyperLogLog, SORT (issue #4)
  { id: 169, name: 'setbit' },
  { id: 170, name: 'getbit' },
  { id: 171, name: 'bitcount' },
  { id: 172, name: 'bitpos' },
  { id: 173, name: 'bitop' },
  { id: 174, name: 'bitfield' },
  { id: 175, name: 'bitfield_ro' },
  { id: 176, name: 'pfadd' },
  { id: 177, name: 'pfcount' },
  { id: 178, name: 'pfmerge' },
  { id: 179, name: 'pfdebug' },
  { id: 180, name: 'pfselftest' },
  { id: 181, name: 'sort' },
  { id: 182, name: 'sort_ro' },
  // blocking commands (issue #4)
  { id: 183, name: 'blpop' },
  { id: 184, name: 'brpop' },
  { id: 185, name: 'blmove' },
  { id: 186, name: 'brpoplpush' },
  { id: 187, name: 'blmpop' },
  { id: 188, name: 'bzpopmin' },
  { id: 189, name: 'bzpopmax' },
  { id: 190, name: 'bzmpop' },
  // 192–199: transactions (issue #5)
  // pub/sub and MONITOR (issue #5)
  { id: 200, name: 'subscribe', host: true },
  { id: 201, name: 'unsubscribe', host: true },
  { id: 202, name: 'psubscribe', host: true },
  { id: 203, name: 'punsubscribe', host: true },
  { id: 204, name: 'publish' },
  { id: 205, name: 'ssubscribe', host: true },
  { id: 206, name: 'sunsubscribe', host: true },
  { id: 207, name: 'spublish' },
  {
    id: 208, name: 'pubsub', subcommands: [
      { id: 209, name: 'channels' },
      { id: 210, name: 'numsub' },
      { id: 211, name: 'numpat' },
      { id: 212, name: 'shardchannels' },
      { id: 213, name: 'shardnumsub' },
      { id: 214, name: 'help' },
    ],
  },
  { id: 215, name: 'monitor', host: true },
];
