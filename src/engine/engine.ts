/**
 * Engine: the wasmdis engine in-process, with no socket. Commands go through exactly the same
 * path as a TCP client's (WASM parser, engine or host command, encoders); replies are decoded
 * into JavaScript values.
 *
 * ```ts
 * const db = await Engine.create();
 * await db.call('SET', 'k', 'v');   // 'OK'
 * await db.call('GET', 'k');        // 'v'
 * ```
 *
 * Real clients connect to it through in-process streams (no TCP), each with its own session over
 * the same keyspace:
 *
 * ```ts
 * const redis = new Redis(db.ioredisOptions());                  // ioredis
 * const client = await createClient(db.nodeRedisOptions()).connect(); // node-redis
 * ```
 */
import { EngineCore } from './core.js';
import { Session } from './session.js';
import { ServerState } from '../server/state.js';
import { Config } from '../server/config.js';
import { applyEngineConfig } from '../server/engine-config.js';
import { decodeReply } from '../resp/reply-decoder.js';
import { ReplyError } from '../resp/errors.js';
import { pubsubClosed } from '../commands/pubsub.js';
import { CustomCommands, type CustomCommandTable, type CustomCommandSpec } from '../commands/custom.js';
import { EngineSocket, ioredisConnector, nodeRedisSocketOptions, type IoredisConnector } from './duplex.js';

/** Options for {@link Engine.create}. */
export interface EngineOptions {
  /** Number of databases (default 16). */
  databases?: number;
  /** Configuration parameters, as in redis.conf (e.g. `{ 'proto-max-bulk-len': '1mb' }`). */
  config?: Record<string, string>;
  /** Use a non-shared WebAssembly.Memory (default false: shared, like the server). */
  localMemory?: boolean;
  /**
   * Custom commands beside the built-in ones (see {@link CustomCommandSpec}); a name that is a
   * built-in command is refused.
   */
  commands?: CustomCommandTable;
}

type Arg = string | number | bigint | Uint8Array;

/** Encode one command as a RESP multibulk request. */
export function encodeCommand(args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a instanceof Uint8Array ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/** A Pub/Sub message push: ['message' | 'pmessage' | 'smessage', …]. */
function isMessage(v: unknown): boolean {
  return Array.isArray(v) && (v[0] === 'message' || v[0] === 'pmessage' || v[0] === 'smessage');
}

/** The wasmdis engine, in-process. */
export class Engine {
  private readonly core: EngineCore;
  private readonly session = new Session();
  private readonly state: ServerState;
  private closed = false;
  /** Client connections opened with connect() and still open. */
  private readonly sockets = new Set<EngineSocket>();

  private constructor(core: EngineCore, state: ServerState) {
    this.core = core;
    this.state = state;
    state.core = core;
    state.counters.addRegion(core.region);
    state.sessions.set(this.session.id, this.session);
    core.pushes.sessions = state.sessions;
    this.session.push = (bytes) => this.pushed(bytes);
  }

  private pushListeners: ((message: unknown) => void)[] = [];

  /**
   * Receive the Pub/Sub messages this session gets after SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE
   * (its own PUBLISHes after HELLO 3, keyspace events, expiry events from the periodic cycle).
   * Each is decoded: `['message', channel, payload]`, `['pmessage', pattern, channel, payload]`.
   */
  onPush(listener: (message: unknown) => void): void {
    this.pushListeners.push(listener);
  }

  private pushed(bytes: Buffer): void {
    for (let at = 0; at < bytes.length;) {
      const d = decodeReply(bytes, at, { stringify: true });
      if (!d) break;
      at = d.end;
      for (const l of this.pushListeners) l(d.value);
    }
  }

  /** Create an engine with its own (new) memory and keyspace. */
  static async create(opts: EngineOptions = {}): Promise<Engine> {
    const config = new Config();
    if (opts.databases !== undefined) config.setStartup('databases', [String(opts.databases)]);
    for (const [k, v] of Object.entries(opts.config ?? {})) config.setStartup(k, [v]);
    const commands = opts.commands ? new CustomCommands(opts.commands) : undefined;
    const core = new EngineCore({ databases: config.getNumber('databases'), shared: !opts.localMemory, commands });
    const state = new ServerState(config, false);
    applyEngineConfig(config, core);
    return new Engine(core, state);
  }

  /**
   * Run one command; resolves with its decoded reply (strings as JS strings). Error replies
   * reject with a ReplyError carrying Redis's text.
   */
  async call(...args: Arg[]): Promise<unknown> {
    const raw = await this.callRaw(args);
    // RESP3: messages this command published to this very session (or keyspace events it
    // caused) arrive as pushes before its reply; they go to the onPush listeners
    // (and after it, for the commands Redis publishes after replying)
    let reply: { value: unknown } | undefined;
    for (let at = 0; at < raw.length;) {
      const decoded = decodeReply(raw, at, { stringify: true });
      if (!decoded) throw new Error('wasmdis: incomplete reply');
      if (raw[at] === 0x3e && isMessage(decoded.value)) for (const l of this.pushListeners) l(decoded.value);
      else reply ??= decoded;
      at = decoded.end;
    }
    if (!reply) throw new Error('wasmdis: no reply');
    if (reply.value instanceof ReplyError) throw reply.value;
    return reply.value;
  }

  /** Run one command; resolves with the raw RESP bytes of its reply. */
  async callRaw(args: readonly Arg[]): Promise<Buffer> {
    if (this.closed) throw new Error('wasmdis: engine is closed');
    const ctx = { core: this.core, server: this.state };
    const { chunks, wait } = this.core.feed(this.session, encodeCommand(args), ctx);
    if (wait) chunks.push((await wait).reply);
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }

  /** Feed raw request bytes (any number of commands, possibly partial); returns the reply bytes. */
  feedRaw(bytes: Uint8Array): { reply: Buffer; close: boolean } {
    const { chunks, close } = this.core.feed(this.session, Buffer.from(bytes), { core: this.core, server: this.state });
    return { reply: Buffer.concat(chunks), close };
  }

  /**
   * Open a new client connection as a Duplex stream: write RESP requests to it, read replies,
   * Pub/Sub messages and blocked-command replies from it. It is a session of its own (its own
   * CLIENT ID, db, protocol, subscriptions, transaction) over this engine's keyspace, listed by
   * CLIENT LIST and counted in INFO clients. Ending or destroying the stream disconnects it as a
   * TCP disconnect would (blocked waits, subscriptions, MULTI and WATCH are released); QUIT and
   * CLIENT KILL end the stream from the engine's side.
   */
  connect(): EngineSocket {
    if (this.closed) throw new Error('wasmdis: engine is closed');
    const socket = new EngineSocket(this.core, this.state);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /**
   * ioredis options that connect to this engine in-process through its `Connector` option:
   * `new Redis(engine.ioredisOptions())`, or `new Redis({ ...engine.ioredisOptions(), db: 1 })`.
   * Reconnections open new in-process connections.
   */
  ioredisOptions(): { Connector: new (options?: unknown) => IoredisConnector } {
    return { Connector: ioredisConnector(this) };
  }

  /**
   * node-redis options that connect to this engine in-process:
   * `createClient(engine.nodeRedisOptions())`, or
   * `createClient({ ...engine.nodeRedisOptions(), RESP: 3 })`.
   * node-redis has no transport hook: see {@link nodeRedisSocketOptions} for how it is plugged in.
   */
  nodeRedisOptions(): { socket: Record<string | symbol, unknown> } {
    return { socket: nodeRedisSocketOptions(this) };
  }

  /** Run the periodic cycle now (active expiry, table resizing); returns keys expired. */
  cron(): number {
    const expired = this.core.cron();
    this.core.pushes.drain(); // "expired" events for this session's subscriptions
    return expired;
  }

  /** Release the engine and disconnect its clients (its memory is freed with the object). */
  close(): void {
    this.closed = true;
    for (const s of [...this.sockets]) s.destroy();
    this.core.sessionClosed(this.session);
    pubsubClosed(this.session, { core: this.core, server: this.state });
    this.state.sessions.delete(this.session.id);
  }
}
