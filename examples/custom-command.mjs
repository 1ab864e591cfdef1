// custom-command: the full wasmdis server with two commands of its own, written in JavaScript
// beside the built-in ones. They show in COMMAND, can be queued in MULTI, and read and write the
// keyspace through the engine (ctx.call), atomically. Run it with
//
//   node examples/custom-command.mjs [--port 6380] [--host 127.0.0.1]
//
// then:
//   redis-cli -p 6380 set color red
//   redis-cli -p 6380 cas color red blue        → (integer) 1   (swapped)
//   redis-cli -p 6380 cas color red green       → (integer) 0   (color is blue now)
//   redis-cli -p 6380 ratelimit api:alice 3 60  → (integer) 2   (calls left in this minute)
//   redis-cli -p 6380 command info cas
import { parseArgs } from 'node:util';
import { startServer } from 'wasmdis';

const { values: opts } = parseArgs({
  options: { port: { type: 'string', default: '6380' }, host: { type: 'string', default: '127.0.0.1' } },
});

const commands = {
  // CAS key expected new: set key to new only if it holds expected; 1 if it did, else 0
  CAS: {
    arity: 4,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    summary: 'Sets a string key to a new value only if it holds the expected one.',
    handler(ctx) {
      const [key, expected, next] = ctx.args;
      const current = ctx.callBuffer('GET', key); // throws WRONGTYPE for a non-string key
      if (current === null || !expected.equals(current)) return 0;
      ctx.call('SET', key, next, 'KEEPTTL');
      return 1;
    },
  },
  // RATELIMIT key limit seconds: count a call in a fixed window; calls left, or an error past the limit
  RATELIMIT: {
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    summary: 'Counts a call against a limit per time window and answers how many calls are left.',
    handler(ctx) {
      const [key, limitArg, secondsArg] = ctx.args;
      const limit = Number(limitArg.toString());
      const seconds = Number(secondsArg.toString());
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(seconds) || seconds < 1) {
        ctx.reply.error('ERR limit and seconds must be positive integers');
        return;
      }
      const used = ctx.call('INCR', key);
      if (used === 1) ctx.call('EXPIRE', key, seconds); // the first call opens the window
      if (used > limit) {
        ctx.reply.error(`LIMITED try again in ${ctx.call('TTL', key)} seconds`);
        return;
      }
      return limit - used;
    },
  },
};

const server = await startServer({ port: Number(opts.port), bind: opts.host, commands, config: { save: '' } });
console.log(`custom-command server listening on ${opts.host}:${server.port}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
