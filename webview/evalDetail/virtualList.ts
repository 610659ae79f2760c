// A list that keeps only the rows in view (plus a margin) in the DOM: 10,000+ rows scroll smoothly because the
// page never holds more than a screenful of them. Rows have one fixed height (their cells scroll inside).

export class VirtualList {
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private count = 0;
  private rendered = new Map<number, HTMLElement>();
  private frame = 0;

  constructor(
    readonly viewport: HTMLElement,
    private readonly rowHeight: number,
    private readonly renderRow: (position: number) => HTMLElement,
    private readonly overscan = 4,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vl-spacer';
    this.layer = document.createElement('div');
    this.layer.className = 'vl-layer';
    this.spacer.append(this.layer);
    viewport.append(this.spacer);
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  /** Shows `count` rows, rebuilding every visible row (the content behind positions changed). */
  setCount(count: number): void {
    this.count = count;
    this.spacer.style.height = `${count * this.rowHeight}px`;
    this.rendered.clear();
    this.layer.replaceChildren();
    this.update();
  }

  scrollTo(top: number): void {
    this.viewport.scrollTop = top;
    this.update();
  }

  /** Positions currently in the DOM (for tests and the benchmark). */
  get renderedCount(): number {
    return this.rendered.size;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private update(): void {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 800;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - this.overscan);
    const last = Math.min(this.count - 1, Math.ceil((top + height) / this.rowHeight) + this.overscan);
    for (const [position, el] of this.rendered) {
      if (position < first || position > last) {
        el.remove();
        this.rendered.delete(position);
      }
    }
    for (let position = first; position <= last; position++) {
      if (this.rendered.has(position)) continue;
      const el = this.renderRow(position);
      el.style.transform = `translateY(${position * this.rowHeight}px)`;
      el.style.height = `${this.rowHeight}px`;
      this.rendered.set(position, el);
      this.layer.append(el);
    }
  }
}
