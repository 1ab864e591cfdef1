/**
 * A worker thread of a multi-threaded server: its own engine instance over the shared memory,
 * its own event loop and connections (accepted from the listening sockets every worker shares),
 * and a Cluster that reaches the other threads through the supervisor (threads.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type net from 'node:net';
import { EngineCore } from '../engine/core.js';
import { CustomCommands, importCommandsModule } from '../commands/custom.js';
import { clientIds } from '../engine/session.js';
import { Config } from './config.js';
import { ServerState } from './state.js';
import { applyEngineConfig } from './engine-config.js';
import { ConnectionServer } from './connections.js';
import { listenAll, listenOnFds, closeAll } from './listen.js';
import { Logger, type LogLevel } from './log.js';
import { SharedCounters, localClientLines, localKill, type Cluster, type ClientFilter } from './cluster.js';
import type { WorkerInit, FromWorker, ToWorker, BusOp } from './thread-messages.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

const config = new Config();
for (const [name, value] of init.config) config.apply(name, value);
const log = new Logger(init.logLevel as LogLevel, 'M', init.logfile || undefined);
const counters = new SharedCounters(init.counters);
clientIds.next = () => counters.nextClientId(); // CLIENT ID unique across threads

// custom commands: functions cannot cross threads, so each worker imports the module itself
const commands = init.commandsModule ? new CustomCommands(await importCommandsModule(init.commandsModule)) : undefined;
const core = new EngineCore({ memory: init.memory, commands });
counters.addRegion(core.region);
const state = new ServerState(config, true, counters);
state.core = core;
state.threads = init.threads;
state.configFile = init.configFile;
state.executable = init.executable;
applyEngineConfig(config, core, true); // the supervisor set the engine's settings

/** Requests to the other threads, answered through the supervisor. */
let nextId = 1;
const pending = new Map<number, (results: unknown[]) => void>();
function ask(op: BusOp): Promise<unknown[]> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    send({ t: 'req', id, op });
  });
}

class WorkerCluster implements Cluster {
  async clientLines(filter: ClientFilter, currentId: number): Promise<string[]> {
    const results = (await ask({ op: 'clientLines', filter, currentId })) as [number, string][][];
    return results.flat().sort((a, b) => a[0] - b[0]).map(([, line]) => line);
  }
  async killClients(filter: ClientFilter): Promise<number> {
    const results = (await ask({ op: 'kill', filter })) as number[];
    return results.reduce((a, b) => a + b, 0);
  }
  configChanged(name: string, value: string): void { send({ t: 'config', name, value }); }
  shutdown(): void { send({ t: 'shutdown' }); }
}
state.cluster = new WorkerCluster();

function fatal(err: unknown): void {
  send({ t: 'fatal', error: (err as Error)?.stack ?? String(err) });
}
process.on('uncaughtException', fatal);

const connections = new ConnectionServer(core, state, log, fatal);
let servers: net.Server[] = [];

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'do': {
      const result = m.op.op === 'clientLines'
        ? localClientLines(state.sessions.values(), m.op.filter, m.op.currentId)
        : localKill(state.sessions.values(), m.op.filter);
      send({ t: 'done', id: m.id, requestId: m.requestId, result });
      break;
    }
    case 'res':
      pending.get(m.id)?.(m.results);
      pending.delete(m.id);
      break;
    case 'config':
      config.apply(m.name, m.value, true);
      break;
    case 'close':
      connections.destroyAll();
      void closeAll(servers).then(() => process.exit(0));
      break;
  }
});

if (init.fds.length === 0) {
  try {
    const l = await listenAll(config, connections.accept);
    servers = l.servers;
    const first = l.servers[0].address() as net.AddressInfo;
    send({ t: 'ready', port: l.port, host: first.address === '::' ? '0.0.0.0' : first.address, fds: l.fds, addresses: l.addresses });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    send({ t: 'listenError', message: e.message, code: e.code });
  }
} else {
  servers = await listenOnFds(init.fds, connections.accept);
  send({ t: 'ready', port: init.port ?? 0, host: '', fds: init.fds, addresses: [] });
}
