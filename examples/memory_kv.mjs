// memory_kv: a key-value server with SET, GET, DEL, PING and QUIT, written the RedHub way
// (onOpen / onClose / handler(cmd, out) returning an Action). Run it with
//
//   node examples/memory_kv.mjs [--port 6380] [--host 127.0.0.1] [--threads N]
//
// With --threads N (N > 1) the script runs again in N worker processes (wasmdis/framework's
// `workers` option) and connections are spread over them round-robin; each worker then has its
// own map, as processes share no memory, so a key set on one connection is seen by the
// connections of the same worker only. One thread (the default) is one map for everyone.
// and talk to it with any Redis client: `redis-cli -p 6380 set hello world`.
import { parseArgs } from 'node:util';
import { RedHub, Action, isFrameworkWorker, appendString, appendBulk, appendNull, appendInt, appendError } from 'wasmdis/framework';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '6380' },
    host: { type: 'string', default: '127.0.0.1' },
    threads: { type: 'string', default: '1' },
  },
});

/** The whole database: key → value. */
const items = new Map();

const arityError = (cmd) => `ERR wrong number of arguments for '${cmd.args[0]}' command`;

const hub = new RedHub({
  onOpen: () => undefined, // nothing to greet with; per-connection state would go in conn.setContext()
  onClose: () => undefined,
  handler(cmd, out) {
    switch (cmd.name) {
      case 'set':
        if (cmd.argc !== 3) { appendError(out, arityError(cmd)); break; }
        items.set(cmd.str(1), cmd.copyArg(2)); // a copy: arguments are views of the socket's read
        appendString(out, 'OK');
        break;
      case 'get': {
        if (cmd.argc !== 2) { appendError(out, arityError(cmd)); break; }
        const value = items.get(cmd.str(1));
        if (value === undefined) appendNull(out); else appendBulk(out, value);
        break;
      }
      case 'del':
        if (cmd.argc !== 2) { appendError(out, arityError(cmd)); break; }
        appendInt(out, items.delete(cmd.str(1)) ? 1 : 0);
        break;
      case 'ping':
        appendString(out, 'PONG');
        break;
      case 'quit':
        appendString(out, 'OK');
        return Action.Close;
      default:
        appendError(out, `ERR unknown command '${cmd.args[0]}'`);
    }
    return Action.None;
  },
});

// the framework answers PING and QUIT itself unless told otherwise: here the handler does
const threads = Number(opts.threads);
const server = await hub.listen(`${opts.host}:${opts.port}`, {
  shims: { ping: false, quit: false },
  ...(threads > 1 ? { workers: threads, balance: 'round-robin' } : {}),
});
if (isFrameworkWorker()) {
  // a worker process: the primary stops it (Ctrl+C reaches every process of the terminal)
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
} else {
  console.log(`memory_kv listening on ${opts.host}:${server.port}${threads > 1 ? ` with ${threads} worker processes` : ''}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
}
