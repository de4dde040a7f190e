/**
 * "Take a photo": in a host, a file input with `capture` (mobile hosts open their camera for it);
 * in a plain browser, a modal dialog with the camera's picture, Capture and Cancel.
 */
import { button, el } from '../../dom';
import type { PageContext } from '../../page-context';

type T = (key: string, params?: Record<string, string | number>) => string;

/** Opens the camera; resolves with a JPEG of the captured frame, or null when the person cancels. Throws when there is no camera. */
async function openCamera(t: T, signal: AbortSignal): Promise<File | null> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
  const video = el('video', { autoplay: true, playsinline: true, muted: true, 'aria-label': t('camera.video') });
  video.srcObject = stream;
  return new Promise<File | null>((resolve) => {
    const dialog = el('dialog', { class: 'camera', 'aria-labelledby': 'camera-title' });
    const finish = (file: File | null) => {
      for (const track of stream.getTracks()) track.stop();
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(file);
    };
    const capture = button(
      t('camera.capture'),
      () => {
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext('2d')?.drawImage(video, 0, 0);
        canvas.toBlob(
          (blob) => finish(blob ? new File([blob], 'camera.jpg', { type: 'image/jpeg' }) : null),
          'image/jpeg',
          0.92,
        );
      },
      { class: 'primary' },
    );
    dialog.append(
      el('h2', { id: 'camera-title' }, t('camera.title')),
      video,
      el(
        'div',
        { class: 'actions' },
        capture,
        button(t('camera.cancel'), () => finish(null)),
      ),
    );
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    signal.addEventListener('abort', () => finish(null), { once: true });
    document.body.append(dialog);
    dialog.showModal();
    capture.focus();
  });
}

/** The "Take a photo" control; `shot` gets the picture, `failed` is called when there is no camera. */
export function cameraButton(ctx: PageContext, on: { shot(file: File): Promise<void>; failed(): void }): HTMLElement {
  const { t, host } = ctx;
  if (host.kind !== 'standalone') {
    const capture = el('input', {
      type: 'file',
      accept: 'image/*',
      capture: 'user',
      class: 'visually-hidden',
      tabindex: -1,
      'aria-label': t('editor.takePhoto'),
    });
    capture.addEventListener('change', () => {
      const chosen = capture.files?.[0];
      if (chosen) void on.shot(chosen);
    });
    return el(
      'span',
      {},
      button(t('editor.takePhoto'), () => capture.click(), { class: 'secondary' }),
      capture,
    );
  }
  return button(
    t('editor.takePhoto'),
    async () => {
      try {
        const shot = await openCamera(t, ctx.signal);
        if (shot) await on.shot(shot);
      } catch {
        on.failed();
      }
    },
    { class: 'secondary', id: 'take-photo' },
  );
}
