/**
 * The My photo page: the current photo, where it shows (status report), the editor
 * for a new one, and the request it makes, followed to its end.
 */
import type { CropQuery, PhotoRequestView } from '../../../bot/src/api/tab-contract';
import { ApiError, type PageContext, type TabPage } from '../page-context';
import { el } from '../dom';
import { MY_PHOTO_STRINGS } from './my-photo/my-photo-strings';
import { PhotoEditor } from './my-photo/photo-editor';
import { END_STATES, RequestSection } from './my-photo/request-section';
import { StatusSection } from './my-photo/status-section';

/** The current photo, reloaded after a new one is applied. */
class CurrentPhoto {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private url: string | null = null;

  constructor(private readonly ctx: PageContext) {
    this.body = el('div', { class: 'current-photo' });
    this.element = el(
      'section',
      { class: 'card', 'aria-labelledby': 'current-title' },
      el('h2', { id: 'current-title' }, ctx.t('current.title')),
      this.body,
    );
    ctx.signal.addEventListener('abort', () => this.revoke());
  }

  async load(): Promise<void> {
    const { api, t } = this.ctx;
    try {
      const url = await api.image('/api/me/photo');
      this.revoke();
      this.url = url;
      this.body.replaceChildren(
        url
          ? el('img', { class: 'avatar current', src: url, width: 120, height: 120, alt: t('current.alt') })
          : el('p', { class: 'no-photo' }, t('current.none')),
      );
    } catch (err) {
      if (!this.ctx.signal.aborted) this.body.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
    }
  }

  private revoke(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}

function cropPath(crop: CropQuery | null): string {
  if (!crop) return '/api/me/photo-requests';
  const q = new URLSearchParams({
    cropLeft: String(crop.cropLeft),
    cropTop: String(crop.cropTop),
    cropSize: String(crop.cropSize),
    rotate: String(crop.rotate ?? 0),
  });
  return `/api/me/photo-requests?${q.toString()}`;
}

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const current = new CurrentPhoto(ctx);
  let editor: PhotoEditor | null = null;
  const status = new StatusSection(ctx, () => editor?.focus());
  const request = new RequestSection(ctx, {
    ended: (view: PhotoRequestView) => {
      editor?.setBusy(false);
      if (view.state === 'applied') {
        void current.load();
        void status.load();
      }
    },
  });
  editor = new PhotoEditor(ctx, {
    submit: async (file, crop) => {
      const view = await ctx.api.upload<PhotoRequestView>(
        cropPath(crop),
        file,
        file.type || 'application/octet-stream',
      );
      request.show(view, true);
    },
  });
  root.append(
    el('h1', {}, ctx.t('title')),
    el('p', { class: 'lead' }, ctx.t('intro')),
    el('div', { class: 'columns' }, current.element, status.element),
    request.element,
    editor.element,
  );
  const latest = ctx.api.get<PhotoRequestView>('/api/me/photo-requests/latest').then(
    (view) => {
      if (!END_STATES.includes(view.state)) request.show(view);
    },
    (err: unknown) => {
      if (!(err instanceof ApiError && err.status === 404) && !ctx.signal.aborted) ctx.announce((err as Error).message);
    },
  );
  await Promise.all([current.load(), status.load(), latest]);
}

export const myPhotoPage: TabPage = {
  id: 'photo',
  strings: MY_PHOTO_STRINGS,
  visible: () => true,
  render,
};
