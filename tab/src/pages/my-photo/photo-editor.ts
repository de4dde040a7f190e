/**
 * The photo editor: choose (file, drag and drop, camera), check, crop square with cropper.js
 * (buttons and keys for everything), live round previews at Teams' avatar sizes and live
 * quality hints; hands the original file and the crop to `submit`.
 */
import Cropper from 'cropperjs';
import type { CropQuery } from '../../../../bot/src/api/tab-contract';
import type { PageContext } from '../../page-context';
import { button, el, formatNumber, type FluentButton } from '../../dom';
import { photoKind } from './file-kind';
import { normaliseRotate, toCropQuery } from './crop-math';
import { cameraButton } from './camera';
import { AvatarPreviews } from './avatar-previews';
import { FaceGuide, faceHints } from './face-guide';

/** What the editor does with a checked photo. */
export interface EditorActions {
  /** Uploads the original bytes with the crop (null: the browser could not show it; the server centres it). */
  submit(file: File, crop: CropQuery | null): Promise<void>;
}

const KEY_STEP = 10;

/** Builds the editor section; `element` goes into the page. */
export class PhotoEditor {
  readonly element: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private readonly dropZone: FluentButton;
  private readonly error: HTMLElement;
  private readonly workspace: HTMLElement;
  private readonly cropArea: HTMLElement;
  private readonly previews: AvatarPreviews;
  private readonly faces: FaceGuide;
  private readonly undecodable: HTMLElement;
  private readonly submitButton: FluentButton;
  private readonly fileName: HTMLElement;
  private cropper: Cropper | null = null;
  private image: HTMLImageElement | null = null;
  private objectUrl: string | null = null;
  private file: File | null = null;
  private frame = 0;

  constructor(
    private readonly ctx: PageContext,
    private readonly actions: EditorActions,
  ) {
    const { t, config, host } = ctx;
    this.fileInput = el('input', {
      type: 'file',
      id: 'photo-file',
      accept: 'image/*,.heic,.heif',
      class: 'visually-hidden',
      tabindex: -1,
      'aria-label': t('editor.fileLabel'),
    });
    this.fileInput.addEventListener('change', () => {
      const chosen = this.fileInput.files?.[0];
      if (chosen) void this.load(chosen);
    });
    this.dropZone = button(t('editor.choose'), () => this.fileInput.click(), {
      class: 'drop-zone',
      id: 'drop-zone',
      'aria-describedby': 'photo-rules',
    });
    this.wireDrop(this.dropZone);
    const mb = Math.floor((config.maxUploadBytes / (1024 * 1024)) * 10) / 10;
    const rules = el('p', { class: 'hint', id: 'photo-rules' }, t('editor.rules', { mb, minSide: config.minSide }));
    const camera = host.camera
      ? cameraButton(ctx, {
          shot: (file) => this.load(file),
          failed: () => this.showError(t('editor.cameraFailed')),
        })
      : null;
    this.fileName = el('p', { class: 'file-name', hidden: true });
    this.error = el('p', { class: 'error', role: 'alert', hidden: true });
    this.undecodable = el('p', { class: 'notice', hidden: true }, t('editor.undecodable'));

    this.cropArea = el('div', {
      class: 'crop-area',
      tabindex: 0,
      role: 'group',
      'aria-label': t('editor.cropArea'),
      'aria-describedby': 'crop-help',
    });
    this.cropArea.addEventListener('keydown', (e) => this.onCropKey(e));
    const tools = el(
      'div',
      { class: 'crop-tools', role: 'group', 'aria-label': t('editor.tools') },
      button(t('editor.zoomIn'), () => this.cropper?.zoom(0.1)),
      button(t('editor.zoomOut'), () => this.cropper?.zoom(-0.1)),
      button(t('editor.rotateLeft'), () => this.cropper?.rotate(-90)),
      button(t('editor.rotateRight'), () => this.cropper?.rotate(90)),
      button(t('editor.reset'), () => this.cropper?.reset()),
    );
    this.previews = new AvatarPreviews(ctx);
    this.faces = new FaceGuide(ctx);
    this.workspace = el(
      'div',
      { class: 'crop-workspace', hidden: true },
      el('p', { id: 'crop-help', class: 'hint' }, t('editor.cropHelp')),
      this.faces.statusElement,
      el('div', { class: 'crop-row' }, this.cropArea, tools),
      this.previews.element,
      this.previews.hintsElement,
    );
    this.submitButton = button(t('editor.submit'), () => void this.send(), {
      class: 'primary',
      id: 'editor-submit',
      disabled: true,
    });
    const blocked = ctx.me.selfServiceBlocked;
    if (blocked) this.submitButton.hidden = true;

    this.element = el(
      'section',
      { class: 'card editor', id: 'editor', 'aria-labelledby': 'editor-title' },
      el('h2', { id: 'editor-title' }, t('editor.title')),
      blocked ? el('p', { class: 'notice', role: 'note' }, t('editor.blocked')) : null,
      el('p', {}, t('editor.intro')),
      el('div', { class: 'choose-row' }, this.dropZone, camera),
      this.fileInput,
      rules,
      this.fileName,
      this.error,
      this.undecodable,
      this.workspace,
      this.submitButton,
    );
    ctx.signal.addEventListener('abort', () => this.clear());
  }

  /** Moves focus to the editor (the status report's "upload" fix). */
  focus(): void {
    this.element.scrollIntoView({ block: 'start' });
    this.dropZone.focus();
  }

  /** Lets the editor be used again (after the request ended or was cancelled). */
  setBusy(busy: boolean): void {
    this.submitButton.disabled = busy || this.file === null;
    this.dropZone.disabled = busy;
  }

  private wireDrop(zone: HTMLElement): void {
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      const dropped = e.dataTransfer?.files[0];
      if (dropped) void this.load(dropped);
    });
  }

  private showError(message: string | null): void {
    this.error.textContent = message ?? '';
    this.error.hidden = message === null;
  }

  private clear(): void {
    this.cropper?.destroy();
    this.cropper = null;
    this.image?.remove();
    this.image = null;
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
    this.file = null;
    window.cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.previews.clear();
    this.faces.clear();
    this.workspace.hidden = true;
    this.undecodable.hidden = true;
    this.fileName.hidden = true;
    this.submitButton.disabled = true;
  }

  /** Checks a chosen file and opens it in the cropper (or notes that only the server can read it). */
  private async load(file: File): Promise<void> {
    const { t, config } = this.ctx;
    this.clear();
    this.showError(null);
    // The bytes decide, as on the service: a PDF renamed .jpg is not a photo.
    if (photoKind(new Uint8Array(await file.slice(0, 16).arrayBuffer())) === null) {
      this.showError(t('editor.notImage', { name: file.name }));
      return;
    }
    if (file.size > config.maxUploadBytes) {
      const mb = Math.floor((config.maxUploadBytes / (1024 * 1024)) * 10) / 10;
      this.showError(t('editor.tooLarge', { mb }));
      return;
    }
    this.file = file;
    this.fileName.textContent = t('editor.chosen', { name: file.name });
    this.fileName.hidden = false;
    this.objectUrl = URL.createObjectURL(file);
    const img = el('img', { alt: t('editor.imageAlt'), src: this.objectUrl });
    try {
      await img.decode();
    } catch {
      // HEIC and friends: the browser cannot draw it, the service can. Send it uncropped.
      this.undecodable.hidden = false;
      this.submitButton.disabled = false;
      this.ctx.announce(t('editor.undecodable'));
      return;
    }
    const pixels = img.naturalWidth * img.naturalHeight;
    if (pixels > config.maxPixels) {
      this.clear();
      const mp = (n: number) => Math.round(n / 100_000) / 10;
      const n = (value: number) => formatNumber(mp(value), this.ctx.locale);
      this.showError(t('editor.tooManyPixels', { received: n(pixels), max: n(config.maxPixels) }));
      return;
    }
    if (Math.min(img.naturalWidth, img.naturalHeight) < config.minSide) {
      this.clear();
      this.showError(
        t('editor.tooSmall', { width: img.naturalWidth, height: img.naturalHeight, minSide: config.minSide }),
      );
      return;
    }
    this.image = img;
    this.workspace.hidden = false;
    this.cropArea.replaceChildren(img);
    this.cropper = new Cropper(img, {
      aspectRatio: 1,
      viewMode: 1,
      dragMode: 'move',
      autoCropArea: 0.9,
      // The browser already shows the image upright (EXIF applied): the crop is in that space, as the service expects.
      checkOrientation: false,
      background: false,
      toggleDragModeOnDblclick: false,
      ready: () => {
        const container = this.cropArea.querySelector<HTMLElement>('.cropper-container');
        if (container) this.faces.attach(container);
        void this.findFaces(file);
        this.schedule();
      },
      crop: () => this.schedule(),
    });
    this.submitButton.disabled = false;
    this.ctx.announce(t('editor.loaded', { name: file.name }));
  }

  private onCropKey(e: KeyboardEvent): void {
    const cropper = this.cropper;
    if (!cropper) return;
    const step = e.shiftKey ? 1 : KEY_STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[e.key];
    if (move) {
      const box = cropper.getCropBoxData();
      cropper.setCropBoxData({ left: box.left + move[0], top: box.top + move[1] });
    } else if (e.key === '+' || e.key === '=') {
      cropper.zoom(0.1);
    } else if (e.key === '-' || e.key === '_') {
      cropper.zoom(-0.1);
    } else {
      return;
    }
    e.preventDefault();
  }

  /** One preview and hint update per animation frame, however many crop events come. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = window.requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  /** Asks the service where the faces are; starts the square where the service would cut (unless the photo was turned meanwhile). */
  private async findFaces(file: File): Promise<void> {
    const scan = await this.faces.load(file, () => this.file !== file);
    const cropper = this.cropper;
    if (!scan || !cropper || this.file !== file) return;
    const suggested = scan.suggested;
    if (suggested && normaliseRotate(cropper.getData().rotate) === 0) {
      cropper.setData({
        x: suggested.cropLeft,
        y: suggested.cropTop,
        width: suggested.cropSize,
        height: suggested.cropSize,
      });
    }
    this.schedule();
  }

  private update(): void {
    const cropper = this.cropper;
    const image = this.image;
    if (!cropper || !image) return;
    const data = cropper.getData(true);
    const crop = toCropQuery(data, { width: image.naturalWidth, height: image.naturalHeight }, this.ctx.config.minSide);
    this.faces.place({ ...cropper.getCanvasData(), rotate: data.rotate });
    this.previews.draw(
      (side) => cropper.getCroppedCanvas({ width: side, height: side, imageSmoothingQuality: 'high' }),
      Math.min(data.width, data.height),
      faceHints(this.faces.scan, crop),
    );
  }

  private async send(): Promise<void> {
    const file = this.file;
    if (!file) return;
    const crop =
      this.cropper && this.image
        ? toCropQuery(
            this.cropper.getData(true),
            { width: this.image.naturalWidth, height: this.image.naturalHeight },
            this.ctx.config.minSide,
          )
        : null;
    this.setBusy(true);
    try {
      await this.actions.submit(file, crop);
      // The photo is with the service now (its request shows above): the editor starts empty for a next one.
      this.clear();
      this.fileInput.value = '';
    } catch (err) {
      this.showError((err as Error).message);
    } finally {
      this.setBusy(false);
    }
  }
}
