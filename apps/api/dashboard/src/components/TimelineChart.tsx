import { useEffect, useRef } from 'preact/hooks';
import { Chart } from '../charts';
import { LINE_STATES, STATE_COLOUR, STATE_LABEL, axisLabel, formatDate, formatDateTime } from '../format';
import type { StatePeriodV1 as Period } from '@linewatch/contracts';

/**
 * A line's timeline: one horizontal bar per period, on the row of its state, over time (a linear
 * axis of epoch milliseconds with date labels: no date adapter needed). The periods table next
 * to it carries the same facts for those who do not see the chart.
 */
export function TimelineChart({ periods, lineId, now }: { periods: readonly Period[]; lineId: string; now: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current || periods.length === 0) return;
    const start = Math.min(...periods.map((p) => Date.parse(p.from)));
    const end = Math.max(now, ...periods.map((p) => (p.to ? Date.parse(p.to) : now)));
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: LINE_STATES.map((state) => STATE_LABEL[state]),
        datasets: [
          {
            label: 'Periods',
            data: periods.map((period) => ({
              x: [Date.parse(period.from), period.to ? Date.parse(period.to) : now] as [number, number],
              y: STATE_LABEL[period.state],
            })),
            backgroundColor: periods.map((period) => STATE_COLOUR[period.state].background),
            borderColor: '#1f1f1f',
            borderWidth: 1,
            borderSkipped: false,
            barPercentage: 0.9,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: 'linear',
            min: start,
            max: end + Math.max(1, (end - start) * 0.02),
            ticks: { callback: (value) => axisLabel(Number(value), end - start), maxTicksLimit: 6 },
          },
          y: { type: 'category' },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const period = periods[item.dataIndex];
                return `${STATE_LABEL[period.state]}: ${formatDateTime(period.from)} – ${period.to ? formatDateTime(period.to) : 'now'}`;
              },
            },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [periods, now]);

  const summary = periods
    .map((p) => `${STATE_LABEL[p.state]} from ${formatDate(p.from)}${p.to ? ` to ${formatDate(p.to)}` : ' until now'}`)
    .join('; ');
  return (
    <div class="chart chart-timeline">
      <canvas ref={canvas} role="img" aria-label={`Timeline of line ${lineId}: ${summary || 'no periods'}`} data-testid="timeline-chart">
        {summary}
      </canvas>
    </div>
  );
}
