#!/usr/bin/env node
// The server benchmark's chart: requests per second per test and configuration, one bar per
// server, as SVG (the README shows it). bench/server/run.mjs writes it after every run; running
// this file redraws bench/results/server.svg from bench/results/server.json (`--quick`: the
// quick files) without measuring again.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { barChartSvg } from '../lib/chart.mjs';
import { formatInt, formatRatio } from '../lib/table.mjs';

const COLORS = { redis: '#c0392b', io: '#e59866', wasmdis: ['#1f618d', '#5dade2', '#85c1e9'] };

/**
 * @param {{ label: string, config: string, rps: Record<string, number|null>, ratios: Record<string, number|null> }[]} rows
 * @param {{ key: string, label: string, kind: string }[]} columns
 * @returns {string} SVG
 */
export function serverChart(rows, columns, { quick = false } = {}) {
  const wasmdis = columns.filter((c) => c.kind === 'wasmdis');
  const color = (c) => (c.key === 'redis' ? COLORS.redis : c.kind === 'wasmdis' ? COLORS.wasmdis[wasmdis.indexOf(c) % 3] : COLORS.io);
  return barChartSvg({
    title: `wasmdis vs redis-server: requests per second (higher is better)${quick ? ' — quick run, not a baseline' : ''}`,
    subtitle: 'redis-benchmark on 127.0.0.1, 2 cores; bars scaled per test; label: req/s (× redis-server). P = pipeline depth, c = connections.',
    compact: true,
    groups: rows.map((r) => ({
      label: `${r.label} · ${r.config}`,
      bars: columns.filter((c) => Number.isFinite(r.rps[c.key])).map((c) => ({
        label: c.label,
        value: r.rps[c.key],
        text: `${formatInt(r.rps[c.key])}${c.key === 'redis' ? '' : ` (${formatRatio(r.ratios[c.key])})`}`,
        color: color(c),
      })),
    })),
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const quick = process.argv.includes('--quick');
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');
  const name = quick ? 'server-quick' : 'server';
  const data = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  fs.writeFileSync(path.join(dir, `${name}.svg`), serverChart(data.rows, data.columns, { quick }));
  console.log(`wrote bench/results/${name}.svg`);
}
