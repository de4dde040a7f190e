/**
 * The editor's live round previews at Teams' avatar sizes and its quality hints, both drawn from
 * the current crop; the hints are announced once they hold still and only when they change.
 */
import type { PageContext } from '../../page-context';
import { el } from '../../dom';
import { qualityHints } from './quality';

const SAMPLE_SIDE = 32;
const HINT_SETTLE_MS = 500;

/** Previews (`element`) and hints (`hintsElement`) of one editor. */
export class AvatarPreviews {
  readonly element: HTMLElement;
  readonly hintsElement: HTMLElement;
  private readonly canvases: Array<{ side: number; canvas: HTMLCanvasElement }> = [];
  private readonly hintList: HTMLElement;
  private hintTimer = 0;
  private shownHints = '';

  constructor(private readonly ctx: PageContext) {
    const { t, config } = ctx;
    const list = el('ul', { class: 'avatar-previews' });
    for (const side of config.avatarSides) {
      const canvas = el('canvas', {
        class: 'avatar',
        width: side * 2,
        height: side * 2,
        role: 'img',
        'aria-label': t('editor.previewAt', { side }),
        'data-side': side,
      });
      canvas.style.width = `${side}px`;
      canvas.style.height = `${side}px`;
      this.canvases.push({ side, canvas });
      list.append(el('li', {}, canvas, el('span', { 'aria-hidden': 'true' }, `${side} px`)));
    }
    this.element = el(
      'section',
      { class: 'previews', 'aria-labelledby': 'previews-title' },
      el('h3', { id: 'previews-title' }, t('editor.previewsTitle')),
      list,
    );
    this.hintList = el('ul', { class: 'quality-hints' });
    this.hintsElement = el(
      'div',
      { class: 'quality', 'aria-live': 'polite', 'aria-labelledby': 'quality-title' },
      el('h3', { id: 'quality-title', class: 'visually-hidden' }, t('editor.qualityTitle')),
      this.hintList,
    );
  }

  /**
   * Redraws every preview from one crop rendered at `render(side)` (twice the largest preview, for sharp
   * edges on high-density screens) and updates the hints; `cropSide` is the crop's side in source pixels.
   */
  draw(render: (side: number) => HTMLCanvasElement | null, cropSide: number, faceRules: readonly string[] = []): void {
    const largest = Math.max(...this.canvases.map((p) => p.side), SAMPLE_SIDE) * 2;
    const master = render(largest);
    if (!master || master.width === 0) return;
    for (const { canvas } of this.canvases) {
      const g = canvas.getContext('2d');
      if (!g) continue;
      g.clearRect(0, 0, canvas.width, canvas.height);
      g.imageSmoothingQuality = 'high';
      g.drawImage(master, 0, 0, canvas.width, canvas.height);
    }
    const sample = document.createElement('canvas');
    sample.width = SAMPLE_SIDE;
    sample.height = SAMPLE_SIDE;
    const sg = sample.getContext('2d', { willReadFrequently: true });
    if (!sg) return;
    sg.drawImage(master, 0, 0, SAMPLE_SIDE, SAMPLE_SIDE);
    const pixels = sg.getImageData(0, 0, SAMPLE_SIDE, SAMPLE_SIDE).data;
    this.showHints([
      ...faceRules.map((rule) => `face.${rule}`),
      ...qualityHints(cropSide, this.ctx.config.masterSide, pixels).map((hint) => `quality.${hint}`),
    ]);
  }

  /** Forgets the hints (a new photo, or the page was left). */
  clear(): void {
    window.clearTimeout(this.hintTimer);
    this.shownHints = '';
    this.hintList.replaceChildren();
  }

  /** Shows the hints once they hold still, and only when they changed: the live region is read, not spammed. */
  private showHints(hints: string[]): void {
    const key = hints.join(',');
    window.clearTimeout(this.hintTimer);
    if (key === this.shownHints) return;
    this.hintTimer = window.setTimeout(() => {
      this.shownHints = key;
      const { t, config } = this.ctx;
      this.hintList.replaceChildren(
        ...hints.map((hint) =>
          el('li', { class: 'warning', 'data-hint': hint.split('.')[1] }, t(hint, { masterSide: config.masterSide })),
        ),
      );
    }, HINT_SETTLE_MS);
  }
}
