// Tables a person can read: aligned in a terminal and valid Markdown at the same time.
//
// It owns: column alignment, number formatting and the ratio bar. It must not know what is
// being measured.

/**
 * Format rows as an aligned Markdown table.
 * @param {string[]} headers
 * @param {(string | number)[][]} rows
 * @param {{ align?: ('left' | 'right')[] }} [opts] default: right for cells that look numeric
 */
export function formatTable(headers, rows, { align } = {}) {
  const cells = rows.map((row) => row.map((c) => (c === null || c === undefined ? '' : String(c))));
  const columns = headers.length;
  const widths = headers.map((h, i) => Math.max(displayWidth(h), 3, ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const aligns = align ?? headers.map((_, i) => (cells.length && cells.every((r) => looksNumeric(r[i] ?? '')) ? 'right' : 'left'));
  const pad = (text, i) => {
    const fill = ' '.repeat(widths[i] - displayWidth(text));
    return aligns[i] === 'right' ? fill + text : text + fill;
  };
  const line = (row) => `| ${Array.from({ length: columns }, (_, i) => pad(row[i] ?? '', i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (aligns[i] === 'right' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

/** "1,234", "0.93", "86.3 MiB", "-12 B", "—" and "" right-align; anything else left-aligns. */
function looksNumeric(text) {
  return text === '' || text === '—' || /^[-+]?[\d.,]+(?: ?[A-Za-z%×/]{1,6})?$/.test(text);
}

/** Width in terminal columns (block characters and ASCII are one column each). */
function displayWidth(text) {
  return [...text].length;
}

/** 1234567.8 → "1,234,568" */
export function formatInt(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes in a human unit: "86.3 MiB". */
export function formatBytes(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** A ratio with two decimals ("0.93"), or "—". */
export function formatRatio(r) {
  return r === null || r === undefined || !Number.isFinite(r) ? '—' : r.toFixed(2);
}

/**
 * A horizontal bar for a ratio: ten eighths-resolution cells per 1.0, with a tick at 1.0 so
 * "as fast as Redis" is visible at a glance. Capped at `max`.
 */
export function ratioBar(r, { perUnit = 10, max = 2 } = {}) {
  if (r === null || r === undefined || !Number.isFinite(r)) return '';
  const eighths = Math.round(Math.min(Math.max(r, 0), max) * perUnit * 8);
  const blocks = ' ▏▎▍▌▋▊▉';
  let bar = '█'.repeat(Math.floor(eighths / 8));
  if (eighths % 8) bar += blocks[eighths % 8];
  if (bar.length < perUnit) bar = bar.padEnd(perUnit, ' ') + '│';
  else bar = bar.slice(0, perUnit) + '│' + bar.slice(perUnit);
  return (bar + (r > max ? '…' : '')).trimEnd();
}
