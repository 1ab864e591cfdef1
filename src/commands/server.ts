/**
 * Server commands run by the host: INFO CONFIG TIME SHUTDOWN DEBUG. They read the ServerState
 * and the engine's counters; none of them touches keys except through EngineCore exports.
 */
import os from 'node:os';
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session } from '../engine/session.js';
import type { HostAction, HostContext } from './host.js';

const REDIS_VERSION = '7.0.15';

function lower(b: Buffer): string {
  return b.toString('latin1').toLowerCase();
}

function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${bytes}B` : `${v.toFixed(2)}${units[i]}`;
}

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];

/** The text of INFO [section ...], as Redis 7.0 lays it out. */
export function infoText(ctx: HostContext, requested: string[]): string {
  let sections = requested.length === 0 ? ['default'] : requested;
  const want = new Set<string>();
  for (const s of sections) {
    if (s === 'default') DEFAULT_SECTIONS.forEach((x) => want.add(x));
    else if (s === 'all' || s === 'everything') { DEFAULT_SECTIONS.forEach((x) => want.add(x)); want.add('commandstats'); want.add('latencystats'); want.add('threads'); }
    else want.add(s);
  }
  const srv = ctx.server;
  srv.flushCounters?.(); // other threads' traffic is at most 100 ms behind
  const cfg = srv.config;
  const now = Date.now();
  const ex = ctx.core.exports;
  const used = ex.usedMemory();
  const rss = process.memoryUsage.rss();
  const maxmemory = cfg.getNumber('maxmemory');
  const uptime = Math.floor((now - srv.startedAt) / 1000);
  // engine counters live in each engine instance's region: sum every thread's
  let dirty = 0, expired = 0, evicted = 0, commands = 0, hits = 0, misses = 0;
  for (const region of srv.counters.regionList()) {
    const c = ctx.core.regionCounters(region);
    dirty += c.dirty; expired += c.expired; evicted += c.evicted; commands += c.commands;
    hits += c.hits; misses += c.misses;
  }
  const counters = srv.counters;
  const cpu = process.cpuUsage();
  const out: string[] = [];
  const section = (name: string, title: string, fields: [string, string | number][]) => {
    if (!want.has(name)) return;
    if (out.length) out.push('');
    out.push(`# ${title}`);
    for (const [k, v] of fields) out.push(`${k}:${v}`);
  };
  section('server', 'Server', [
    ['redis_version', REDIS_VERSION], ['redis_git_sha1', '00000000'], ['redis_git_dirty', 0],
    ['redis_build_id', '0'], ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`], ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'], ['multiplexing_api', 'epoll'], ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'], ['process_id', process.pid], ['process_supervised', 'no'], ['run_id', srv.runId],
    ['tcp_port', srv.port], ['server_time_usec', now * 1000], ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)], ['hz', cfg.get('hz')!], ['configured_hz', cfg.get('hz')!],
    ['lru_clock', Math.floor(now / 1000) & 0xffffff], ['executable', srv.executable], ['config_file', srv.configFile],
    ['io_threads_active', 0], ['wasmdis_version', '0.1.0'], ['wasmdis_threads', srv.threads],
  ]);
  section('clients', 'Clients', [
    ['connected_clients', counters.connectedClients], ['cluster_connections', 0], ['maxclients', cfg.get('maxclients')!],
    ['client_recent_max_input_buffer', 0], ['client_recent_max_output_buffer', 0], ['blocked_clients', ex.blockedClients()],
    ['tracking_clients', 0], ['clients_in_timeout_table', ex.blockedClientsWithTimeout()],
  ]);
  section('memory', 'Memory', [
    ['used_memory', used], ['used_memory_human', human(used)], ['used_memory_rss', rss], ['used_memory_rss_human', human(rss)],
    ['used_memory_peak', used], ['used_memory_peak_human', human(used)], ['used_memory_peak_perc', '100.00%'],
    ['used_memory_overhead', 0], ['used_memory_startup', 0], ['used_memory_dataset', used],
    ['used_memory_dataset_perc', '100.00%'], ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', human(os.totalmem())], ['used_memory_lua', 31744], ['used_memory_lua_human', '31.00K'],
    ['used_memory_scripts', 0], ['used_memory_scripts_human', '0B'], ['number_of_cached_scripts', 0],
    ['maxmemory', maxmemory], ['maxmemory_human', human(maxmemory)], ['maxmemory_policy', cfg.get('maxmemory-policy')!],
    ['mem_fragmentation_ratio', used > 0 ? (rss / used).toFixed(2) : '0.00'], ['mem_allocator', 'wasmdis-shared'],
    ['wasm_memory_bytes', ctx.core.memory.buffer.byteLength], ['active_defrag_running', 0], ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ]);
  section('persistence', 'Persistence', [
    ['loading', 0], ['async_loading', 0], ['current_cow_peak', 0], ['current_cow_size', 0], ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0], ['current_save_keys_total', 0], ['rdb_changes_since_last_save', dirty],
    ['rdb_bgsave_in_progress', 0], ['rdb_last_save_time', Math.floor(srv.startedAt / 1000)], ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1], ['rdb_current_bgsave_time_sec', -1], ['aof_enabled', 0], ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0], ['aof_last_rewrite_time_sec', -1], ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'], ['aof_last_write_status', 'ok'], ['module_fork_in_progress', 0],
  ]);
  section('stats', 'Stats', [
    ['total_connections_received', counters.totalConnections], ['total_commands_processed', commands],
    ['instantaneous_ops_per_sec', counters.instantaneous.ops], ['total_net_input_bytes', counters.netInput],
    ['total_net_output_bytes', counters.netOutput],
    ['instantaneous_input_kbps', counters.instantaneous.inKbps.toFixed(2)],
    ['instantaneous_output_kbps', counters.instantaneous.outKbps.toFixed(2)],
    ['rejected_connections', counters.rejectedConnections],
    ['expired_keys', expired], ['expired_stale_perc', '0.00'], ['expired_time_cap_reached_count', 0],
    ['evicted_keys', evicted], ['keyspace_hits', hits], ['keyspace_misses', misses], ['pubsub_channels', ex.pubsubCount(0)],
    ['pubsub_patterns', ex.pubsubCount(1)], ['pubsubshard_channels', ex.pubsubCount(2)], ['total_error_replies', 0], ['total_reads_processed', 0], ['total_writes_processed', 0],
  ]);
  section('replication', 'Replication', [
    ['role', 'master'], ['connected_slaves', 0], ['master_failover_state', 'no-failover'], ['master_replid', srv.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'], ['master_repl_offset', 0], ['second_repl_offset', -1],
    ['repl_backlog_active', 0], ['repl_backlog_size', 1048576], ['repl_backlog_first_byte_offset', 0], ['repl_backlog_histlen', 0],
  ]);
  section('cpu', 'CPU', [
    ['used_cpu_sys', (cpu.system / 1e6).toFixed(6)], ['used_cpu_user', (cpu.user / 1e6).toFixed(6)],
    ['used_cpu_sys_children', '0.000000'], ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', (cpu.system / 1e6).toFixed(6)], ['used_cpu_user_main_thread', (cpu.user / 1e6).toFixed(6)],
  ]);
  const lock = (i: number) => ex.lockStat(i);
  section('threads', 'Threads', [
    ['threads', srv.threads], ['keyspace_lock_acquisitions', lock(0)], ['keyspace_lock_contended', lock(1)],
    ['keyspace_lock_wait_usec', Math.round(lock(2) / 1000)], ['keyspace_lock_held_usec', Math.round(lock(3) / 1000)],
    ['keyspace_lock_timing', srv.config.get('wasmdis-lock-timing') ?? 'no'],
  ]);
  section('modules', 'Modules', []);
  section('errorstats', 'Errorstats', []);
  section('cluster', 'Cluster', [['cluster_enabled', 0]]);
  const keyspace: [string, string][] = [];
  if (want.has('keyspace')) {
    ctx.core.locked(() => {
      const n = ex.databases();
      for (let i = 0; i < n; i++) {
        const keys = ex.dbKeys(i);
        if (keys > 0) keyspace.push([`db${i}`, `keys=${keys},expires=${ex.dbExpires(i)},avg_ttl=0`]);
      }
    });
  }
  section('keyspace', 'Keyspace', keyspace);
  return out.length ? out.join('\r\n') + '\r\n' : '';
}

/** INFO [section ...] */
export function infoCommand(args: Buffer[], out: ReplyWriter, _s: Session, ctx: HostContext): void {
  out.verbatim(infoText(ctx, args.slice(1).map(lower)), 'txt');
}

// Help prose is our own; only the first line's shape follows Redis's convention.
const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern> [<pattern> ...]',
  '    Parameters whose names match the glob patterns, with their values.',
  'SET <parameter> <value> [<parameter> <value> ...]',
  '    Change parameters; all or none of the changes are applied.',
  'RESETSTAT',
  '    Zero the counters INFO reports.',
  'HELP',
  '    Print this help.',
];

/** CONFIG GET|SET|RESETSTAT|HELP */
export function configCommand(args: Buffer[], out: ReplyWriter, _s: Session, ctx: HostContext): void {
  const sub = lower(args[1]);
  const cfg = ctx.server.config;
  if (sub === 'get') {
    const pairs = new Map<string, string>();
    for (const a of args.slice(2)) for (const [k, v] of cfg.match(a.toString('latin1'))) pairs.set(k, v);
    out.mapLen(pairs.size);
    for (const [k, v] of pairs) out.bulk(k).bulk(v);
  } else if (sub === 'set') {
    if (args.length < 4 || args.length % 2 !== 0) { out.error("ERR wrong number of arguments for 'config|set' command"); return; }
    const changes: [string, string][] = [];
    const seen = new Set<string>();
    for (let i = 2; i < args.length; i += 2) {
      const name = lower(args[i]);
      const r = cfg.validate(name, args[i + 1].toString('latin1'), false);
      if ('error' in r && r.error === 'unknown') {
        out.error(`ERR Unknown option or number of arguments for CONFIG SET - '${args[i].toString('latin1')}'`);
        return;
      }
      if (seen.has(name)) { out.error(`ERR Duplicate parameter - '${args[i].toString('latin1')}'`); return; }
      seen.add(name);
      if ('error' in r) {
        out.error(`ERR CONFIG SET failed (possibly related to argument '${args[i].toString('latin1')}') - ${r.error}`);
        return;
      }
      changes.push([name, r.value]);
    }
    for (const [k, v] of changes) { cfg.apply(k, v); ctx.server.cluster.configChanged(k, v); }
    out.status('OK');
  } else if (sub === 'resetstat') {
    ctx.server.counters.resetStats();
    out.status('OK');
  } else if (sub === 'help') {
    out.arrayLen(CONFIG_HELP.length);
    for (const line of CONFIG_HELP) out.status(line);
  } else {
    out.error(`ERR unknown subcommand '${args[1].toString('latin1')}'. Try CONFIG HELP.`);
  }
}

/** TIME */
export function timeCommand(_args: Buffer[], out: ReplyWriter): void {
  const us = BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000));
  out.arrayLen(2).bulk(String(us / 1000000n)).bulk(String(us % 1000000n));
}

/** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
export function shutdownCommand(args: Buffer[], out: ReplyWriter, _s: Session, ctx: HostContext): HostAction | void {
  let abort = false;
  for (const a of args.slice(1)) {
    const o = lower(a);
    if (o === 'abort') abort = true;
    else if (o !== 'nosave' && o !== 'save' && o !== 'now' && o !== 'force') { out.error('ERR syntax error'); return; }
  }
  if (abort) {
    if (args.length > 2) { out.error('ERR syntax error'); return; }
    out.error('ERR No shutdown in progress.');
    return;
  }
  if (!ctx.server.networked) { out.error('ERR SHUTDOWN is not available for an in-process engine'); return; }
  setImmediate(() => ctx.server.cluster.shutdown());
  return 'close';
}

/** The error DEBUG gets from this connection under enable-debug-command, or undefined (also checked when MULTI queues it). */
export function debugRefusal(session: Session, ctx: HostContext): string | undefined {
  const mode = ctx.server.config.get('enable-debug-command');
  const local = session.addr === '' || session.addr.startsWith('127.') || session.addr.startsWith('[::1]') || session.addr.startsWith('::1');
  if (mode === 'no' || (mode === 'local' && !local)) {
    return 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';
  }
  return undefined;
}

/** DEBUG <subcommand> — only with enable-debug-command yes (or local, from loopback). */
export function debugCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  const refused = debugRefusal(session, ctx);
  if (refused) { out.error(refused); return; }
  const sub = args.length > 1 ? lower(args[1]) : 'help';
  if (sub === 'sleep' && args.length >= 3) {
    const secs = Number(args[2].toString('latin1'));
    const until = Date.now() + (Number.isFinite(secs) ? secs * 1000 : 0);
    while (Date.now() < until) { /* DEBUG SLEEP blocks the server, as in Redis */ }
    out.status('OK');
  } else if (sub === 'set-active-expire' && args.length >= 3) {
    ctx.server.counters.activeExpire = args[2].toString('latin1') !== '0';
    out.status('OK');
  } else if (sub === 'segfault') {
    // a WebAssembly trap under the keyspace lock: the server must stop cleanly, not hang
    ctx.core.exports.debugTrap();
  } else if (sub === 'panic') {
    // an exception escaping this thread's event loop
    setImmediate(() => { throw new Error('DEBUG PANIC called at Unix time ' + Math.floor(Date.now() / 1000)); });
    out.status('OK');
  } else if (sub === 'help') {
    const lines = ['DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'SEGFAULT', '    Crash the engine (a WebAssembly trap while holding the keyspace lock).',
      'PANIC', '    Throw an uncaught exception on this thread.',
      'SET-ACTIVE-EXPIRE <0|1>', '    Turn active expiry of keys off or on.',
      'SLEEP <seconds>', '    Block the server for <seconds>.', 'HELP', '    Print this help.'];
    out.arrayLen(lines.length);
    for (const l of lines) out.status(l);
  } else {
    out.error(`ERR unknown subcommand or wrong number of arguments for '${(args[1] ?? Buffer.alloc(0)).toString('latin1')}'. Try DEBUG HELP.`);
  }
}
