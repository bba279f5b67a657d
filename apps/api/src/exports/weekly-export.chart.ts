import { Resvg } from '@resvg/resvg-js';
import type { WeeklyExport } from './build-weekly-export.usecase';

const WIDTH = 960;
const HEIGHT = 520;
const MARGIN = { top: 48, right: 200, bottom: 64, left: 56 };
/** Colour-blind-safe palette (Okabe–Ito), then greys. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#777777', '#AAAAAA'];

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Lines active per area and week: a line chart, one line an area (SVG, self-contained, deterministic). */
export function chartSvg(exp: WeeklyExport): string {
  const weeks = [...new Set(exp.rows.map((r) => r.isoWeek))];
  const areas = [...new Map(exp.rows.map((r) => [r.area, r.areaName])).entries()];
  const value = (area: string, week: string) => Number(exp.rows.find((r) => r.area === area && r.isoWeek === week)?.linesActive ?? 0);
  const max = Math.max(1, ...exp.rows.map((r) => Number(r.linesActive)));
  const step = max <= 5 ? 1 : max <= 10 ? 2 : Math.ceil(max / 5 / 5) * 5;
  const top = Math.ceil(max / step) * step;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number) => MARGIN.left + (weeks.length <= 1 ? plotW / 2 : (i * plotW) / (weeks.length - 1));
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<title>Lines active per area and week, ${xml(exp.fromWeek)} to ${xml(exp.toWeek)}</title>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(
    `<text x="${MARGIN.left}" y="28" font-size="16" font-weight="bold">Lines active per week, ${xml(exp.fromWeek)} to ${xml(exp.toWeek)} (${xml(exp.version)} version)</text>`,
  );
  for (let v = 0; v <= top; v += step) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#dddddd"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  const every = Math.max(1, Math.ceil(weeks.length / 12));
  weeks.forEach((week, i) => {
    if (i % every === 0 || i === weeks.length - 1)
      out.push(`<text x="${x(i)}" y="${MARGIN.top + plotH + 20}" text-anchor="middle">${xml(week.slice(2))}</text>`);
  });
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 16}" text-anchor="middle">ISO week (Monday start, Europe/London)</text>`);
  areas.forEach(([area, name], n) => {
    const colour = COLOURS[n % COLOURS.length];
    const points = weeks.map((week, i) => `${x(i).toFixed(1)},${y(value(area, week)).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"><title>${xml(name)}</title></polyline>`);
    const ly = MARGIN.top + 8 + n * 20;
    out.push(`<rect x="${WIDTH - MARGIN.right + 20}" y="${ly - 9}" width="14" height="4" fill="${colour}"/>`);
    out.push(`<text x="${WIDTH - MARGIN.right + 40}" y="${ly}">${xml(name)}</text>`);
  });
  out.push(`</svg>`);
  return out.join('\n');
}

/** The same chart as PNG (resvg: a Rust renderer shipped as a prebuilt npm binary; system fonts). */
export function chartPng(exp: WeeklyExport): Buffer {
  const resvg = new Resvg(chartSvg(exp), { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' });
  return Buffer.from(resvg.render().asPng());
}
