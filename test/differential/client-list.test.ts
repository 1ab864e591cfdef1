/**
 * Differential: CLIENT LIST's `cmd=` — the last command each connection sent, as Redis looked it
 * up: plain commands, subcommands (`config|get`), commands refused for their arity (still named),
 * unknown commands and subcommands (`NULL`), MULTI / queued commands / EXEC (EXEC, not what it
 * ran), host and engine commands, after HELLO and in subscribed mode — seen from another
 * connection, RESP2 and RESP3, one thread and two (clients on both workers).
 */
import { describeDiff, useDiffEnv } from '../helpers/transcript.js';
import { registerScenarios, clientList, type Scenario, type ScenarioStep, type Cmd, type LogRule } from '../helpers/multi-client.js';

const on = (c: number, cmd: Cmd, rule?: LogRule): ScenarioStep => (rule ? { c, cmd, rule } : { c, cmd });
/** Client 0 sends `cmd`, then client 1 lists both connections' last commands. */
const then = (cmd: Cmd): ScenarioStep[] => [
  // CLIENT INFO's own reply carries addresses and sizes: compared on cmd= only
  on(0, cmd, cmd === 'CLIENT INFO' ? clientList(['cmd']) : undefined),
  on(1, 'CLIENT LIST', clientList(['cmd', 'flags'])),
];

const lastCommand: Scenario[] = [
  {
    name: 'cmd= names the last command looked up, whatever became of it',
    steps: [
      on(1, 'CLIENT LIST', clientList(['cmd'])),
      ...['SET a 1', 'GET a', 'GET', 'CONFIG GET maxmemory', 'CONFIG GET', 'CONFIG', 'NOSUCH x', 'OBJECT ENCODING a',
        'OBJECT nope', 'OBJECT', 'CLIENT INFO', 'ping', 'INCRBYFLOAT a 1.5', 'LPUSH a x', 'MULTI', 'SET b 2', 'GET b',
        'EXEC', 'DISCARD', 'ECHO hi'].flatMap(then),
    ],
  },
  {
    name: 'cmd= while subscribed and after a refused command',
    steps: [
      ...['SUBSCRIBE ch', 'PING', 'GET a', 'PSUBSCRIBE p*', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'AUTH nobody x', 'RESET'].flatMap(then),
    ],
  },
];

describeDiff('differential: CLIENT LIST cmd=', () => {
  const env = useDiffEnv();
  registerScenarios(env, [['last command', lastCommand]]);
});

describeDiff('differential: CLIENT LIST cmd=, two worker threads', () => {
  const env = useDiffEnv({ target: { threads: 2, config: { 'enable-debug-command': 'local' } } });
  registerScenarios(env, [['last command', lastCommand.map((sc) => ({ ...sc, spreadWorkers: true }))]], [2]);
});
