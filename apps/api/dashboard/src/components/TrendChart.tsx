import { useEffect, useRef } from 'preact/hooks';
import { Chart } from '../charts';

export interface TrendSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/** Distinct colours (each ≥ 3:1 against white, for lines) and point shapes: colour is not the only cue. */
const PALETTE = ['#1d4ed8', '#a4161a', '#137333', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4b5563'];
const POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded', 'cross'] as const;

/** Active lines per area per ISO week; the table under it carries the same figures. */
export function TrendChart({
  weeks,
  series,
  description,
}: {
  weeks: readonly string[];
  series: readonly TrendSeries[];
  description: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: [...weeks],
        datasets: series.map((s, i) => ({
          label: s.label,
          data: [...s.values],
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length],
          pointStyle: POINTS[i % POINTS.length],
          pointRadius: 4,
          borderWidth: 2,
          borderDash: i >= PALETTE.length ? [6, 3] : undefined,
          spanGaps: true,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'lines active' } },
          x: { title: { display: true, text: 'ISO week' } },
        },
        plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } },
      },
    });
    return () => chart.destroy();
  }, [weeks, series]);
  return (
    <div class="chart chart-trend">
      <canvas ref={canvas} role="img" aria-label={description} data-testid="trend-chart">
        {description}
      </canvas>
    </div>
  );
}
