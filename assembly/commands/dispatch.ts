// Command id → implementation, for the commands the engine executes. The ids and every fact
// about a command (arity, flags, keys) come from the generated table (table.generated.ts, made
// from src/commands/spec.ts); this switch only names the family function that runs it.

import * as T from "./table.generated";
import * as S from "./strings";
import * as K from "./keys";
import * as C from "./connection";
import * as L from "./lists";
import * as HA from "./hashes";
import * as St from "./sets";
import * as B from "./bitmaps";
import * as H from "./hyperloglog";
import * as SO from "./sort";
import * as Z from "./zsets";
import * as PS from "../pubsub";
import { writeError } from "../resp/writer";

/** Run engine command `id` (arity already checked). */
export function executeCommand(id: i32): void {
  switch (id) {
    // strings (strings.ts)
    case T.CMD_GET: S.getCommand(); break;
    case T.CMD_SET: S.setCommand(); break;
    case T.CMD_SETNX: S.setnxCommand(); break;
    case T.CMD_SETEX: S.setexCommand(); break;
    case T.CMD_PSETEX: S.psetexCommand(); break;
    case T.CMD_MGET: S.mgetCommand(); break;
    case T.CMD_MSET: S.msetCommand(); break;
    case T.CMD_MSETNX: S.msetnxCommand(); break;
    case T.CMD_GETSET: S.getsetCommand(); break;
    case T.CMD_GETDEL: S.getdelCommand(); break;
    case T.CMD_GETEX: S.getexCommand(); break;
    case T.CMD_APPEND: S.appendCommand(); break;
    case T.CMD_STRLEN: S.strlenCommand(); break;
    case T.CMD_GETRANGE: S.getrangeCommand(); break;
    case T.CMD_SUBSTR: S.getrangeCommand(); break;
    case T.CMD_SETRANGE: S.setrangeCommand(); break;
    case T.CMD_INCR: S.incrCommand(); break;
    case T.CMD_DECR: S.decrCommand(); break;
    case T.CMD_INCRBY: S.incrbyCommand(); break;
    case T.CMD_DECRBY: S.decrbyCommand(); break;
    // keys (keys.ts)
    case T.CMD_DEL: K.delCommand(); break;
    case T.CMD_UNLINK: K.delCommand(); break;
    case T.CMD_EXISTS: K.existsCommand(); break;
    case T.CMD_TYPE: K.typeCommand(); break;
    case T.CMD_KEYS: K.keysCommand(); break;
    case T.CMD_SCAN: K.scanCommand(); break;
    case T.CMD_RENAME: K.renameCommand(); break;
    case T.CMD_RENAMENX: K.renamenxCommand(); break;
    case T.CMD_COPY: K.copyCommand(); break;
    case T.CMD_MOVE: K.moveCommand(); break;
    case T.CMD_RANDOMKEY: K.randomkeyCommand(); break;
    case T.CMD_DBSIZE: K.dbsizeCommand(); break;
    case T.CMD_FLUSHDB: K.flushdbCommand(); break;
    case T.CMD_FLUSHALL: K.flushallCommand(); break;
    case T.CMD_SWAPDB: K.swapdbCommand(); break;
    case T.CMD_EXPIRE: K.expireCommand(); break;
    case T.CMD_PEXPIRE: K.pexpireCommand(); break;
    case T.CMD_EXPIREAT: K.expireatCommand(); break;
    case T.CMD_PEXPIREAT: K.pexpireatCommand(); break;
    case T.CMD_TTL: K.ttlCommand(); break;
    case T.CMD_PTTL: K.pttlCommand(); break;
    case T.CMD_EXPIRETIME: K.expiretimeCommand(); break;
    case T.CMD_PEXPIRETIME: K.pexpiretimeCommand(); break;
    case T.CMD_PERSIST: K.persistCommand(); break;
    case T.CMD_TOUCH: K.touchCommand(); break;
    case T.CMD_OBJECT_ENCODING: K.objectEncodingCommand(); break;
    case T.CMD_OBJECT_REFCOUNT: K.objectRefcountCommand(); break;
    case T.CMD_OBJECT_IDLETIME: K.objectIdletimeCommand(); break;
    case T.CMD_OBJECT_FREQ: K.objectFreqCommand(); break;
    case T.CMD_OBJECT_HELP: K.objectHelpCommand(); break;
    // lists (lists.ts)
    case T.CMD_LPUSH: L.lpushCommand(); break;
    case T.CMD_RPUSH: L.rpushCommand(); break;
    case T.CMD_LPUSHX: L.lpushxCommand(); break;
    case T.CMD_RPUSHX: L.rpushxCommand(); break;
    case T.CMD_LPOP: L.lpopCommand(); break;
    case T.CMD_RPOP: L.rpopCommand(); break;
    case T.CMD_LLEN: L.llenCommand(); break;
    case T.CMD_LRANGE: L.lrangeCommand(); break;
    case T.CMD_LINDEX: L.lindexCommand(); break;
    case T.CMD_LSET: L.lsetCommand(); break;
    case T.CMD_LINSERT: L.linsertCommand(); break;
    case T.CMD_LREM: L.lremCommand(); break;
    case T.CMD_LTRIM: L.ltrimCommand(); break;
    case T.CMD_LPOS: L.lposCommand(); break;
    case T.CMD_LMOVE: L.lmoveCommand(); break;
    case T.CMD_RPOPLPUSH: L.rpoplpushCommand(); break;
    case T.CMD_LMPOP: L.lmpopCommand(); break;
    // hashes (hashes.ts; HINCRBYFLOAT is a host command)
    case T.CMD_HSET: HA.hsetCommand(); break;
    case T.CMD_HSETNX: HA.hsetnxCommand(); break;
    case T.CMD_HGET: HA.hgetCommand(); break;
    case T.CMD_HMSET: HA.hmsetCommand(); break;
    case T.CMD_HMGET: HA.hmgetCommand(); break;
    case T.CMD_HDEL: HA.hdelCommand(); break;
    case T.CMD_HLEN: HA.hlenCommand(); break;
    case T.CMD_HSTRLEN: HA.hstrlenCommand(); break;
    case T.CMD_HEXISTS: HA.hexistsCommand(); break;
    case T.CMD_HKEYS: HA.hkeysCommand(); break;
    case T.CMD_HVALS: HA.hvalsCommand(); break;
    case T.CMD_HGETALL: HA.hgetallCommand(); break;
    case T.CMD_HINCRBY: HA.hincrbyCommand(); break;
    case T.CMD_HRANDFIELD: HA.hrandfieldCommand(); break;
    case T.CMD_HSCAN: HA.hscanCommand(); break;
    // sets (sets.ts)
    case T.CMD_SADD: St.saddCommand(); break;
    case T.CMD_SREM: St.sremCommand(); break;
    case T.CMD_SMEMBERS: St.smembersCommand(); break;
    case T.CMD_SISMEMBER: St.sismemberCommand(); break;
    case T.CMD_SMISMEMBER: St.smismemberCommand(); break;
    case T.CMD_SCARD: St.scardCommand(); break;
    case T.CMD_SPOP: St.spopCommand(); break;
    case T.CMD_SRANDMEMBER: St.srandmemberCommand(); break;
    case T.CMD_SMOVE: St.smoveCommand(); break;
    case T.CMD_SINTER: St.sinterCommand(); break;
    case T.CMD_SINTERCARD: St.sintercardCommand(); break;
    case T.CMD_SINTERSTORE: St.sinterstoreCommand(); break;
    case T.CMD_SUNION: St.sunionCommand(); break;
    case T.CMD_SUNIONSTORE: St.sunionstoreCommand(); break;
    case T.CMD_SDIFF: St.sdiffCommand(); break;
    case T.CMD_SDIFFSTORE: St.sdiffstoreCommand(); break;
    case T.CMD_SSCAN: St.sscanCommand(); break;
    // blocking (lists.ts; waits are queued and served by ../blocking.ts)
    case T.CMD_BLPOP: L.blpopCommand(); break;
    case T.CMD_BRPOP: L.brpopCommand(); break;
    case T.CMD_BLMOVE: L.blmoveCommand(); break;
    case T.CMD_BRPOPLPUSH: L.brpoplpushCommand(); break;
    case T.CMD_BLMPOP: L.blmpopCommand(); break;
    case T.CMD_BZPOPMIN: Z.bzpopminCommand(); break;
    case T.CMD_BZPOPMAX: Z.bzpopmaxCommand(); break;
    case T.CMD_BZMPOP: Z.bzmpopCommand(); break;
    // bitmaps (bitmaps.ts)
    case T.CMD_SETBIT: B.setbitCommand(); break;
    case T.CMD_GETBIT: B.getbitCommand(); break;
    case T.CMD_BITCOUNT: B.bitcountCommand(); break;
    case T.CMD_BITPOS: B.bitposCommand(); break;
    case T.CMD_BITOP: B.bitopCommand(); break;
    case T.CMD_BITFIELD: B.bitfieldCommand(); break;
    case T.CMD_BITFIELD_RO: B.bitfieldRoCommand(); break;
    // HyperLogLog (hyperloglog.ts)
    case T.CMD_PFADD: H.pfaddCommand(); break;
    case T.CMD_PFCOUNT: H.pfcountCommand(); break;
    case T.CMD_PFMERGE: H.pfmergeCommand(); break;
    case T.CMD_PFDEBUG: H.pfdebugCommand(); break;
    case T.CMD_PFSELFTEST: H.pfselftestCommand(); break;
    // SORT (sort.ts)
    case T.CMD_SORT: SO.sortCommand(); break;
    case T.CMD_SORT_RO: SO.sortRoCommand(); break;
    // sorted sets (zsets.ts)
    case T.CMD_ZADD: Z.zaddCommand(); break;
    case T.CMD_ZINCRBY: Z.zincrbyCommand(); break;
    case T.CMD_ZREM: Z.zremCommand(); break;
    case T.CMD_ZCARD: Z.zcardCommand(); break;
    case T.CMD_ZCOUNT: Z.zcountCommand(); break;
    case T.CMD_ZLEXCOUNT: Z.zlexcountCommand(); break;
    case T.CMD_ZSCORE: Z.zscoreCommand(); break;
    case T.CMD_ZMSCORE: Z.zmscoreCommand(); break;
    case T.CMD_ZRANK: Z.zrankCommand(); break;
    case T.CMD_ZREVRANK: Z.zrevrankCommand(); break;
    case T.CMD_ZRANGE: Z.zrangeCommand(); break;
    case T.CMD_ZRANGESTORE: Z.zrangestoreCommand(); break;
    case T.CMD_ZREVRANGE: Z.zrevrangeCommand(); break;
    case T.CMD_ZRANGEBYSCORE: Z.zrangebyscoreCommand(); break;
    case T.CMD_ZREVRANGEBYSCORE: Z.zrevrangebyscoreCommand(); break;
    case T.CMD_ZRANGEBYLEX: Z.zrangebylexCommand(); break;
    case T.CMD_ZREVRANGEBYLEX: Z.zrevrangebylexCommand(); break;
    case T.CMD_ZREMRANGEBYRANK: Z.zremrangebyrankCommand(); break;
    case T.CMD_ZREMRANGEBYSCORE: Z.zremrangebyscoreCommand(); break;
    case T.CMD_ZREMRANGEBYLEX: Z.zremrangebylexCommand(); break;
    case T.CMD_ZPOPMIN: Z.zpopminCommand(); break;
    case T.CMD_ZPOPMAX: Z.zpopmaxCommand(); break;
    case T.CMD_ZMPOP: Z.zmpopCommand(); break;
    case T.CMD_ZUNION: Z.zunionCommand(); break;
    case T.CMD_ZUNIONSTORE: Z.zunionstoreCommand(); break;
    case T.CMD_ZINTER: Z.zinterCommand(); break;
    case T.CMD_ZINTERSTORE: Z.zinterstoreCommand(); break;
    case T.CMD_ZINTERCARD: Z.zintercardCommand(); break;
    case T.CMD_ZDIFF: Z.zdiffCommand(); break;
    case T.CMD_ZDIFFSTORE: Z.zdiffstoreCommand(); break;
    case T.CMD_ZRANDMEMBER: Z.zrandmemberCommand(); break;
    case T.CMD_ZSCAN: Z.zscanCommand(); break;
    // connection (connection.ts)
    case T.CMD_PING: C.pingCommand(); break;
    // pub/sub (../pubsub.ts; SUBSCRIBE and its kin change connection state and run in the host)
    case T.CMD_PUBLISH: PS.publishCommand(); break;
    case T.CMD_SPUBLISH: PS.spublishCommand(); break;
    case T.CMD_PUBSUB_CHANNELS: PS.pubsubChannelsCommand(false); break;
    case T.CMD_PUBSUB_SHARDCHANNELS: PS.pubsubChannelsCommand(true); break;
    case T.CMD_PUBSUB_NUMSUB: PS.pubsubNumsubCommand(false); break;
    case T.CMD_PUBSUB_SHARDNUMSUB: PS.pubsubNumsubCommand(true); break;
    case T.CMD_PUBSUB_NUMPAT: PS.pubsubNumpatCommand(); break;
    case T.CMD_PUBSUB_HELP: PS.pubsubHelpCommand(); break;
    case T.CMD_ECHO: C.echoCommand(); break;
    default:
      // a command marked as engine-run in the table without a case here: a bug, say so
      writeError("ERR command not implemented in the engine");
  }
}
