// clone: a small Redis clone written the redcon way — listen(addr, handler, accept, closed) with a
// Conn to write replies to. It knows SET, GET, DEL, PING, QUIT and DETACH (the connection is handed
// over to plain code, which answers and closes it). Run it with
//
//   node examples/clone.mjs [--port 6380] [--host 127.0.0.1]
//
// then `redis-cli -p 6380`. examples/tls.mjs serves the same handler over TLS.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { listen } from 'wasmdis/framework';

/** key → value, shared by every connection. */
const items = new Map();

function arity(conn, cmd, n) {
  if (cmd.argc === n) return true;
  conn.writeError(`ERR wrong number of arguments for '${cmd.args[0]}' command`);
  return false;
}

/** The clone's command handler (also used by examples/tls.mjs). */
export function cloneHandler(conn, cmd) {
  switch (cmd.name) {
    case 'ping':
      conn.writeString('PONG');
      return;
    case 'quit':
      conn.writeString('OK');
      conn.close();
      return;
    case 'set':
      if (!arity(conn, cmd, 3)) return;
      items.set(cmd.str(1), cmd.copyArg(2)); // a copy: arguments are views of the socket's read
      conn.writeString('OK');
      return;
    case 'get': {
      if (!arity(conn, cmd, 2)) return;
      const value = items.get(cmd.str(1));
      if (value === undefined) conn.writeNull(); else conn.writeBulk(value);
      return;
    }
    case 'del':
      if (!arity(conn, cmd, 2)) return;
      conn.writeInt(items.delete(cmd.str(1)) ? 1 : 0);
      return;
    case 'detach': {
      // from here on the socket is ours: answer by hand, a moment later, and close it
      const socket = conn.detach();
      console.log('connection has been detached');
      setTimeout(() => socket.end('+OK\r\n'), 10);
      return;
    }
    default:
      conn.writeError(`ERR unknown command '${cmd.args[0]}'`);
  }
}

/** Options shared by both examples: the handler answers PING and QUIT itself. */
export const cloneOptions = { shims: { ping: false, quit: false } };

/** Accept everyone; log who leaves with an error. */
export const accept = () => true;
export const closed = (conn, err) => { if (err) console.log(`closed ${conn.remoteAddress}: ${err.message}`); };

export function parseAddress() {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '6380' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  return values;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { host, port } = parseAddress();
  const server = await listen(`${host}:${port}`, cloneHandler, accept, closed, cloneOptions);
  console.log(`clone listening on ${host}:${server.port}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
}
