/**
 * redis-benchmark against the target: every test completes with a non-zero rate.
 * (Correctness only: speed is measured in bench/, never asserted in tests.)
 */
import { it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { describeWithBinary } from '../helpers/redis-oracle.js';
import { useTarget } from '../helpers/targets.js';

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-benchmark timed out after ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** "SET: 87719.30 requests per second, p50=0.287 msec" → { SET: 87719.3 } (progress lines use \r). */
function parseRates(out: string): Map<string, number> {
  const rates = new Map<string, number>();
  for (const line of out.split(/[\r\n]+/)) {
    const m = /^([A-Z_]+(?: \(\d+ keys\))?): ([\d.]+) requests per second/.exec(line.trim());
    if (m) rates.set(m[1]!, Number(m[2]));
  }
  return rates;
}

describeWithBinary('redis-benchmark', 'client: redis-benchmark', () => {
  const target = useTarget();

  it('-t set,get,incr,mset,ping -n 20000 -q completes with non-zero rps for each test', { timeout: 180_000 }, async () => {
    const t = target();
    const r = await run(['-h', t.host, '-p', String(t.port), '-t', 'set,get,incr,mset,ping', '-n', '20000', '-q'], 170_000);
    const rates = parseRates(r.stdout);
    const summary = [...rates].map(([k, v]) => `${k}=${v}`).join(', ');
    expect(r.code, `exit code; stderr: ${r.stderr}`).toBe(0);
    for (const name of ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'MSET (10 keys)']) {
      expect(rates.get(name), `${name} in: ${summary || r.stdout.slice(-1000)}`).toBeGreaterThan(0);
    }
    console.log(`[redis-benchmark] ${t.name}: ${summary}`);
  });

  it('pipelined (-P 16) SET/GET completes', { timeout: 120_000 }, async () => {
    const t = target();
    const r = await run(['-h', t.host, '-p', String(t.port), '-t', 'set,get', '-n', '20000', '-P', '16', '-q'], 110_000);
    const rates = parseRates(r.stdout);
    expect(r.code, r.stderr).toBe(0);
    expect(rates.get('SET')).toBeGreaterThan(0);
    expect(rates.get('GET')).toBeGreaterThan(0);
  });
});
