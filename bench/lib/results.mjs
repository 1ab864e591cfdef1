// Results files and the environment they were measured in.
//
// It owns: bench/results/<name>.json and <name>.md (stable names: they are committed, so a
// diff shows how the numbers moved), and the description of the machine and programs.
// Quick runs (CI smoke) write <name>-quick.* instead, which bench/results/.gitignore ignores.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { programVersion, repoRoot } from './server-process.mjs';

export const resultsDir = path.join(repoRoot, 'bench', 'results');

/** Aggregate CPU times from /proc/stat: [busy, total] jiffies, or null off Linux. */
function cpuTimes() {
  try {
    const fields = fs.readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    const total = fields.reduce((a, b) => a + b, 0);
    return [total - idle, total];
  } catch {
    return null;
  }
}

/**
 * Share of all cores busy during one second, before we start anything: the load average
 * would also count the benchmark step that just finished, this does not.
 */
async function cpuBusyNow(ms = 1000) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  if (!a || !b || b[1] === a[1]) return null;
  return Number(((b[0] - a[0]) / (b[1] - a[1])).toFixed(3));
}

/** Machine, toolchain and source revision, for the header of every results file. */
export async function describeEnvironment() {
  const cpuModel = os.cpus()[0]?.model?.trim() ?? 'unknown';
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    if (dirty) commit += '+dirty';
  } catch {
    // not a git checkout, or no commits yet
  }
  return {
    date: new Date().toISOString(),
    cpu: cpuModel,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    redisServer: await programVersion(['redis-server', '--version']),
    redisBenchmark: await programVersion(['redis-benchmark', '--version']),
    commit,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    cpuBusyBeforeStart: await cpuBusyNow(),
  };
}

/** The environment as a few Markdown lines. */
export function environmentMarkdown(env, extra = {}) {
  const lines = [
    `- date: ${env.date}`,
    `- machine: ${env.cpu}, ${env.cores} cores, ${env.memory}, ${env.os}`,
    `- node ${env.node}; ${env.redisServer ?? 'redis-server: not found'}; ${env.redisBenchmark ?? 'redis-benchmark: not found'}`,
    `- wasmdis commit: ${env.commit ?? 'unknown'}`,
    `- before start: CPU ${env.cpuBusyBeforeStart === null ? 'unknown' : `${Math.round(env.cpuBusyBeforeStart * 100)}% busy`}` +
      `${env.cpuBusyBeforeStart > 0.15 ? ' (other work was running: expect noise)' : ''}; load average ${env.loadAverage.join(', ')}`,
  ];
  for (const [key, value] of Object.entries(extra)) lines.push(`- ${key}: ${value}`);
  return lines.join('\n');
}

/**
 * Write bench/results/<name>.json and <name>.md (or <name>-quick.* for quick runs).
 * @returns {{ json: string, markdown: string }} the paths written
 */
export function writeResults(name, { data, markdown, quick = false }) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, quick ? `${name}-quick` : name);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return { json: path.relative(repoRoot, `${base}.json`), markdown: path.relative(repoRoot, `${base}.md`) };
}

/** Shell-quote an argv for display, so a command line in a results file can be pasted back. */
export function shellQuote(argv) {
  return argv.map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}
