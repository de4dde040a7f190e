/**
 * The photo guidelines in the editor: the service finds the faces once per chosen photo
 * (`POST /api/me/photo-faces`), the editor starts its square where the service would cut, outlines
 * the faces over the image, and turns the current crop into live hints with the service's own rules
 * (bot/src/core/photo/face-rules.ts, the one runtime module the tab shares with the service).
 */
import { faceFindings, turnFaces, type FaceRule } from '../../../../bot/src/core/photo/face-rules';
import type { CropQuery, FaceScanJson } from '../../../../bot/src/api/tab-contract';
import type { PageContext } from '../../page-context';
import { el } from '../../dom';

/** What cropper.js tells about where the image is drawn (`getCanvasData()`) and its turn. */
export interface CanvasPlacement {
  left: number;
  top: number;
  width: number;
  height: number;
  naturalWidth: number;
  rotate: number;
}

/** The face rules a crop breaks, given the scan (faces in the image's upright space, before the user's turns). */
export function faceHints(scan: FaceScanJson | null, crop: CropQuery | null): FaceRule[] {
  if (!scan || scan.status !== 'checked' || !crop) return [];
  const rotate = crop.rotate ?? 0;
  const faces = turnFaces(scan.faces, scan.width, scan.height, rotate);
  return faceFindings(faces, { left: crop.cropLeft, top: crop.cropTop, size: crop.cropSize }).map((f) => f.rule);
}

/** The faces' outlines over the cropper and the line that says what the check found. */
export class FaceGuide {
  readonly statusElement: HTMLElement;
  private readonly layer: HTMLElement;
  private scanned: FaceScanJson | null = null;

  constructor(private readonly ctx: PageContext) {
    this.statusElement = el('p', { class: 'hint face-status', id: 'face-status', 'aria-live': 'polite' });
    this.layer = el('div', { class: 'face-layer', 'aria-hidden': 'true' });
  }

  /** The last scan, once it came. */
  get scan(): FaceScanJson | null {
    return this.scanned;
  }

  /** Asks the service for the faces of `file`; null when it could not answer (the upload still works). */
  async load(file: File, signal: () => boolean): Promise<FaceScanJson | null> {
    const { t } = this.ctx;
    this.clear();
    this.statusElement.textContent = t('face.checking');
    try {
      const scan = await this.ctx.api.upload<FaceScanJson>(
        '/api/me/photo-faces',
        file,
        file.type || 'application/octet-stream',
      );
      if (signal()) return null;
      this.scanned = scan;
      this.statusElement.textContent =
        scan.status === 'off'
          ? ''
          : scan.status === 'unavailable'
            ? t('face.unavailable')
            : scan.faces.length === 0
              ? t('face.none')
              : t('face.found', { faces: scan.faces.length });
      return scan;
    } catch {
      if (!signal()) this.statusElement.textContent = t('face.unavailable');
      return null;
    }
  }

  /** Puts the outline layer into the cropper's container (once per image). */
  attach(container: HTMLElement): void {
    container.append(this.layer);
  }

  /** Redraws the outlines where cropper.js draws the image now (hidden while the image is turned). */
  place(canvas: CanvasPlacement): void {
    const scan = this.scanned;
    if (!scan || scan.status !== 'checked' || canvas.rotate % 360 !== 0 || !canvas.naturalWidth) {
      this.layer.replaceChildren();
      return;
    }
    const scale = canvas.width / canvas.naturalWidth;
    this.layer.replaceChildren(
      ...scan.faces.map((f) => {
        const box = el('div', { class: 'face-box', 'data-score': f.score.toFixed(2) });
        box.style.left = `${canvas.left + f.x * scale}px`;
        box.style.top = `${canvas.top + f.y * scale}px`;
        box.style.width = `${f.width * scale}px`;
        box.style.height = `${f.height * scale}px`;
        return box;
      }),
    );
  }

  clear(): void {
    this.scanned = null;
    this.layer.replaceChildren();
    this.statusElement.textContent = '';
  }
}
