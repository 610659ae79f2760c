// Zoom and pan on the x axis, by setting the x scale's min and max: the wheel zooms around the pointer, a drag
// across the chart zooms to the dragged range, Shift+drag pans, a double-click resets. Small and CSP-safe (no
// plugin, no inline style).
import type { LossChart } from './chart';

export interface XRange { min: number; max: number }

const WHEEL_STEP = 0.0015;
/** A drag shorter than this (CSS pixels) is a click, not a zoom. */
const MIN_DRAG_PX = 5;

/** The x range shown now, or undefined when the chart shows everything. */
export function zoomRange(chart: LossChart): XRange | undefined {
  const x = chart.options.scales!['x']!;
  return typeof x.min === 'number' && typeof x.max === 'number' ? { min: x.min, max: x.max } : undefined;
}

/** Shows `range` (clamped to `extent`), or everything when undefined. */
export function setZoom(chart: LossChart, range: XRange | undefined, extent?: XRange): void {
  const x = chart.options.scales!['x']!;
  let r = range;
  if (r && extent) {
    const width = Math.min(r.max - r.min, extent.max - extent.min);
    const min = Math.min(Math.max(r.min, extent.min), extent.max - width);
    r = { min, max: min + width };
  }
  if (r && r.max > r.min) {
    x.min = r.min;
    x.max = r.max;
  } else {
    delete x.min;
    delete x.max;
  }
  chart.update('none');
}

/**
 * Wires the mouse on the chart's canvas. `extent` is the data's full x range (pans and zooms stay inside it);
 * `changed` gets the new range (undefined: reset) after each zoom or pan.
 */
export function enableZoom(chart: LossChart, extent: () => XRange | undefined, changed: (range: XRange | undefined) => void): void {
  const canvas = chart.canvas;
  const withSelection = chart as unknown as { $selection?: { from: number; to: number } };
  const inArea = (px: number, py: number) => {
    const a = chart.chartArea;
    return px >= a.left && px <= a.right && py >= a.top && py <= a.bottom;
  };
  const pos = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return { px: e.clientX - r.left, py: e.clientY - r.top };
  };
  const apply = (range: XRange | undefined) => {
    setZoom(chart, range, extent());
    changed(zoomRange(chart));
  };

  canvas.addEventListener('wheel', (e) => {
    const { px, py } = pos(e);
    const full = extent();
    if (!inArea(px, py) || !full) return;
    e.preventDefault();
    const scale = chart.scales['x']!;
    const at = scale.getValueForPixel(px)!;
    const factor = Math.exp(e.deltaY * WHEEL_STEP);
    const min = at - (at - scale.min) * factor;
    const max = at + (scale.max - at) * factor;
    apply(max - min >= full.max - full.min ? undefined : { min, max });
  }, { passive: false });

  let drag: { mode: 'box' | 'pan'; startPx: number; min: number; max: number } | undefined;
  canvas.addEventListener('mousedown', (e) => {
    const { px, py } = pos(e);
    if (e.button !== 0 || !inArea(px, py)) return;
    const scale = chart.scales['x']!;
    drag = { mode: e.shiftKey ? 'pan' : 'box', startPx: px, min: scale.min, max: scale.max };
    e.preventDefault();
  });
  window.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const { px } = pos(e);
    const a = chart.chartArea;
    const clamped = Math.min(Math.max(px, a.left), a.right);
    if (drag.mode === 'box') {
      withSelection.$selection = { from: drag.startPx, to: clamped };
      chart.draw();
    } else {
      const perPx = (drag.max - drag.min) / (a.right - a.left);
      const shift = (drag.startPx - px) * perPx;
      setZoom(chart, { min: drag.min + shift, max: drag.max + shift }, extent());
    }
  });
  window.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const d = drag;
    drag = undefined;
    withSelection.$selection = undefined;
    if (d.mode === 'pan') return changed(zoomRange(chart));
    const { px } = pos(e);
    const a = chart.chartArea;
    const to = Math.min(Math.max(px, a.left), a.right);
    if (Math.abs(to - d.startPx) < MIN_DRAG_PX) return chart.draw();
    const scale = chart.scales['x']!;
    const [v0, v1] = [scale.getValueForPixel(d.startPx)!, scale.getValueForPixel(to)!];
    apply({ min: Math.min(v0, v1), max: Math.max(v0, v1) });
  });
  canvas.addEventListener('dblclick', () => apply(undefined));
}
