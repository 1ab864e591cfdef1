/**
 * The server's listening sockets: its `bind` and `port` settings handed to the framework's
 * listeners (src/framework/listeners.ts), which also share them between worker threads.
 */
import type net from 'node:net';
import type { Config } from './config.js';
import { listenAddresses, type Listeners } from '../framework/listeners.js';

export { listenOnFds, closeAll, type Listeners } from '../framework/listeners.js';

/** Listen on every `bind` address of the config, as Redis does. */
export function listenAll(config: Config, onConnection: (s: net.Socket) => void): Promise<Listeners> {
  const binds = (config.get('bind') ?? '*').split(/\s+/).filter(Boolean);
  return listenAddresses(binds, config.getNumber('port'), onConnection);
}
