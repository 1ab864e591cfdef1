/**
 * Serving connections on one thread: sockets in, EngineCore.feed, replies out, per-connection
 * limits. The same code runs on the main thread (one thread) and on every worker thread.
 *
 * Owns: socket lifecycle and the query-buffer / output-buffer / maxclients limits. Commands never
 * see a socket: they get a Session.
 */
import type net from 'node:net';
import { Session } from '../engine/session.js';
import type { EngineCore } from '../engine/core.js';
import type { ServerState } from './state.js';
import type { Logger } from './log.js';
import type { HostContext } from '../commands/host.js';
import { pubsubClosed } from '../commands/pubsub.js';
import { pubsubOutputLimits, type OutputLimits } from './engine-config.js';

/** Stop reading from a client whose unsent replies exceed this (resume on drain). */
const OUTPUT_HIGH_WATER = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; Redis shows a.b.c.d. */
function plainAddress(a: string | undefined): string {
  if (!a) return '?';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** This thread's connections. */
export class ConnectionServer {
  readonly sockets = new Set<net.Socket>();
  private readonly ctx: HostContext;
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
    this.ctx = { core, server: state };
    this.flushTimer = setInterval(() => this.flushTraffic(), 100);
    this.flushTimer.unref();
    state.flushCounters = () => this.flushTraffic();
    core.pushes.sessions = state.sessions;
  }

  private limitsText: string | undefined = '';
  private limits: OutputLimits = pubsubOutputLimits(undefined);

  /** client-output-buffer-limit's pubsub class (parsed again only when the setting changed). */
  private pubsubLimits(): OutputLimits {
    const text = this.state.config.get('client-output-buffer-limit');
    if (text !== this.limitsText) {
      this.limitsText = text;
      this.limits = pubsubOutputLimits(text);
    }
    return this.limits;
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
    const config = state.config;
    const counters = state.counters;
    if (counters.connectedClients >= config.getNumber('maxclients')) {
      counters.rejected();
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    counters.connection();
    counters.connected(1);
    socket.setNoDelay(true);
    const session = new Session();
    session.authed = (config.get('requirepass') ?? '') === '';
    session.addr = `${plainAddress(socket.remoteAddress)}:${socket.remotePort}`;
    session.laddr = `${plainAddress(socket.localAddress)}:${socket.localPort}`;
    session.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    let closing = false;
    session.closeTransport = () => socket.destroy();
    // messages and MONITOR lines; a subscriber that cannot keep up is disconnected as Redis does
    // (client-output-buffer-limit pubsub: past the hard limit, or past the soft one for too long)
    let softSince = 0;
    const overLimit = (): void => {
      log.warning(`Client id=${session.id} addr=${session.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
      closing = true;
      socket.destroy();
    };
    session.pushOverflow = overLimit;
    session.push = (bytes: Buffer): void => {
      if (closing || socket.destroyed) return;
      this.netOut += bytes.length;
      socket.write(bytes);
      if (session.subscriptionCount() === 0) return;
      const { hard, soft, seconds } = this.pubsubLimits();
      const pending = socket.writableLength;
      if (hard > 0 && pending > hard) { overLimit(); return; }
      if (soft > 0 && pending > soft) {
        const now = Date.now();
        if (softSince === 0) softSince = now;
        else if (now - softSince >= seconds * 1000) overLimit();
      } else softSince = 0;
    };
    const keepalive = config.getNumber('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    state.sessions.set(session.id, session);
    this.sockets.add(socket);

    const serve = (chunk: Buffer): void => {
      if (closing) return;
      session.lastCommandAt = Date.now();
      let result;
      try {
        result = core.feed(session, chunk, this.ctx);
      } catch (err) {
        if (err instanceof WebAssembly.RuntimeError) { this.onFatal(err); return; }
        log.warning(`Error serving client ${session.addr}: ${(err as Error).stack ?? err}`);
        socket.end('-ERR internal error\r\n');
        closing = true;
        return;
      }
      const { chunks, close, wait } = result;
      if (chunks.length > 0) {
        const out = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        this.netOut += out.length;
        socket.write(out);
      }
      if (wait) {
        // a host command waits for other threads; its reply comes next, then the rest of the input
        void wait.then(({ reply, close: closeAfter }) => {
          if (closing || socket.destroyed) return;
          this.netOut += reply.length;
          socket.write(reply);
          if (closeAfter || session.killed) { closing = true; socket.end(); return; }
          if (session.pendingBytes > 0) serve(EMPTY);
        });
        return;
      }
      if (close || session.killed) {
        closing = true;
        socket.end();
        return;
      }
      if (session.pendingBytes > config.getNumber('client-query-buffer-limit')) {
        log.warning(`Closing client that reached max query buffer length: addr=${session.addr} qbuf=${session.pendingBytes}`);
        closing = true;
        socket.destroy();
        return;
      }
      if (socket.writableLength > OUTPUT_HIGH_WATER) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    };

    socket.on('data', (chunk: Buffer) => {
      this.netIn += chunk.length;
      serve(chunk);
    });
    socket.on('error', () => { /* reset by peer etc.: the close handler cleans up */ });
    socket.on('close', () => {
      core.blocked.closed(session);
      pubsubClosed(session, this.ctx);
      this.sockets.delete(socket);
      state.sessions.delete(session.id);
      counters.connected(-1);
    });
  };

  /** Close every connection of this thread. */
  destroyAll(): void {
    clearInterval(this.flushTimer);
    this.flushTraffic();
    for (const s of this.sockets) s.destroy();
  }
}
