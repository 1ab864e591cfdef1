// Command-line options for the benchmark runners: every `--flag` also reads from an
// environment variable (BENCH_<FLAG>), so `npm run bench` can be steered without argv.
// Precedence: argv, then environment, then the default.

import { parseArgs } from 'node:util';

/**
 * @param {Record<string, { type: 'string' | 'boolean', env?: string, default?: string | boolean, help: string }>} spec
 * @param {{ usage: string, argv?: string[] }} opts
 * @returns {Record<string, string | boolean | undefined>}
 */
export function readOptions(spec, { usage, argv = process.argv.slice(2) }) {
  const parseSpec = { help: { type: 'boolean', short: 'h' } };
  for (const [name, s] of Object.entries(spec)) parseSpec[name] = { type: s.type };
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: parseSpec, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`${err.message}\n\n${helpText(spec, usage)}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(helpText(spec, usage));
    process.exit(0);
  }
  const out = {};
  for (const [name, s] of Object.entries(spec)) {
    let value = values[name];
    if (value === undefined && s.env && process.env[s.env] !== undefined && process.env[s.env] !== '') {
      const raw = process.env[s.env];
      value = s.type === 'boolean' ? !/^(0|false|no|off)$/i.test(raw) : raw;
    }
    out[name] = value ?? s.default;
  }
  return out;
}

function helpText(spec, usage) {
  const lines = [usage, '', 'Options (each also settable through the environment variable shown):'];
  for (const [name, s] of Object.entries(spec)) {
    const flag = s.type === 'string' ? `--${name} <value>` : `--${name}`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${s.default})` : '';
    lines.push(`  ${flag.padEnd(24)} ${s.help}${def}${s.env ? `  [${s.env}]` : ''}`);
  }
  lines.push('', 'Servers: BENCH_WASMDIS_CMD and BENCH_REDIS_CMD override the start commands ({port}, {root} substituted).', '');
  return lines.join('\n');
}

/** Print a usage problem and exit with status 2. */
export function usageError(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Parse a positive integer option or exit with a clear message. */
export function positiveInt(name, value) {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) usageError(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}
