#!/usr/bin/env node
// PUBLISH fan-out: one publisher, 1, 10 and 100 subscribers, wasmdis side by side with
// redis-server (issue #5 item 6).
//
// For each server (started fresh, one at a time, so they never compete for the cores) and each
// subscriber count: S raw connections SUBSCRIBE to one channel; one raw connection publishes M
// fixed-size messages, pipelined (batches of 100 commands, 16 batches in flight); the run ends
// when every subscriber has received every message. Messages all have the same size, so a
// subscriber counts bytes, not replies: the load generator stays cheap and identical for both
// servers. Every PUBLISH reply must be S (the receivers), checked for the last batch.
//
//   messages/s   = M / seconds until the last subscriber has its last message
//   deliveries/s = M × S / seconds
//
// Output: a table (and the ratios to redis-server) in bench/results/pubsub.{md,json}.

import net from 'node:net';
import { readOptions, positiveInt, usageError } from '../lib/options.mjs';
import { RespConnection, withTimeout } from '../lib/resp-connection.mjs';
import { describeEnvironment, environmentMarkdown, writeResults } from '../lib/results.mjs';
import { requirePrograms, requireWasmdisBuild, serverCommands, startServer, interrupted } from '../lib/server-process.mjs';
import { formatInt, formatRatio, formatTable, ratioBar } from '../lib/table.mjs';

const options = readOptions(
  {
    quick: { type: 'boolean', env: 'BENCH_QUICK', default: false, help: 'short run (CI smoke); results go to pubsub-quick.*' },
    subscribers: { type: 'string', env: 'BENCH_SUBSCRIBERS', default: '1,10,100', help: 'comma-separated subscriber counts' },
    deliveries: { type: 'string', env: 'BENCH_DELIVERIES', default: '2000000', help: 'messages × subscribers per run (M = this / S, at least 20,000)' },
    threads: { type: 'string', env: 'BENCH_THREADS', default: '1,2', help: 'wasmdis --threads values, one column each' },
    repeat: { type: 'string', env: 'BENCH_REPEAT', default: '1', help: 'runs per cell; the median is reported' },
  },
  { usage: 'Usage: node bench/pubsub/run.mjs [--quick] [--subscribers 1,10,100] [--threads 1,2] [--repeat N]' },
);

const quick = options.quick;
const subscriberCounts = options.subscribers.split(',').map((s) => positiveInt('subscribers', s.trim()));
const deliveries = positiveInt('deliveries', quick ? '200000' : options.deliveries);
const threads = options.threads.split(',').map((s) => positiveInt('threads', s.trim()));
const repeat = positiveInt('repeat', quick ? '1' : options.repeat);
if (subscriberCounts.some((n) => n > 1000)) usageError('--subscribers: at most 1000 per run');

const CHANNEL = 'bench:fanout';
const PAYLOAD = 'x'.repeat(32);
const BATCH = 100;
const WINDOW = 16;
/** Bytes of one message as a subscriber receives it (RESP2 array of three bulk strings). */
const MESSAGE = `*3\r\n$7\r\nmessage\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${PAYLOAD.length}\r\n${PAYLOAD}\r\n`;
const MESSAGE_BYTES = Buffer.byteLength(MESSAGE);
const PUBLISH = `*3\r\n$7\r\nPUBLISH\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${PAYLOAD.length}\r\n${PAYLOAD}\r\n`;

/** S subscribers on CHANNEL; each counts the message bytes it receives after its SUBSCRIBE reply. */
async function subscribe(port, count) {
  const confirm = `*3\r\n$9\r\nsubscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`;
  return Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const sub = { socket, bytes: -confirm.length, target: 0, done: null };
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      sub.bytes += chunk.length;
      if (sub.bytes === 0) resolve(sub);
      if (sub.done && sub.bytes >= sub.target) sub.done();
    });
    socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n`);
  })));
}

/** One measurement: messages/s with `count` subscribers. */
async function measure(port, count) {
  const messages = Math.max(20_000, Math.round(deliveries / count / BATCH) * BATCH);
  const subs = await withTimeout(subscribe(port, count), 10_000, `${count} SUBSCRIBEs`);
  const pub = await RespConnection.connect(port);
  const batch = PUBLISH.repeat(BATCH);
  const allReceived = Promise.all(subs.map((s) => new Promise((resolve) => {
    s.target = messages * MESSAGE_BYTES;
    s.done = resolve;
    if (s.bytes >= s.target) resolve();
  })));
  const started = process.hrtime.bigint();
  const inFlight = [];
  for (let sent = 0; sent < messages; sent += BATCH) {
    inFlight.push(pub.sendBatch(batch, BATCH));
    if (inFlight.length >= WINDOW) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await withTimeout(allReceived, 120_000, `delivery of ${formatInt(messages)} messages to ${count} subscribers`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const receivers = await pub.command('PUBLISH', CHANNEL, PAYLOAD);
  if (receivers !== count) throw new Error(`PUBLISH reached ${receivers} subscribers, expected ${count}`);
  pub.close();
  for (const s of subs) s.socket.destroy();
  for (const s of subs) if (s.bytes !== messages * MESSAGE_BYTES + MESSAGE_BYTES && s.bytes !== messages * MESSAGE_BYTES) {
    // (the final check PUBLISH may or may not have arrived yet)
    throw new Error(`a subscriber received ${s.bytes} bytes, expected ${messages * MESSAGE_BYTES}`);
  }
  return { messages, seconds, rate: messages / seconds };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

requireWasmdisBuild();
await requirePrograms(['redis-server']);
const env = await describeEnvironment();
const commands = serverCommands();
const columns = [
  { key: 'redis', label: 'redis-server', template: commands.redis },
  ...threads.map((t) => ({ key: `t${t}`, label: `wasmdis --threads ${t}`, template: `${commands.wasmdis} --threads ${t}` })),
];
const results = {}; // results[column][subscribers] = { rate, runs }
for (const column of columns) {
  if (interrupted()) break;
  results[column.key] = {};
  const server = await startServer({ name: column.key, template: column.template });
  try {
    for (const count of subscriberCounts) {
      const runs = [];
      for (let r = 0; r < repeat; r++) runs.push(await measure(server.port, count));
      results[column.key][count] = { rate: median(runs.map((x) => x.rate)), messages: runs[0].messages, runs: runs.map((x) => Math.round(x.rate)) };
      process.stdout.write(`${column.label}, ${count} subscriber(s): ${formatInt(results[column.key][count].rate)} messages/s\n`);
    }
  } finally {
    await server.stop();
  }
}

const headers = ['subscribers', 'messages', ...columns.map((c) => `${c.label} msg/s`), ...columns.slice(1).map((c) => `${c.key}/redis`), ''];
const rows = subscriberCounts.map((count) => {
  const base = results.redis?.[count]?.rate;
  const ratios = columns.slice(1).map((c) => (base && results[c.key]?.[count] ? results[c.key][count].rate / base : NaN));
  return [
    String(count),
    formatInt(results.redis?.[count]?.messages ?? 0),
    ...columns.map((c) => (results[c.key]?.[count] ? formatInt(results[c.key][count].rate) : '—')),
    ...ratios.map((r) => (Number.isFinite(r) ? formatRatio(r) : '—')),
    Number.isFinite(ratios[0]) ? ratioBar(ratios[0]) : '',
  ];
});
const table = formatTable(headers, rows);
process.stdout.write(`\n${table}\n`);
const markdown = [
  '# PUBLISH fan-out: wasmdis vs redis-server',
  '',
  environmentMarkdown(env, {
    workload: `1 publisher, PUBLISH of a ${PAYLOAD.length}-byte payload pipelined (${BATCH} per write, ${WINDOW} writes in flight); ` +
      `S subscribers on the channel; time until every subscriber has every message; median of ${repeat}`,
  }),
  '',
  'Messages published per second (each delivered to every subscriber); ratio = wasmdis / redis-server.',
  '',
  '```',
  table,
  '```',
  '',
].join('\n');
const written = writeResults('pubsub', { data: { env, columns, results, deliveries, repeat }, markdown, quick });
process.stdout.write(`\nwrote ${written.markdown} and ${written.json}\n`);
