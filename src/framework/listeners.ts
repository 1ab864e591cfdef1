/**
 * Listening sockets: every address of a bind list on one port, and sharing them between worker
 * threads. The transport under both the framework's own servers and the wasmdis server.
 *
 * Owns: Redis-style bind lists ('*' all IPv4 and, dual-stack, IPv6; '::*' all IPv6; a leading
 * '-' marks an address that may be missing), port 0 (the first socket's port is used for the
 * others), and handing a listening socket to another thread by its fd: each thread calls
 * `listen({ fd })` on the socket the first thread opened and the kernel spreads accepts over the
 * threads. This is the only module that reads a server handle's fd.
 */
import net from 'node:net';
import tls from 'node:tls';

/** Listening sockets of one thread, the port they share and their fds (for other threads). */
export interface Listeners {
  /** One server per address. */
  servers: net.Server[];
  /** The port they listen on (the one chosen when 0 was asked for). */
  port: number;
  /** Their file descriptors, for {@link listenOnFds} in other threads. */
  fds: number[];
  /** Printable addresses ('127.0.0.1', '[::]'), for logs. */
  addresses: string[];
}

/** How accepted sockets are set up. */
export interface ListenerOptions {
  /** TLS instead of plain TCP (options as for `tls.createServer`). */
  tls?: tls.TlsOptions;
  /** TCP_NODELAY on accepted sockets (default true). */
  noDelay?: boolean;
  /** TCP keepalive initial delay in ms on accepted sockets (0 or absent: off). */
  keepAlive?: number;
  /** Stream buffer size of accepted sockets in bytes (Node's highWaterMark; default Node's 16 KiB). */
  highWaterMark?: number;
  /** Accept without reading: the socket is paused until someone resumes it (hand-over). */
  pauseOnConnect?: boolean;
}

function describe(srv: net.Server): string {
  const a = srv.address() as net.AddressInfo;
  return a.family === 'IPv6' ? `[${a.address}]` : a.address;
}

function fdOf(srv: net.Server): number {
  return (srv as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
}

/** A server for `options`, calling `onConnection` with each accepted (and set up) socket. */
export function createListener(onConnection: (socket: net.Socket) => void, options: ListenerOptions = {}): net.Server {
  const serverOptions = {
    noDelay: options.noDelay !== false,
    keepAlive: (options.keepAlive ?? 0) > 0,
    keepAliveInitialDelay: options.keepAlive ?? 0,
    pauseOnConnect: options.pauseOnConnect ?? false,
    ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
  };
  if (options.tls) return tls.createServer({ ...serverOptions, ...options.tls }, onConnection);
  return net.createServer(serverOptions, onConnection);
}

/**
 * `server.listen(opts)` as a promise: resolves once listening, rejects with the bind error.
 * `reusePort` is passed on only when set (Node.js ≥ 22.12 knows it).
 */
export function listenOnce(srv: net.Server, opts: net.ListenOptions & { reusePort?: boolean }): Promise<void> {
  const { reusePort, ...rest } = opts;
  const listenOpts: net.ListenOptions & { reusePort?: boolean } = reusePort ? { ...rest, reusePort } : rest;
  return new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(listenOpts, () => { srv.off('error', reject); resolve(); });
  });
}

/**
 * Listen on every address of a Redis-style bind list (`['127.0.0.1', '-::1']`, `['*', '-::*']`)
 * on `port` (0: a free one, the same for every address). Fails when a required address cannot be
 * bound, or when none could.
 */
export async function listenAddresses(
  binds: string[], port: number, onConnection: (socket: net.Socket) => void, options: ListenerOptions = {},
): Promise<Listeners> {
  const servers: net.Server[] = [];
  const wantsAny4 = binds.some((b) => b.replace(/^-/, '') === '*');
  let actualPort = port;
  for (const b of binds) {
    const optional = b.startsWith('-');
    const addr = b.replace(/^-/, '');
    if (addr === '::*' && wantsAny4) continue; // the '*' socket below is dual-stack
    const host = addr === '*' ? undefined : addr === '::*' ? '::' : addr;
    const srv = createListener(onConnection, options);
    try {
      await listenOnce(srv, { port: actualPort, host, ipv6Only: addr === '::*' });
    } catch (err) {
      if (optional) continue;
      await closeAll(servers);
      throw err;
    }
    servers.push(srv);
    actualPort = (srv.address() as net.AddressInfo).port; // port 0: every address gets the same port
  }
  if (servers.length === 0) throw new Error(`Failed listening on port ${port} (tcp): no usable bind address`);
  return { servers, port: actualPort, fds: servers.map(fdOf), addresses: servers.map(describe) };
}

/** Accept on listening sockets another thread opened (their fds). */
export async function listenOnFds(fds: number[], onConnection: (socket: net.Socket) => void, options: ListenerOptions = {}): Promise<net.Server[]> {
  const servers: net.Server[] = [];
  try {
    for (const fd of fds) {
      const srv = createListener(onConnection, options);
      await listenOnce(srv, { fd } as net.ListenOptions);
      servers.push(srv);
    }
  } catch (err) {
    await closeAll(servers);
    throw err;
  }
  return servers;
}

/** Stop accepting (connections already open are not touched). */
export function closeAll(servers: net.Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
}

/**
 * A peer's address as Redis prints it: IPv4 clients of a dual-stack socket appear as
 * ::ffff:a.b.c.d and are shown as a.b.c.d.
 */
export function plainAddress(a: string | undefined): string {
  if (!a) return '?';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
