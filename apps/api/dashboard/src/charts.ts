import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { prefersReducedMotion } from './format';

/** Only the pieces the two charts use (a smaller bundle than chart.js/auto). */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';
Chart.defaults.color = '#1f1f1f';
Chart.defaults.animation = prefersReducedMotion() ? false : { duration: 300 };

export { Chart };
