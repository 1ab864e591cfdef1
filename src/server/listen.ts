/**
 * Listening sockets: which addresses, and how several threads share them.
 *
 * Owns: `bind` handling (every address, '-' for optional ones, '*' / '::*') and the sharing of
 * listening sockets between worker threads. On Node 20 each worker calls `listen({ fd })` on the
 * socket the first worker opened (the kernel spreads accepts over them); this is the only module
 * that touches a server handle's fd.
 */
import net from 'node:net';
import type { Config } from './config.js';

/** Listening sockets of one thread, the port they share and their fds (for other threads). */
export interface Listeners {
  servers: net.Server[];
  port: number;
  fds: number[];
  /** Printable addresses, for the log. */
  addresses: string[];
}

function describe(srv: net.Server): string {
  const a = srv.address() as net.AddressInfo;
  return a.family === 'IPv6' ? `[${a.address}]` : a.address;
}

function fdOf(srv: net.Server): number {
  return (srv as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
}

/** Listen on every `bind` address of the config, as Redis does. */
export async function listenAll(config: Config, onConnection: (s: net.Socket) => void): Promise<Listeners> {
  const port = config.getNumber('port');
  const servers: net.Server[] = [];
  const binds = (config.get('bind') ?? '*').split(/\s+/).filter(Boolean);
  const wantsAny4 = binds.some((b) => b.replace(/^-/, '') === '*');
  let actualPort = port;
  for (const b of binds) {
    const optional = b.startsWith('-');
    const addr = b.replace(/^-/, '');
    if (addr === '::*' && wantsAny4) continue; // the '*' socket below is dual-stack
    const host = addr === '*' ? undefined : addr === '::*' ? '::' : addr;
    const srv = net.createServer({ noDelay: true }, onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: actualPort, host, ipv6Only: addr === '::*' }, () => { srv.off('error', reject); resolve(); });
      });
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
export async function listenOnFds(fds: number[], onConnection: (s: net.Socket) => void): Promise<net.Server[]> {
  const servers: net.Server[] = [];
  for (const fd of fds) {
    const srv = net.createServer({ noDelay: true }, onConnection);
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ fd }, () => { srv.off('error', reject); resolve(); });
    });
    servers.push(srv);
  }
  return servers;
}

/** Stop accepting (connections already open are not touched). */
export function closeAll(servers: net.Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
}
