// A small horizontal bar chart as SVG, written by hand (no dependencies).
//
// It owns: layout and escaping. One group per workload (or test), one bar per contender; bars are scaled
// to the largest bar of their own group (throughputs of different workloads differ by orders
// of magnitude), and each bar carries its own text label. It must not know what is measured.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * @param {{ title: string, subtitle?: string, compact?: boolean, groups: { label: string, bars: { label: string, value: number, text: string, color: string }[] }[] }} chart
 *   `compact`: thinner bars and smaller gaps, for charts with many groups
 * @returns {string} an SVG document
 */
export function barChartSvg({ title, subtitle, compact = false, groups }) {
  const width = 1000;
  const labelWidth = 250; // bar names, right-aligned against the bars
  const barLeft = labelWidth + 10;
  const barMax = 400;
  const barHeight = compact ? 11 : 16;
  const barGap = compact ? 2 : 4;
  const groupTitle = compact ? 18 : 22;
  const groupGap = compact ? 6 : 14;
  const top = subtitle ? 58 : 40;

  const out = [];
  let y = top;
  for (const group of groups) {
    out.push(`<text x="10" y="${y + (compact ? 13 : 15)}" class="group">${esc(group.label)}</text>`);
    y += groupTitle;
    const max = Math.max(...group.bars.map((bar) => (Number.isFinite(bar.value) ? bar.value : 0)), 1e-9);
    for (const bar of group.bars) {
      const w = Number.isFinite(bar.value) ? Math.max(1, (bar.value / max) * barMax) : 0;
      const mid = y + barHeight / 2 + (compact ? 3.5 : 4);
      out.push(
        `<text x="${labelWidth}" y="${mid}" text-anchor="end">${esc(bar.label)}</text>`,
        `<rect x="${barLeft}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${bar.color}"/>`,
        `<text x="${(barLeft + w + 6).toFixed(1)}" y="${mid}">${esc(bar.text)}</text>`,
      );
      y += barHeight + barGap;
    }
    y += groupGap;
  }
  const height = y + 6;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="${compact ? 11 : 12}">`,
    '<style>.title{font-size:16px;font-weight:600}.sub{fill:#555}.group{font-weight:600}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="24" class="title">${esc(title)}</text>`,
    ...(subtitle ? [`<text x="10" y="44" class="sub">${esc(subtitle)}</text>`] : []),
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
