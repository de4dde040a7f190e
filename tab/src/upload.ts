/**
 * The plain upload page: sends the chosen file to POST /api/uploads with the
 * upload ticket from the link's fragment; the server does all the real work and
 * also sends the preview to the user's chat.
 */
import { photoKind } from './pages/my-photo/file-kind';
import { applyFluentTheme } from './shell/fluent';
import { browserTheme } from './shell/host';
import { STRINGS, type PageLocale, type PageStrings } from './upload-strings';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function ticketFromFragment(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return params.get('ticket');
}

/** The page language: the ticket's locale (chosen by the bot from the chat), else the browser's. */
function pageLocale(ticket: string | null): PageLocale {
  const known: PageLocale[] = ['en', 'fi', 'nl', 'pl'];
  try {
    const payload = JSON.parse(atob((ticket ?? '').split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as {
      loc?: string;
    };
    if (payload.loc && known.includes(payload.loc as PageLocale)) return payload.loc as PageLocale;
  } catch {
    // no readable ticket: fall back to the browser
  }
  const nav = navigator.language.slice(0, 2).toLowerCase();
  return known.includes(nav as PageLocale) ? (nav as PageLocale) : 'en';
}

function applyStrings(s: PageStrings, locale: PageLocale): void {
  document.documentElement.lang = locale;
  document.title = `Headshot – ${s.title}`;
  $('title').textContent = s.title;
  $('intro').textContent = s.intro;
  $('choose').textContent = s.choose;
  $('formats').textContent = s.formats;
  $('submit').textContent = s.upload;
  $<HTMLImageElement>('preview').alt = s.previewAlt;
}

function showStatus(text: string, isError: boolean): void {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

interface UploadAnswer {
  preview?: string;
  message?: string;
  warnings?: { code: string; message: string }[];
  error?: { code: string; message: string };
}

async function upload(ticket: string, file: File, s: PageStrings): Promise<void> {
  // The bytes decide, as on the service: a PDF renamed .jpg never leaves the page.
  if (photoKind(new Uint8Array(await file.slice(0, 16).arrayBuffer())) === null) {
    showStatus(s.notImage.replace('{{name}}', file.name), true);
    return;
  }
  showStatus(s.uploading, false);
  $<HTMLButtonElement>('submit').disabled = true;
  try {
    const res = await fetch('/api/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/octet-stream' },
      body: file,
    });
    const answer = (await res.json()) as UploadAnswer;
    if (!res.ok || answer.error) {
      showStatus(answer.error?.message ?? s.failed, true);
      return;
    }
    showStatus(answer.message ?? '', false);
    $<HTMLImageElement>('preview').src = answer.preview ?? '';
    const list = $('warnings');
    list.replaceChildren(
      ...(answer.warnings ?? []).map((w) => {
        const li = document.createElement('li');
        li.textContent = w.message;
        return li;
      }),
    );
    $('result').hidden = false;
  } catch {
    showStatus(s.failed, true);
  } finally {
    $<HTMLButtonElement>('submit').disabled = false;
  }
}

function init(): void {
  applyFluentTheme(browserTheme());
  const ticket = ticketFromFragment();
  const locale = pageLocale(ticket);
  const s = STRINGS[locale];
  applyStrings(s, locale);
  const input = $<HTMLInputElement>('file');
  const submit = $<HTMLButtonElement>('submit');
  if (!ticket) {
    showStatus(s.noTicket, true);
    input.disabled = true;
    return;
  }
  const chosen = $('chosen');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    submit.disabled = !file;
    chosen.hidden = !file;
    chosen.textContent = file ? s.chosen.replace('{{name}}', file.name) : '';
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void upload(ticket, file, s);
  });
  $('form').addEventListener('submit', (e) => {
    e.preventDefault();
    const file = input.files?.[0];
    if (file) void upload(ticket, file, s);
  });
}

init();
