/**
 * `node:stream` / `node:net` / `node:tls` / `node:worker_threads` for the playground bundle:
 * placeholders so modules that define socket classes load; the page never opens sockets or
 * threads (Engine.connect() is not available in the browser).
 */
class Unavailable {
  constructor() {
    throw new Error('streams and sockets are not available in the browser playground');
  }
}
export class Duplex extends Unavailable {}
export class Socket extends Unavailable {}
export class Server extends Unavailable {}
export class Worker extends Unavailable {}
export const parentPort = null;
export const workerData = undefined;
export const isMainThread = true;
export function createServer(): never {
  throw new Error('servers are not available in the browser playground');
}
export function connect(): never {
  throw new Error('sockets are not available in the browser playground');
}
export default { Duplex, Socket, Server, Worker, createServer, connect };
