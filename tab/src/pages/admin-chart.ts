/**
 * The coverage bar chart: an inline SVG drawn from the counts, one labelled bar per category.
 * It is one image to assistive technology (role="img" with a summary); the same numbers are in a
 * real table next to it. Colours come from the stylesheet (classes), so themes and contrast apply.
 */
const SVG = 'http://www.w3.org/2000/svg';

/** One bar. */
export interface ChartBar {
  key: string;
  label: string;
  value: number;
  /** The number as shown (in the user's locale). */
  valueText: string;
}

const WIDTH = 640;
const LABEL_HEIGHT = 18;
const BAR_HEIGHT = 16;
const ROW_GAP = 12;
const VALUE_SPACE = 56;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draws horizontal bars scaled to the largest value; `summary` is what screen readers hear. */
export function barChart(bars: ChartBar[], summary: string): SVGSVGElement {
  const rowHeight = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP;
  const height = bars.length * rowHeight;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'img',
    'aria-label': summary,
    class: 'hs-chart',
    focusable: 'false',
    // Fallbacks for when the page's stylesheet is missing: the stylesheet's rules override them.
    fill: 'currentColor',
    'font-size': 14,
  });
  bars.forEach((bar, i) => {
    const y = i * rowHeight;
    const length = Math.round(((WIDTH - VALUE_SPACE) * bar.value) / max);
    const group = svg('g', { class: `hs-chart-row hs-chart-${bar.key}`, 'data-key': bar.key });
    group.append(
      svg('text', { x: 0, y: y + LABEL_HEIGHT - 5, class: 'hs-chart-label' }, bar.label),
      svg('rect', { x: 0, y: y + LABEL_HEIGHT, width: Math.max(length, 2), height: BAR_HEIGHT, class: 'hs-chart-bar' }),
      svg(
        'text',
        { x: Math.max(length, 2) + 6, y: y + LABEL_HEIGHT + BAR_HEIGHT - 3, class: 'hs-chart-value' },
        bar.valueText,
      ),
    );
    chart.append(group);
  });
  return chart;
}
