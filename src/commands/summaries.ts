/**
 * Our own descriptions of the commands in the catalog, keyed by full name
 * (`client|id`). COMMAND DOCS serves them; nothing here is copied from Redis.
 * `history` holds one note per version listed in the command's Redis facts
 * (same order); `replacedBy` says what a deprecated command gives way to.
 */
export interface CommandProse {
  summary: string;
  complexity?: string;
  history?: readonly string[];
  replacedBy?: string;
}

const O1 = 'O(1)';
const BY_SUBCOMMAND = 'Varies with the subcommand.';
const EXPIRE_OPTIONS = ['Gained the NX, XX, GT and LT conditions.'];

export const COMMAND_PROSE: Readonly<Record<string, CommandProse>> = {
  // bitmaps (strings addressed bit by bit)
  setbit: { summary: 'Set or clear one bit of the string at a key, growing it with zero bytes', complexity: O1 },
  getbit: { summary: 'Return one bit of the string at a key', complexity: O1 },
  bitcount: {
    summary: 'Count the bits set to 1 in a string, or in a byte or bit range of it',
    complexity: 'O(N), N = bytes examined.',
    history: ['Ranges can be given in bits (BIT) as well as bytes (BYTE).'],
  },
  bitpos: {
    summary: 'Find the first bit set to 1 or 0 in a string, or in a byte or bit range of it',
    complexity: 'O(N), N = bytes examined.',
    history: ['Ranges can be given in bits (BIT) as well as bytes (BYTE).'],
  },
  bitop: {
    summary: 'Combine strings with AND, OR, XOR or NOT and store the result',
    complexity: 'O(N), N = length of the longest input.',
  },
  bitfield: {
    summary: 'Read, write and increment integers of any width at any bit offset of a string',
    complexity: 'O(1) per operation.',
  },
  bitfield_ro: {
    summary: 'Read integers of any width at any bit offset of a string (GET only)',
    complexity: 'O(1) per operation.',
  },

  // HyperLogLog (strings holding a cardinality sketch)
  pfadd: {
    summary: 'Add elements to a HyperLogLog, creating it if needed',
    complexity: 'O(1) per element.',
  },
  pfcount: {
    summary: 'Estimate the number of distinct elements added to one HyperLogLog, or to the union of several',
    complexity: 'O(1) with a cached estimate for one key; O(N) over N keys otherwise.',
  },
  pfmerge: {
    summary: 'Store the union of HyperLogLogs at a destination key',
    complexity: 'O(N), N = HyperLogLogs merged.',
  },
  pfdebug: { summary: 'Inspect or convert the representation of a HyperLogLog', complexity: 'O(N), N = registers.' },
  pfselftest: { summary: 'Check the HyperLogLog implementation against itself', complexity: 'Constant, and slow.' },

  // SORT
  sort: {
    summary: 'Sort the elements of a list, set or sorted set, optionally by external keys, and return or store them',
    complexity: 'O(N+M*log(M)), N elements, M returned; O(N) without sorting.',
  },
  sort_ro: {
    summary: 'Sort the elements of a list, set or sorted set without storing the result',
    complexity: 'O(N+M*log(M)), N elements, M returned; O(N) without sorting.',
  },

  // sorted sets
  zadd: {
    summary: 'Add members with scores to a sorted set, or change the scores of members already there',
    complexity: 'O(log(N)) per member given, N the size of the sorted set',
    history: ['Takes several score/member pairs at once.', 'Gained the NX, XX, CH and INCR options.', 'Gained the GT and LT options.'],
  },
  zincrby: { summary: 'Add an increment to the score of one member of a sorted set', complexity: 'O(log(N)), N the size of the sorted set' },
  zrem: { summary: 'Remove members from a sorted set', complexity: 'O(M log(N)), M members removed, N the size of the sorted set', history: ['Takes several members at once.'] },
  zcard: { summary: 'Number of members of a sorted set', complexity: O1 },
  zcount: { summary: 'Number of members of a sorted set with scores within a range', complexity: 'O(log(N)), N the size of the sorted set' },
  zlexcount: { summary: 'Number of members of a sorted set within a lexicographic range (equal scores)', complexity: 'O(log(N)), N the size of the sorted set' },
  zscore: { summary: 'The score of one member of a sorted set', complexity: O1 },
  zmscore: { summary: 'The scores of several members of a sorted set', complexity: 'O(N), N the members asked about' },
  zrank: { summary: 'Position of a member in a sorted set, lowest score first', complexity: 'O(log(N)), N the size of the sorted set' },
  zrevrank: { summary: 'Position of a member in a sorted set, highest score first', complexity: 'O(log(N)), N the size of the sorted set' },
  zrange: {
    summary: 'Members of a sorted set in a range of positions, scores or names, in either direction',
    complexity: 'O(log(N)+M), N the size of the sorted set, M the members returned',
    history: ['Gained REV, BYSCORE, BYLEX and LIMIT.'],
  },
  zrangestore: {
    summary: 'Store a range of a sorted set (as ZRANGE selects it) under another key',
    complexity: 'O(log(N)+M), N the size of the source, M the members stored',
  },
  zrevrange: {
    summary: 'Members of a sorted set in a range of positions, highest score first',
    complexity: 'O(log(N)+M), N the size of the sorted set, M the members returned',
    replacedBy: '`ZRANGE` with the `REV` argument',
  },
  zrangebyscore: {
    summary: 'Members of a sorted set with scores within a range, lowest first',
    complexity: 'O(log(N)+M), N the size of the sorted set, M the members returned',
    history: ['Gained WITHSCORES.'],
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
  },
  zrevrangebyscore: {
    summary: 'Members of a sorted set with scores within a range, highest first',
    complexity: 'O(log(N)+M), N the size of the sorted set, M the members returned',
    history: ['Gained WITHSCORES.'],
    replacedBy: '`ZRANGE` with the `BYSCORE` and `REV` arguments',
  },
  zrangebylex: {
    summary: 'Members of a sorted set (equal scores) within a lexicographic range, in order',
    complexity: 'O(log(N)+M), N the size of the sorted set, M the members returned',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
  },
  zrevrangebylex: {
    summary: 'Members of a sorted set (equal scores) within a lexicographic range, in reverse order',
    complexity: 'O(log(N)+M), N the size of the sorted set, M the members returned',
    replacedBy: '`ZRANGE` with the `BYLEX` and `REV` arguments',
  },
  zremrangebyrank: { summary: 'Remove the members of a sorted set in a range of positions', complexity: 'O(log(N)+M), N the size of the sorted set, M the members removed' },
  zremrangebyscore: { summary: 'Remove the members of a sorted set with scores within a range', complexity: 'O(log(N)+M), N the size of the sorted set, M the members removed' },
  zremrangebylex: { summary: 'Remove the members of a sorted set (equal scores) within a lexicographic range', complexity: 'O(log(N)+M), N the size of the sorted set, M the members removed' },
  zpopmin: { summary: 'Remove and return the members with the lowest scores', complexity: 'O(log(N)*M), N the size of the sorted set, M the members popped' },
  zpopmax: { summary: 'Remove and return the members with the highest scores', complexity: 'O(log(N)*M), N the size of the sorted set, M the members popped' },
  zmpop: { summary: 'Pop the lowest or highest members from the first non-empty sorted set of several keys', complexity: 'O(K) + O(M*log(N)), K keys given, M members popped, N the size of the sorted set' },
  zunion: { summary: 'Union of sorted sets (and sets), with weights and a score aggregate', complexity: 'O(N)+O(M*log(M)), N the sizes of the inputs summed, M the size of the result' },
  zunionstore: { summary: 'Store the union of sorted sets (and sets) under a key', complexity: 'O(N)+O(M*log(M)), N the sizes of the inputs summed, M the size of the result' },
  zinter: { summary: 'Intersection of sorted sets (and sets), with weights and a score aggregate', complexity: 'O(N*K)+O(M*log(M)), N the smallest input, K the inputs, M the size of the result' },
  zinterstore: { summary: 'Store the intersection of sorted sets (and sets) under a key', complexity: 'O(N*K)+O(M*log(M)), N the smallest input, K the inputs, M the size of the result' },
  zintercard: { summary: 'Size of the intersection of sorted sets (and sets), optionally stopping at a limit', complexity: 'O(N*K), N the smallest input, K the inputs' },
  zdiff: { summary: 'Members of the first sorted set found in none of the others', complexity: 'O(L + (N-K)log(N)), L all input members, N the first input, K the result' },
  zdiffstore: { summary: 'Store the members of the first sorted set found in none of the others', complexity: 'O(L + (N-K)log(N)), L all input members, N the first input, K the result' },
  zrandmember: { summary: 'Random members of a sorted set, optionally with scores', complexity: 'O(N), N the members returned' },
  zscan: { summary: 'Walk the members and scores of a sorted set with a cursor', complexity: 'O(1) per call; O(N) for a complete walk' },
  // lists
  lpush: { summary: 'Add elements to the head of a list, creating it if needed', complexity: 'O(1) per element added', history: ['Takes several elements at once.'] },
  rpush: { summary: 'Add elements to the tail of a list, creating it if needed', complexity: 'O(1) per element added', history: ['Takes several elements at once.'] },
  lpushx: { summary: 'Add elements to the head of a list only if the list exists', complexity: 'O(1) per element added', history: ['Takes several elements at once.'] },
  rpushx: { summary: 'Add elements to the tail of a list only if the list exists', complexity: 'O(1) per element added', history: ['Takes several elements at once.'] },
  lpop: { summary: 'Remove and return elements from the head of a list', complexity: 'O(N), N being the number of elements returned', history: ['Takes a count.'] },
  rpop: { summary: 'Remove and return elements from the tail of a list', complexity: 'O(N), N being the number of elements returned', history: ['Takes a count.'] },
  llen: { summary: 'Number of elements in a list', complexity: O1 },
  lrange: { summary: 'Elements of a list between two indexes', complexity: 'O(S+N), S the distance of start from the nearest end, N the elements returned' },
  lindex: { summary: 'The element of a list at an index', complexity: 'O(N), N the distance to the index from the nearest end' },
  lset: { summary: 'Replace the element of a list at an index', complexity: 'O(N), N the distance to the index from the nearest end' },
  linsert: { summary: 'Insert an element before or after the first occurrence of another', complexity: 'O(N), N the elements walked to find the pivot' },
  lrem: { summary: 'Remove occurrences of an element from a list', complexity: 'O(N+M), N the list length, M the elements removed' },
  ltrim: { summary: 'Keep only the elements of a list between two indexes', complexity: 'O(N), N the elements removed' },
  lpos: { summary: 'Indexes at which an element occurs in a list', complexity: 'O(N), N the elements scanned' },
  lmove: { summary: 'Pop an element from one end of a list and push it onto an end of another', complexity: O1 },
  rpoplpush: { summary: 'Pop the last element of a list and push it onto the head of another', complexity: O1, replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments' },
  lmpop: { summary: 'Pop elements from the first non-empty list of several', complexity: 'O(N+M), N the keys given, M the elements returned' },
  blpop: { summary: 'Pop the first element of the first non-empty list, waiting until one has an element or the timeout passes', complexity: 'O(N), N the keys given', history: ['The timeout is a number of seconds with a fraction (it was whole seconds before).'] },
  brpop: { summary: 'Pop the last element of the first non-empty list, waiting until one has an element or the timeout passes', complexity: 'O(N), N the keys given', history: ['The timeout is a number of seconds with a fraction (it was whole seconds before).'] },
  blmove: { summary: 'LMOVE that waits for the source list to have an element', complexity: O1 },
  brpoplpush: { summary: 'RPOPLPUSH that waits for the source list to have an element', complexity: O1, replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments', history: ['The timeout is a number of seconds with a fraction (it was whole seconds before).'] },
  blmpop: { summary: 'LMPOP that waits until one of the lists has elements', complexity: 'O(N+M), N the keys given, M the elements returned' },
  bzpopmin: { summary: 'Pop the lowest-scored member of the first non-empty sorted set, waiting until one has members', complexity: 'O(log(N)), N the members of the set', history: ['The timeout is a number of seconds with a fraction (it was whole seconds before).'] },
  bzpopmax: { summary: 'Pop the highest-scored member of the first non-empty sorted set, waiting until one has members', complexity: 'O(log(N)), N the members of the set', history: ['The timeout is a number of seconds with a fraction (it was whole seconds before).'] },
  // pub/sub and MONITOR
  subscribe: { summary: 'Listen for messages published on the given channels', complexity: 'O(N), N the channels given' },
  unsubscribe: { summary: 'Stop listening on the given channels, or on every channel when none is given', complexity: 'O(N), N the channels left (plus their subscriber lists)' },
  psubscribe: { summary: 'Listen for messages published on every channel matching the given glob patterns', complexity: 'O(N), N the patterns given' },
  punsubscribe: { summary: 'Stop listening on the given patterns, or on every pattern when none is given', complexity: 'O(N+M), N the patterns left, M the patterns of the server' },
  publish: { summary: 'Send a message to the subscribers of a channel and of the patterns matching it; returns how many received it', complexity: 'O(N+M), N the channel subscribers, M the patterns of the server' },
  ssubscribe: { summary: 'Listen for messages published on the given shard channels', complexity: 'O(N), N the shard channels given' },
  sunsubscribe: { summary: 'Stop listening on the given shard channels, or on all of them when none is given', complexity: 'O(N), N the shard channels left' },
  spublish: { summary: 'Send a message to the subscribers of a shard channel; returns how many received it', complexity: 'O(N), N the shard channel subscribers' },
  pubsub: { summary: 'Look at the pub/sub state: active channels, subscriber and pattern counts', complexity: BY_SUBCOMMAND },
  'pubsub|channels': { summary: 'List the channels with at least one subscriber, optionally only those matching a glob pattern', complexity: 'O(N), N the active channels' },
  'pubsub|numsub': { summary: 'Count the subscribers of each given channel (pattern subscribers not included)', complexity: 'O(N), N the channels given' },
  'pubsub|numpat': { summary: 'Count the distinct patterns clients are subscribed to', complexity: O1 },
  'pubsub|shardchannels': { summary: 'List the shard channels with at least one subscriber, optionally only those matching a glob pattern', complexity: 'O(N), N the active shard channels' },
  'pubsub|shardnumsub': { summary: 'Count the subscribers of each given shard channel', complexity: 'O(N), N the shard channels given' },
  'pubsub|help': { summary: 'Describe the PUBSUB subcommands', complexity: O1 },
  monitor: { summary: 'Stream every command the server runs, as it runs, to this connection' },
  bzmpop: { summary: 'ZMPOP that waits until one of the sorted sets has members', complexity: 'O(K) + O(M*log(N)), K the keys given, M the members popped' },

  // hashes
  hset: { summary: 'Set fields of a hash to values, creating the hash if needed', complexity: 'O(1) per field set', history: ['Takes several field and value pairs at once.'] },
  hsetnx: { summary: 'Set a field of a hash only when the field is not there yet', complexity: O1 },
  hget: { summary: 'The value of one field of a hash', complexity: O1 },
  hmset: { summary: 'Set fields of a hash to values (the older name of HSET)', complexity: 'O(N), N the fields set', replacedBy: '`HSET` with several field and value pairs' },
  hmget: { summary: 'The values of several fields of a hash', complexity: 'O(N), N the fields asked for' },
  hdel: { summary: 'Remove fields from a hash', complexity: 'O(N), N the fields removed', history: ['Takes several fields at once.'] },
  hlen: { summary: 'Number of fields in a hash', complexity: O1 },
  hstrlen: { summary: 'Length in bytes of the value of a hash field', complexity: O1 },
  hexists: { summary: 'Whether a field exists in a hash', complexity: O1 },
  hkeys: { summary: 'Every field name of a hash', complexity: 'O(N), N the size of the hash' },
  hvals: { summary: 'Every value of a hash', complexity: 'O(N), N the size of the hash' },
  hgetall: { summary: 'Every field and value of a hash', complexity: 'O(N), N the size of the hash' },
  hincrby: { summary: 'Add an integer to the integer value of a hash field', complexity: O1 },
  hincrbyfloat: { summary: 'Add a floating point number to the numeric value of a hash field', complexity: O1 },
  hrandfield: { summary: 'Random fields of a hash, optionally with their values', complexity: 'O(N), N the fields returned' },
  hscan: { summary: 'Iterate over the fields and values of a hash with a cursor', complexity: 'O(1) per call; O(N) for a whole iteration' },

  // sets
  sadd: { summary: 'Add members to a set, creating it if needed', complexity: 'O(1) per member added', history: ['Takes several members at once.'] },
  srem: { summary: 'Remove members from a set', complexity: 'O(N), N the members removed', history: ['Takes several members at once.'] },
  smembers: { summary: 'Every member of a set', complexity: 'O(N), N the size of the set' },
  sismember: { summary: 'Whether a value is a member of a set', complexity: O1 },
  smismember: { summary: 'Whether each of several values is a member of a set', complexity: 'O(N), N the values tested' },
  scard: { summary: 'Number of members of a set', complexity: O1 },
  spop: { summary: 'Remove and return random members of a set', complexity: 'O(N), N the members returned', history: ['Takes a count.'] },
  srandmember: { summary: 'Random members of a set, without removing them', complexity: 'O(N), N the members returned', history: ['Takes a count.'] },
  smove: { summary: 'Move a member from one set to another', complexity: O1 },
  sinter: { summary: 'Members common to every given set', complexity: 'O(N*M), N the smallest set, M the number of sets' },
  sintercard: { summary: 'Number of members common to every given set, optionally capped', complexity: 'O(N*M), N the smallest set, M the number of sets' },
  sinterstore: { summary: 'Store the members common to every given set in a key', complexity: 'O(N*M), N the smallest set, M the number of sets' },
  sunion: { summary: 'Members of any of the given sets', complexity: 'O(N), N the members of every set' },
  sunionstore: { summary: 'Store the members of any of the given sets in a key', complexity: 'O(N), N the members of every set' },
  sdiff: { summary: 'Members of the first set that are in none of the others', complexity: 'O(N), N the members of every set' },
  sdiffstore: { summary: 'Store the members of the first set that are in none of the others in a key', complexity: 'O(N), N the members of every set' },
  sscan: { summary: 'Iterate over the members of a set with a cursor', complexity: 'O(1) per call; O(N) for a whole iteration' },

  // strings
  get: { summary: 'Return the string stored at a key', complexity: O1 },
  set: {
    summary: 'Store a string at a key, with optional expiry and conditions',
    complexity: O1,
    history: [
      'EX, PX, NX and XX options.',
      'KEEPTTL option.',
      'GET, EXAT and PXAT options.',
      'NX and GET may be combined.',
    ],
  },
  setnx: { summary: 'Store a string at a key only when the key is absent', complexity: O1 },
  setex: { summary: 'Store a string at a key with a time to live in seconds', complexity: O1 },
  psetex: { summary: 'Store a string at a key with a time to live in milliseconds', complexity: O1 },
  mget: { summary: 'Return the strings stored at several keys', complexity: 'O(N), N = keys requested.' },
  mset: { summary: 'Store strings at several keys at once', complexity: 'O(N), N = keys written.' },
  msetnx: {
    summary: 'Store strings at several keys, only when none of them exists',
    complexity: 'O(N), N = keys written.',
  },
  getset: {
    summary: 'Store a string at a key and return the value it replaced',
    complexity: O1,
    replacedBy: 'SET key value GET',
  },
  getdel: { summary: 'Return the string at a key and remove the key', complexity: O1 },
  getex: { summary: 'Return the string at a key and change its expiry', complexity: O1 },
  append: {
    summary: 'Add bytes to the end of the string at a key',
    complexity: 'O(1) amortised: the buffer grows geometrically.',
  },
  strlen: { summary: 'Return the byte length of the string at a key', complexity: O1 },
  getrange: {
    summary: 'Return a byte range of the string at a key',
    complexity: 'O(N), N = length of the range returned.',
  },
  setrange: {
    summary: 'Overwrite part of the string at a key, starting at an offset',
    complexity: 'O(1) plus copying the new bytes, O(M) for M bytes written.',
  },
  substr: {
    summary: 'Return a byte range of the string at a key (older name of GETRANGE)',
    complexity: 'O(N), N = length of the range returned.',
    replacedBy: 'GETRANGE',
  },
  incr: { summary: 'Add one to the integer stored at a key', complexity: O1 },
  decr: { summary: 'Subtract one from the integer stored at a key', complexity: O1 },
  incrby: { summary: 'Add an integer to the integer stored at a key', complexity: O1 },
  decrby: { summary: 'Subtract an integer from the integer stored at a key', complexity: O1 },
  incrbyfloat: { summary: 'Add a floating point number to the number stored at a key', complexity: O1 },
  lcs: {
    summary: 'Find the longest common subsequence of two strings',
    complexity: 'O(N*M) for strings of lengths N and M.',
  },

  // keyspace
  del: {
    summary: 'Remove keys',
    complexity: 'O(N) over the keys removed, plus O(M) per collection for its M elements.',
  },
  unlink: {
    summary: 'Remove keys, reclaiming their memory in the background',
    complexity: 'O(1) per key now; the memory is freed later.',
  },
  exists: {
    summary: 'Count how many of the given keys exist',
    complexity: 'O(N), N = keys given.',
    history: ['Takes several keys.'],
  },
  type: { summary: 'Return the type of the value at a key', complexity: O1 },
  keys: {
    summary: 'List the keys that match a glob pattern',
    complexity: 'O(N), N = keys in the database.',
  },
  scan: {
    summary: 'Walk the keyspace a batch at a time with a cursor',
    complexity: 'O(1) per call; O(N) for a full pass over N keys.',
    history: ['TYPE filter.'],
  },
  rename: { summary: 'Give a key a new name, replacing any key of that name', complexity: O1 },
  renamenx: {
    summary: 'Give a key a new name only when that name is free',
    complexity: O1,
    history: ['Renaming a key to its own name is no longer an error.'],
  },
  copy: {
    summary: 'Duplicate the value of a key under another key',
    complexity: 'O(1) for strings, O(N) for a collection of N items.',
  },
  move: { summary: 'Move a key to another database', complexity: O1 },
  randomkey: { summary: 'Return a key picked at random', complexity: O1 },
  dbsize: { summary: 'Return the number of keys in the current database', complexity: O1 },
  flushdb: {
    summary: 'Remove every key of the current database',
    complexity: 'O(N), N = keys in the database.',
    history: ['ASYNC mode.', 'SYNC mode.'],
  },
  flushall: {
    summary: 'Remove every key of every database',
    complexity: 'O(N), N = keys in all databases.',
    history: ['ASYNC mode.', 'SYNC mode.'],
  },
  swapdb: {
    summary: 'Exchange the contents of two databases',
    complexity: 'O(N), N = clients watching or blocked on keys of either database.',
  },
  expire: { summary: 'Set a key to expire after a number of seconds', complexity: O1, history: EXPIRE_OPTIONS },
  pexpire: { summary: 'Set a key to expire after a number of milliseconds', complexity: O1, history: EXPIRE_OPTIONS },
  expireat: { summary: 'Set a key to expire at a Unix time in seconds', complexity: O1, history: EXPIRE_OPTIONS },
  pexpireat: { summary: 'Set a key to expire at a Unix time in milliseconds', complexity: O1, history: EXPIRE_OPTIONS },
  ttl: {
    summary: 'Return the seconds a key has left to live',
    complexity: O1,
    history: ['Returns -2 for a missing key.'],
  },
  pttl: {
    summary: 'Return the milliseconds a key has left to live',
    complexity: O1,
    history: ['Returns -2 for a missing key.'],
  },
  expiretime: { summary: 'Return the Unix time in seconds at which a key expires', complexity: O1 },
  pexpiretime: { summary: 'Return the Unix time in milliseconds at which a key expires', complexity: O1 },
  persist: { summary: 'Remove the expiry of a key', complexity: O1 },
  touch: {
    summary: 'Update the last access time of keys and count those that exist',
    complexity: 'O(N), N = keys given.',
  },
  object: { summary: 'Inspect how a value is stored', complexity: BY_SUBCOMMAND },
  'object|encoding': { summary: 'Return the internal encoding of the value at a key', complexity: O1 },
  'object|refcount': { summary: 'Return the reference count of the value at a key', complexity: O1 },
  'object|idletime': { summary: 'Return the seconds since the value at a key was used', complexity: O1 },
  'object|freq': { summary: 'Return the LFU access counter of the value at a key', complexity: O1 },
  'object|help': { summary: 'Describe the OBJECT subcommands', complexity: O1 },

  // connection
  ping: { summary: 'Check the connection; the server answers PONG or echoes a message', complexity: O1 },
  echo: { summary: 'Return the message given', complexity: O1 },
  quit: { summary: 'Close the connection after replying', complexity: O1 },
  reset: { summary: 'Return the connection to its initial state', complexity: O1 },
  select: { summary: 'Switch the connection to another database', complexity: O1 },
  auth: {
    summary: 'Authenticate the connection',
    complexity: 'O(N), N = passwords defined for the user.',
    history: ['Username and password form.'],
  },
  hello: {
    summary: 'Choose the protocol version, optionally authenticate, and describe the connection',
    complexity: O1,
    history: ['The protocol version became optional; without it the reply describes the connection.'],
  },
  client: { summary: 'Inspect and manage client connections', complexity: BY_SUBCOMMAND },
  'client|id': { summary: 'Return the id of this connection', complexity: O1 },
  'client|setname': { summary: 'Name this connection', complexity: O1 },
  'client|getname': { summary: 'Return the name of this connection', complexity: O1 },
  'client|setinfo': { summary: 'Record the client library name or version for this connection', complexity: O1 },
  'client|list': {
    summary: 'Describe every client connection',
    complexity: 'O(N), N = connections.',
    history: [
      'id field.',
      'TYPE filter.',
      'user field.',
      'argv-mem, tot-mem, laddr and redir fields; ID filter.',
      'resp, multi-mem, rbs and rbp fields.',
      'ssub field.',
    ],
  },
  'client|info': { summary: 'Describe this connection', complexity: O1 },
  'client|kill': {
    summary: 'Close client connections chosen by address, id or other filters',
    complexity: 'O(N), N = connections.',
    history: [
      'Filter form (name value pairs).',
      'ID filter.',
      'TYPE master.',
      'TYPE replica; slave still accepted.',
      'LADDR filter.',
    ],
  },
  'client|help': { summary: 'Describe the CLIENT subcommands', complexity: O1 },
  'client|unblock': { summary: 'End the wait of a client blocked in a blocking command, as a timeout or with an error', complexity: 'O(log N), N the clients waiting' },

  // server
  command: { summary: 'Describe every command the server knows', complexity: 'O(N), N = commands.' },
  'command|count': { summary: 'Return how many commands the server knows', complexity: O1 },
  'command|info': {
    summary: 'Describe the given commands, or all of them',
    complexity: 'O(N), N = commands asked about.',
    history: ['Without names it describes every command.'],
  },
  'command|docs': { summary: 'Return the documentation of commands', complexity: 'O(N), N = commands asked about.' },
  'command|list': { summary: 'List command names, optionally filtered', complexity: 'O(N), N = commands.' },
  'command|getkeys': {
    summary: 'Show which arguments of a full command line are keys',
    complexity: 'O(N), N = arguments.',
  },
  'command|getkeysandflags': {
    summary: 'Show which arguments of a full command line are keys, with their access flags',
    complexity: 'O(N), N = arguments.',
  },
  'command|help': { summary: 'Describe the COMMAND subcommands', complexity: O1 },
  info: {
    summary: 'Report server information and statistics',
    complexity: O1,
    history: ['Several sections may be named.'],
  },
  config: { summary: 'Read and change the server configuration', complexity: BY_SUBCOMMAND },
  'config|get': {
    summary: 'Return configuration parameters matching glob patterns',
    complexity: 'O(N), N = parameters asked about.',
    history: ['Several patterns per call.'],
  },
  'config|set': {
    summary: 'Change configuration parameters at run time',
    complexity: 'O(N), N = parameters set.',
    history: ['Several parameters per call.'],
  },
  'config|resetstat': { summary: 'Zero the statistics reported by INFO', complexity: O1 },
  'config|help': { summary: 'Describe the CONFIG subcommands', complexity: O1 },
  time: { summary: 'Return the server clock', complexity: O1 },
  shutdown: {
    summary: 'Stop the server, saving first when configured to',
    complexity: 'O(N) when saving N keys, otherwise O(1).',
    history: ['NOW, FORCE and ABORT modifiers.'],
  },
  debug: { summary: 'Debugging and testing hooks', complexity: BY_SUBCOMMAND },
};
