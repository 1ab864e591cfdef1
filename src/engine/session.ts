/**
 * Session: the per-connection state a command can see or change — selected db, protocol,
 * authentication, client name — plus the unparsed tail of its input. Shared by TCP clients
 * and the in-process Engine.
 */

/** run() flag bits (assembly/run.ts RF_*). */
export const RF_AUTHED = 1;
export const RF_SUBSCRIBED = 2;
export const RF_MULTI = 4;
export const RF_MONITOR = 8;

/** The channels, patterns and shard channels a connection listens on (keys: latin1 of the bytes). */
export interface Subscriptions {
  channels: Set<string>;
  patterns: Set<string>;
  shard: Set<string>;
}
/** Set by EngineCore.exec while it replays a transaction (not a Session state). */
export const RF_EXEC = 16;

let localIds = 1;

/**
 * Where CLIENT IDs come from: a counter unique across the process. Threaded servers replace it
 * with a counter in shared memory so ids are unique across worker threads.
 */
export const clientIds = { next: (): number => localIds++ };

/** State of one client connection (or one in-process Engine). */
export class Session {
  /** CLIENT ID: unique and increasing, as in Redis. */
  readonly id = clientIds.next();
  db = 0;
  resp: 2 | 3 = 2;
  authed = true;
  user = 'default';
  name = '';
  libName = '';
  libVer = '';
  /** Seconds-resolution creation time and last command time (CLIENT LIST age/idle). */
  readonly createdAt = Date.now();
  lastCommandAt = Date.now();
  lastCommand = 'NULL';
  /** Request bytes received but not yet parsed into a complete command. */
  pending: Buffer[] = [];
  pendingBytes = 0;
  /** Bytes the incomplete command needs before it is worth parsing again (0 = unknown). */
  need = 0;
  /** Remote address `ip:port` and local `ip:port` (empty for in-process sessions). */
  addr = '';
  laddr = '';
  fd = -1;
  /** A host command of this session waits for other threads; input queues in `pending`. */
  waiting = false;
  /** Waiter id while a blocking command (BLPOP …) waits; 0 otherwise (see engine/blocked.ts). */
  blockedWaiter = 0;
  /** Set by CLIENT KILL: the transport closes the connection. */
  killed = false;
  /** Inside MULTI: the queue block in engine memory (assembly/transaction.ts); 0 otherwise. */
  txQueue = 0;
  /** Commands queued so far (CLIENT LIST multi=), refreshed after each batch while in MULTI. */
  txCount = 0;
  /** While the host runs this client's EXEC: its command count (it still shows as in MULTI); -1 otherwise. */
  execCount = -1;
  /** This client's WATCH record in engine memory (assembly/watch.ts); 0 until it first watches. */
  watchRecord = 0;
  /** Whether a key this client watches was modified (CLIENT LIST flag d); set with watchRecord. */
  watchDirty: () => boolean = () => false;
  /** Called to close the transport (set by the server). */
  closeTransport: (() => void) | undefined;
  /** Pub/Sub: what this connection listens on (undefined until its first SUBSCRIBE). */
  subs: Subscriptions | undefined;
  /** Its client record in engine memory (assembly/pubsub.ts), 0 until it subscribes or monitors. */
  pubsubRec = 0;
  /** In MONITOR mode. */
  monitor = false;
  /** Sends messages and MONITOR lines to the client (set by the transport). */
  push: ((bytes: Buffer) => void) | undefined;
  /** Its messages went past the output buffer limit: the transport closes it (set by the transport). */
  pushOverflow: (() => void) | undefined;

  /** Between MULTI and the end of EXEC/DISCARD (CLIENT LIST flag x). */
  get inMulti(): boolean {
    return this.txQueue !== 0 || this.execCount >= 0;
  }

  /** The connection state run() needs, as its RF_* flag bits (assembly/run.ts). */
  runFlags(): number {
    let f = this.authed ? RF_AUTHED : 0;
    if (this.resp === 2 && this.subscriptionCount() > 0) f |= RF_SUBSCRIBED;
    if (this.monitor) f |= RF_MONITOR;
    if (this.txQueue !== 0) f |= RF_MULTI;
    return f;
  }

  /** Channels + patterns + shard channels listened on (subscribed mode while > 0). */
  subscriptionCount(): number {
    const s = this.subs;
    return s === undefined ? 0 : s.channels.size + s.patterns.size + s.shard.size;
  }
}
