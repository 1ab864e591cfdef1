/**
 * ClientLink: one client connection served over some byte transport — request bytes in,
 * EngineCore.feed, replies out, Pub/Sub messages and blocked-command replies when they arrive,
 * QUIT / CLIENT KILL / protocol errors closing it, and the cleanup a disconnect needs (blocked
 * wait, transaction, WATCH, Pub/Sub records). The TCP server (server/connections.ts) and the
 * in-process duplex (engine/duplex.ts) both serve their clients through it, so the two behave
 * the same.
 *
 * Owns: the connection's Session and its lifecycle. Does not own the transport: it only writes
 * to it, ends it and destroys it through {@link LinkTransport}.
 */
import { Session } from './session.js';
import type { EngineCore } from './core.js';
import type { ServerState } from '../server/state.js';
import type { Logger } from '../server/log.js';
import type { HostContext } from '../commands/host.js';
import { pubsubClosed } from '../commands/pubsub.js';
import { pubsubOutputLimits, type OutputLimits } from '../server/engine-config.js';

/** Stop reading from a client whose unsent replies exceed this (resume when it catches up). */
export const OUTPUT_HIGH_WATER = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** What a ClientLink needs from the byte stream it serves. */
export interface LinkTransport {
  /** Send bytes to the client. */
  write(bytes: Buffer): void;
  /** Close once the bytes written so far are delivered (after QUIT's reply, CLIENT KILL …). */
  end(): void;
  /** Close now; unsent output is dropped. */
  destroy(): void;
  /** Whether the transport is already gone. */
  readonly destroyed: boolean;
  /** Output bytes written but not yet taken by the client. */
  readonly pendingOutput: number;
  /** Output piles up past {@link OUTPUT_HIGH_WATER}: stop taking input until the client catches up. */
  throttle?(): void;
}

/** Hooks and identity of one link. */
export interface LinkOptions {
  /** Warnings (client closed for a limit, a host error); none are logged when absent. */
  log?: Logger;
  /** The engine itself failed (a WebAssembly trap): its state can no longer be trusted. */
  onFatal(err: Error): void;
  /** Count bytes sent to the client (INFO total_net_output_bytes). */
  countOutput(n: number): void;
  /** CLIENT LIST addr / laddr / fd. */
  addr?: string;
  laddr?: string;
  fd?: number;
}

/** Parsed client-output-buffer-limit pubsub class, re-parsed only when the setting changes. */
class PubsubLimits {
  private text: string | undefined = '';
  private limits: OutputLimits = pubsubOutputLimits(undefined);
  constructor(private readonly state: ServerState) {}
  get(): OutputLimits {
    const text = this.state.config.get('client-output-buffer-limit');
    if (text !== this.text) {
      this.text = text;
      this.limits = pubsubOutputLimits(text);
    }
    return this.limits;
  }
}
const limitsByState = new WeakMap<ServerState, PubsubLimits>();

/**
 * Why a new connection must be refused right now (maxclients reached), as the error line Redis
 * sends before closing it; undefined when it may connect. Counts the refusal.
 */
export function refuseConnection(state: ServerState): string | undefined {
  if (state.counters.connectedClients < state.config.getNumber('maxclients')) return undefined;
  state.counters.rejected();
  return '-ERR max number of clients reached\r\n';
}

/** One client connection: its Session, served over a {@link LinkTransport}. */
export class ClientLink {
  /** The connection's state (CLIENT ID, db, protocol, subscriptions …). */
  readonly session = new Session();
  private readonly ctx: HostContext;
  private closing = false;
  private gone = false;
  private softSince = 0;
  private readonly limits: PubsubLimits;

  /** Register a new connection of `state` (counted in INFO clients, listed by CLIENT LIST). */
  constructor(
    private readonly core: EngineCore,
    private readonly state: ServerState,
    private readonly transport: LinkTransport,
    private readonly opts: LinkOptions,
  ) {
    this.ctx = { core, server: state };
    let limits = limitsByState.get(state);
    if (!limits) limitsByState.set(state, limits = new PubsubLimits(state));
    this.limits = limits;
    const session = this.session;
    session.authed = (state.config.get('requirepass') ?? '') === '';
    session.addr = opts.addr ?? '';
    session.laddr = opts.laddr ?? '';
    session.fd = opts.fd ?? -1;
    session.closeTransport = () => transport.destroy();
    session.pushOverflow = () => this.overLimit();
    session.push = (bytes) => this.pushed(bytes);
    core.pushes.sessions = state.sessions;
    state.counters.connection();
    state.counters.connected(1);
    state.sessions.set(session.id, session);
  }

  /**
   * Messages and MONITOR lines; a subscriber that cannot keep up is disconnected as Redis does
   * (client-output-buffer-limit pubsub: past the hard limit, or past the soft one for too long).
   */
  private pushed(bytes: Buffer): void {
    const { transport, session } = this;
    if (this.closing || transport.destroyed) return;
    this.opts.countOutput(bytes.length);
    transport.write(bytes);
    if (session.subscriptionCount() === 0) return;
    const { hard, soft, seconds } = this.limits.get();
    const pending = transport.pendingOutput;
    if (hard > 0 && pending > hard) { this.overLimit(); return; }
    if (soft > 0 && pending > soft) {
      const now = Date.now();
      if (this.softSince === 0) this.softSince = now;
      else if (now - this.softSince >= seconds * 1000) this.overLimit();
    } else this.softSince = 0;
  }

  private overLimit(): void {
    const s = this.session;
    this.opts.log?.warning(`Client id=${s.id} addr=${s.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.closing = true;
    this.transport.destroy();
  }

  private send(bytes: Buffer): void {
    this.opts.countOutput(bytes.length);
    this.transport.write(bytes);
  }

  /** Bytes received from the client: run every complete command, send the replies. */
  input(chunk: Buffer): void {
    const { core, session, transport, opts } = this;
    if (this.closing) return;
    session.lastCommandAt = Date.now();
    let result;
    try {
      result = core.feed(session, chunk, this.ctx);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) { opts.onFatal(err); return; }
      opts.log?.warning(`Error serving client ${session.addr}: ${(err as Error).stack ?? err}`);
      this.closing = true;
      transport.write(Buffer.from('-ERR internal error\r\n'));
      transport.end();
      return;
    }
    const { chunks, close, wait } = result;
    if (chunks.length > 0) this.send(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    if (wait) {
      // a host command waits for other threads, or a blocking command for its data: its reply
      // comes next, then the rest of the input
      void wait.then(({ reply, close: closeAfter }) => {
        if (this.closing || transport.destroyed) return;
        this.send(reply);
        if (closeAfter || session.killed) { this.closing = true; transport.end(); return; }
        if (session.pendingBytes > 0) this.input(EMPTY);
      });
      return;
    }
    if (close || session.killed) {
      this.closing = true;
      transport.end();
      return;
    }
    if (session.pendingBytes > this.state.config.getNumber('client-query-buffer-limit')) {
      opts.log?.warning(`Closing client that reached max query buffer length: addr=${session.addr} qbuf=${session.pendingBytes}`);
      this.closing = true;
      transport.destroy();
      return;
    }
    if (transport.pendingOutput > OUTPUT_HIGH_WATER) transport.throttle?.();
  }

  /**
   * The transport closed (either side): forget the session's blocked wait, transaction, watched
   * keys and Pub/Sub records, as a disconnect does. Safe to call more than once.
   */
  closed(): void {
    if (this.gone) return;
    this.gone = true;
    this.closing = true;
    const { core, session, state } = this;
    core.sessionClosed(session);
    pubsubClosed(session, this.ctx);
    state.sessions.delete(session.id);
    state.counters.connected(-1);
  }
}
