// pubsub: a publish/subscribe server on wasmdis/framework's PubSub helper — SUBSCRIBE,
// PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE and PUBLISH with Redis's replies (RESP2 arrays, RESP3
// pushes after HELLO 3), plus a SEND command of its own that publishes a timestamped message.
// Run it with
//
//   node examples/pubsub.mjs [--port 6380] [--host 127.0.0.1]
//
// then, in two terminals:
//   redis-cli -p 6380 psubscribe 'news.*'
//   redis-cli -p 6380 publish news.tech "WASM everywhere"     → (integer) 1
import { parseArgs } from 'node:util';
import { listen, PubSub } from 'wasmdis/framework';

const { values: opts } = parseArgs({
  options: { port: { type: 'string', default: '6380' }, host: { type: 'string', default: '127.0.0.1' } },
});

const pubsub = new PubSub();

const server = await listen(`${opts.host}:${opts.port}`, (conn, cmd) => {
  // SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE and PUBLISH, answered as Redis answers them
  if (pubsub.handle(conn, cmd)) return;
  switch (cmd.name) {
    case 'send': {
      // SEND channel text: publish "<time> <text>"; answers how many subscribers got it
      if (cmd.args.length !== 3) { conn.writeError(`ERR wrong number of arguments for '${cmd.args[0]}' command`); return; }
      const message = `${new Date().toISOString()} ${cmd.args[2].toString()}`;
      conn.writeInt(pubsub.publish(cmd.args[1], message));
      return;
    }
    default:
      conn.writeError(`ERR unknown command '${cmd.args[0]}'`);
  }
});
console.log(`pubsub listening on ${opts.host}:${server.port}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
