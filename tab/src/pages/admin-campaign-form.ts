/**
 * Admin page, the form that starts a reminder: message, audience, guests/disabled, now or later.
 * Checks what it can before sending and says what is wrong next to the field, in the user's language;
 * what the server refuses is shown above the send button in its (localised) words.
 */
import type { CampaignDraftBody, CampaignProgressJson } from '../../../bot/src/api/tab-contract';
import { button, el, showFailure, uid, type SectionHost } from './admin-dom';

/** Longest custom text the server takes. */
const MAX_CUSTOM_TEXT = 2000;

const REMINDABLE = ['no_photo', 'placeholder_or_stale', 'hybrid_stuck'] as const;
type Remindable = (typeof REMINDABLE)[number];

/** A control with its error line (wired through aria-describedby). */
interface Checked {
  control: HTMLElement;
  error: HTMLParagraphElement;
}

function errorLine(): HTMLParagraphElement {
  return el('p', { id: uid('error'), class: 'error hs-field-error' });
}

function describe(control: HTMLElement, ...ids: string[]): void {
  control.setAttribute('aria-describedby', ids.join(' '));
}

function radio(name: string, value: string, label: string, checked = false): HTMLElement {
  const id = uid(`${name}-${value}`);
  return el(
    'div',
    { class: 'hs-choice' },
    el('input', { type: 'radio', id, name, value, checked }),
    el('label', { for: id }, label),
  );
}

function checkbox(name: string, label: string, value = 'on'): HTMLElement {
  const id = uid(name);
  return el(
    'div',
    { class: 'hs-choice' },
    el('input', { type: 'checkbox', id, name, value }),
    el('label', { for: id }, label),
  );
}

/** Builds the form; `started` gets the campaign the server created. */
export function campaignForm(host: SectionHost, started: (c: CampaignProgressJson) => void): HTMLElement {
  const { ctx } = host;
  const { t } = ctx;
  const titleId = uid('campaign-form');

  // message
  const customId = uid('custom-text');
  const customCount = el('p', { id: uid('count'), class: 'hs-counter' });
  const custom = el('textarea', { id: customId, name: 'customText', rows: 4, maxlength: MAX_CUSTOM_TEXT });
  const customError = errorLine();
  describe(custom, customCount.id, customError.id);
  const countCustom = () => {
    customCount.textContent = t('counter', { used: custom.value.length, max: MAX_CUSTOM_TEXT });
  };
  custom.addEventListener('input', countCustom);
  countCustom();
  const message = el(
    'fieldset',
    {},
    el('legend', {}, t('messageLabel')),
    radio('message', 'reminder', t('messageReminder'), true),
    radio('message', 'custom', t('messageCustom')),
    el('label', { for: customId }, t('customLabel')),
    custom,
    customCount,
    customError,
  );

  // audience
  const categoriesError = errorLine();
  const categories = el(
    'fieldset',
    { class: 'hs-nested' },
    el('legend', {}, t('audienceCategories')),
    ...REMINDABLE.map((key) => checkbox('category', t(`category_${key}`), key)),
    categoriesError,
  );
  describe(categories, categoriesError.id);
  const groupId = uid('group');
  const group = el('input', { type: 'text', id: groupId, name: 'groupId', autocomplete: 'off', spellcheck: 'false' });
  const groupError = errorLine();
  describe(group, groupError.id);
  const audience = el(
    'fieldset',
    {},
    el('legend', {}, t('audienceLabel')),
    radio('audience', 'category', t('audienceCategory'), true),
    categories,
    radio('audience', 'group', t('audienceGroup')),
    el('label', { for: groupId }, t('groupLabel')),
    group,
    groupError,
    radio('audience', 'everyone', t('audienceEveryone')),
    checkbox('includeGuests', t('includeGuests')),
    checkbox('includeDisabled', t('includeDisabled')),
  );

  // when
  const whenId = uid('when');
  const when = el('input', { type: 'datetime-local', id: whenId, name: 'sendAt' });
  const whenError = errorLine();
  describe(when, whenError.id);
  const schedule = el(
    'fieldset',
    {},
    el('legend', {}, t('whenLabel')),
    radio('when', 'now', t('sendNow'), true),
    radio('when', 'later', t('sendLater')),
    el('label', { for: whenId }, t('sendAtLabel')),
    when,
    whenError,
  );

  const submit = button(t('send'), null, { type: 'submit', class: 'primary' });
  const formAlert = el('p', { class: 'error hs-alert', role: 'alert' });
  const form = el(
    'form',
    { class: 'hs-form hs-campaign-form', 'aria-labelledby': titleId, novalidate: true },
    el('h3', { id: titleId }, t('composeTitle')),
    message,
    audience,
    schedule,
    el('div', { class: 'actions' }, submit),
    formAlert,
  );

  const value = (name: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
  const isChecked = (name: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"]`)?.checked ?? false;
  // Fields that do not apply to the current choice are disabled, so the keyboard skips them.
  const sync = () => {
    custom.disabled = value('message') !== 'custom';
    group.disabled = value('audience') !== 'group';
    for (const box of categories.querySelectorAll('input')) box.disabled = value('audience') !== 'category';
    when.disabled = value('when') !== 'later';
  };
  form.addEventListener('change', sync);
  sync();

  const fields: Checked[] = [
    { control: custom, error: customError },
    { control: categories, error: categoriesError },
    { control: group, error: groupError },
    { control: when, error: whenError },
  ];
  const setError = (field: Checked, text: string) => {
    field.error.textContent = text;
    if (field.control instanceof HTMLFieldSetElement) {
      field.control.classList.toggle('hs-invalid', text !== '');
      return;
    }
    if (text) field.control.setAttribute('aria-invalid', 'true');
    else field.control.removeAttribute('aria-invalid');
  };

  /** The draft, or null after marking what is wrong. */
  const draft = (): CampaignDraftBody | null => {
    fields.forEach((f) => setError(f, ''));
    const wrong: Checked[] = [];
    const fail = (field: Checked, text: string) => {
      wrong.push(field);
      setError(field, text);
    };
    const body: CampaignDraftBody = {
      message: { kind: 'reminder' },
      audience: { kind: 'everyone' },
      includeGuests: isChecked('includeGuests'),
      includeDisabled: isChecked('includeDisabled'),
    };
    if (value('message') === 'custom') {
      const text = custom.value.trim();
      if (!text) fail(fields[0], t('customRequired'));
      else if (text.length > MAX_CUSTOM_TEXT) fail(fields[0], t('customTooLong', { max: MAX_CUSTOM_TEXT }));
      body.message = { kind: 'custom', text };
    }
    const kind = value('audience');
    if (kind === 'category') {
      const chosen = Array.from(categories.querySelectorAll<HTMLInputElement>('input:checked')).map(
        (box) => box.value as Remindable,
      );
      if (chosen.length === 0) fail(fields[1], t('categoriesRequired'));
      body.audience = { kind: 'category', categories: chosen };
    } else if (kind === 'group') {
      const id = group.value.trim();
      if (!id) fail(fields[2], t('groupRequired'));
      else if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) fail(fields[2], t('groupInvalid'));
      body.audience = { kind: 'group', groupId: id };
    }
    if (value('when') === 'later') {
      const at = when.value ? new Date(when.value) : null;
      if (!at || Number.isNaN(at.getTime())) fail(fields[3], t('whenRequired'));
      else if (at.getTime() <= Date.now()) fail(fields[3], t('whenPast'));
      else body.sendAt = at.toISOString();
    }
    if (wrong.length === 0) return body;
    const first = wrong[0].control;
    (first instanceof HTMLFieldSetElement ? first.querySelector<HTMLElement>('input') : first)?.focus();
    return null;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formAlert.textContent = '';
    const body = draft();
    if (!body) return;
    submit.disabled = true;
    try {
      const created = await ctx.api.post<CampaignProgressJson>('/api/admin/campaigns', body);
      if (ctx.signal.aborted) return;
      ctx.announce(created.state === 'scheduled' ? t('campaignScheduled') : t('campaignStarted'));
      started(created);
    } catch (err) {
      showFailure(host, err, formAlert);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
