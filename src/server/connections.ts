/**
 * Serving connections on one thread: sockets in, EngineCore.feed, replies out, per-connection
 * limits. The same code runs on the main thread (one thread) and on every worker thread.
 *
 * Owns: the sockets of this thread and traffic counting. Serving each one (limits, replies,
 * cleanup on close) is engine/client-link.ts, shared with the in-process duplex. Commands never
 * see a socket: they get a Session.
 */
import type net from 'node:net';
import type { EngineCore } from '../engine/core.js';
import type { ServerState } from './state.js';
import type { Logger } from './log.js';
import { ClientLink, refuseConnection } from '../engine/client-link.js';
import { plainAddress } from '../framework/listeners.js';


/** This thread's connections. */
export class ConnectionServer {
  readonly sockets = new Set<net.Socket>();
  /** Traffic since the last flush to the shared counters (atomics per read would cost more). */
  private netIn = 0;
  private netOut = 0;
  private readonly flushTimer: NodeJS.Timeout;

  /**
   * @param onFatal called when the engine itself failed (a WebAssembly trap): its state can no
   *   longer be trusted and the keyspace lock may be held, so the whole server must stop.
   */
  constructor(
    private readonly core: EngineCore,
    private readonly state: ServerState,
    private readonly log: Logger,
    private readonly onFatal: (err: Error) => void,
  ) {
    this.flushTimer = setInterval(() => this.flushTraffic(), 100);
    this.flushTimer.unref();
    state.flushCounters = () => this.flushTraffic();
    core.pushes.sessions = state.sessions;
  }

  /** Add this thread's recent traffic to the shared counters (INFO lags by at most 100 ms). */
  flushTraffic(): void {
    if (this.netIn === 0 && this.netOut === 0) return;
    this.state.counters.traffic(this.netIn, this.netOut);
    this.netIn = 0;
    this.netOut = 0;
  }

  /** Take over a newly accepted socket. */
  readonly accept = (socket: net.Socket): void => {
    const { state, core, log } = this;
    const refusal = refuseConnection(state);
    if (refusal) { socket.end(refusal); return; }
    const link = new ClientLink(core, state, {
      write: (bytes) => { socket.write(bytes); },
      end: () => { socket.end(); },
      destroy: () => { socket.destroy(); },
      get destroyed() { return socket.destroyed; },
      get pendingOutput() { return socket.writableLength; },
      throttle: () => {
        socket.pause();
        socket.once('drain', () => socket.resume());
      },
    }, {
      log,
      onFatal: this.onFatal,
      countOutput: (n) => { this.netOut += n; },
      addr: `${plainAddress(socket.remoteAddress)}:${socket.remotePort}`,
      laddr: `${plainAddress(socket.localAddress)}:${socket.localPort}`,
      fd: (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1,
    });
    const keepalive = state.config.getNumber('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    this.sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      this.netIn += chunk.length;
      link.input(chunk);
    });
    socket.on('error', () => { /* reset by peer etc.: the close handler cleans up */ });
    socket.on('close', () => {
      link.closed();
      this.sockets.delete(socket);
    });
  };

  /** Close every connection of this thread. */
  destroyAll(): void {
    clearInterval(this.flushTimer);
    this.flushTraffic();
    for (const s of this.sockets) s.destroy();
  }
}
