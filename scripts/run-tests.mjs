#!/usr/bin/env node
/**
 * Runs the vitest suite (see `passes` below) and ends the output with one line, alone on the
 * last line:
 *
 *   N passed, N failed            (or: N passed, N failed, N skipped)
 *
 * Exit code: 0 when nothing failed, 1 otherwise. A test file that fails outside any test
 * (import error, failing beforeAll) counts as one failure even though it reports no failed test.
 * Extra arguments are passed to vitest: `node scripts/run-tests.mjs test/differential`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(root, '.vitest-results.json');
const vitestBin = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');

/**
 * With no arguments: the whole suite on one thread, then the tests that talk to a server again
 * with every wasmdis target on two worker threads (issue #3: everything behaves the same with any
 * thread count). With arguments: one vitest run with those arguments.
 */
const passes = process.argv.length > 2
  ? [{ name: '', args: process.argv.slice(2), env: {} }]
  : [
      { name: 'all tests, one thread', args: [], env: {} },
      { name: 'server tests, two worker threads', args: ['test/differential', 'test/clients', 'test/server'], env: { WASMDIS_THREADS: '2' } },
    ];

let child;
const forward = (sig) => () => child?.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));

/** Run vitest once; resolves with its counts (and a note on anything odd). */
function runPass(pass) {
  fs.rmSync(resultsFile, { force: true });
  if (pass.name) process.stdout.write(`\n=== ${pass.name} ===\n`);
  const args = [vitestBin, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...pass.args];
  const baseEnv = { ...process.env, ...pass.env };
  child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // plain output in logs (CI, redirected), colours on a terminal unless the caller chose
    env:
      process.stdout.isTTY || process.env.FORCE_COLOR !== undefined || process.env.NO_COLOR !== undefined
        ? baseEnv
        : { ...baseEnv, NO_COLOR: '1' },
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(countResults(code, signal))));
}

function countResults(code, signal) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let note = '';
  try {
    const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    passed = r.numPassedTests ?? 0;
    failed = r.numFailedTests ?? 0;
    skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // files that failed without a failed test (load error, hook error) still count
    const brokenFiles = [];
    for (const f of r.testResults ?? []) {
      const hasFailedTest = (f.assertionResults ?? []).some((a) => a.status === 'failed');
      if (f.status === 'failed' && !hasFailedTest) brokenFiles.push(path.relative(root, f.name));
    }
    if (brokenFiles.length) {
      failed += brokenFiles.length;
      note = `test files that failed outside a test (counted as failures): ${brokenFiles.join(', ')}`;
    }
    if (failed === 0 && code !== 0) {
      failed = 1;
      note = `vitest exited with code ${code}${signal ? ` (signal ${signal})` : ''} although no test failed`;
    }
  } catch (e) {
    failed = Math.max(1, failed);
    note = `no vitest results (${e instanceof Error ? e.message : e}); vitest exited with code ${code}${signal ? `, signal ${signal}` : ''}`;
  }
  fs.rmSync(resultsFile, { force: true });
  return { passed, failed, skipped, note };
}

let passed = 0, failed = 0, skipped = 0;
const notes = [];
for (const pass of passes) {
  const r = await runPass(pass);
  passed += r.passed; failed += r.failed; skipped += r.skipped;
  if (r.note) notes.push(pass.name ? `${pass.name}: ${r.note}` : r.note);
  if (passes.length > 1) process.stdout.write(`(${pass.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''})\n`);
}
if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
