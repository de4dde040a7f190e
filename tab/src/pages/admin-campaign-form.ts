/**
 * Admin page, the form that starts a reminder: message, audience, guests/disabled, now or later.
 * Checks what it can before anything leaves the page and says what is wrong next to the field, in the
 * user's language. Sending asks first: the server counts who the audience reaches now and shows the
 * reminder as people will read it; "Everyone" asks a second time. What the server refuses is shown
 * above the send button in its (localised) words.
 */
import type { CampaignDraftBody, CampaignPreviewJson, CampaignProgressJson } from '../../../bot/src/api/tab-contract';
import { checkbox, confirmDialog, errorLine, nativeInput, radioGroup, textArea } from '../controls';
import { button, el, formatInstant, formatNumber, showFailure, uid, type SectionHost } from './admin-dom';
import { groupPicker } from './admin-pickers';

/** Longest custom text the server takes. */
/** The follow-up schedules offered, in days after sending (the bot's compose card offers the same). */
const FOLLOW_UP_DAYS = [3, 7, 14] as const;

const MAX_CUSTOM_TEXT = 2000;

const REMINDABLE = ['no_photo', 'placeholder_or_stale', 'hybrid_stuck'] as const;

/** A control with its error line. */
interface Checked {
  control: HTMLElement;
  error: HTMLParagraphElement;
}

/** Builds the form; `started` gets the campaign the server created. */
export function campaignForm(host: SectionHost, started: (c: CampaignProgressJson) => void): HTMLElement {
  const { ctx } = host;
  const { t } = ctx;

  // message
  const messageChoice = radioGroup(
    'message',
    t('messageLabel'),
    [
      { value: 'reminder', label: t('messageReminder') },
      { value: 'custom', label: t('messageCustom') },
    ],
    'reminder',
  );
  const custom = textArea(t('customLabel'), { name: 'customText', rows: 4, maxlength: MAX_CUSTOM_TEXT });
  const customCount = el('p', { class: 'hs-counter' });
  const customError = errorLine();
  const countCustom = () => {
    customCount.textContent = t('counter', { used: custom.value.length, max: MAX_CUSTOM_TEXT });
  };
  custom.addEventListener('input', countCustom);
  countCustom();
  const customBlock = el('div', { class: 'hs-indent' }, custom, customCount, customError);

  // audience
  const audienceChoice = radioGroup(
    'audience',
    t('audienceLabel'),
    [
      ...REMINDABLE.map((key) => ({ value: `category:${key}`, label: t(`audience_${key}`) })),
      { value: 'group', label: t('audienceGroup') },
      { value: 'everyone', label: t('audienceEveryone') },
    ],
    'category:no_photo',
  );
  const group = groupPicker(ctx, t('groupLabel'));
  const groupError = errorLine();
  const groupBlock = el('div', { class: 'hs-indent' }, group.element, groupError);
  const guests = checkbox(t('includeGuests'));
  const disabled = checkbox(t('includeDisabled'));

  // when
  const whenChoice = radioGroup(
    'when',
    t('whenLabel'),
    [
      { value: 'now', label: t('sendNow') },
      { value: 'later', label: t('sendLater') },
    ],
    'now',
  );
  const when = nativeInput(t('sendAtLabel'), { type: 'datetime-local', name: 'sendAt' });
  const whenError = errorLine();
  const whenBlock = el('div', { class: 'hs-indent' }, when.element, whenError);

  // follow-ups: again, later, to those who have not sent a photo by then (the bot's compose card offers the same)
  const followUps = FOLLOW_UP_DAYS.map((days) => ({ days, ...checkbox(t('followUpDays', { days }), String(days)) }));
  const followUpsId = uid('follow-ups');
  const followUpBlock = el(
    'div',
    { role: 'group', 'aria-labelledby': followUpsId, class: 'hs-follow-ups' },
    el('p', { id: followUpsId, class: 'hs-group-label' }, t('followUpLabel')),
    el('div', { class: 'hs-checks' }, ...followUps.map((f) => f.element)),
    el('p', { class: 'hint' }, t('followUpHint')),
  );

  const submit = button(t('send'), null, { type: 'submit', class: 'primary' });
  const formAlert = el('p', { class: 'error hs-alert', role: 'alert' });
  const form = el(
    'form',
    { class: 'hs-form hs-campaign-form', 'aria-label': t('composeTitle'), novalidate: true },
    el('h3', {}, t('composeTitle')),
    messageChoice.element,
    customBlock,
    audienceChoice.element,
    groupBlock,
    el('p', { class: 'hint' }, t('audienceFromCheck')),
    el('div', { class: 'hs-checks' }, guests.element, disabled.element),
    whenChoice.element,
    whenBlock,
    followUpBlock,
    el('div', { class: 'actions' }, submit),
    formAlert,
  );

  // Fields that do not apply to the current choice are hidden, so neither eye nor keyboard meets them.
  const sync = () => {
    customBlock.hidden = messageChoice.value !== 'custom';
    groupBlock.hidden = audienceChoice.value !== 'group';
    whenBlock.hidden = whenChoice.value !== 'later';
  };
  for (const choice of [messageChoice, audienceChoice, whenChoice]) choice.onChange(sync);
  sync();

  const fields = {
    custom: { control: custom, error: customError },
    group: { control: group.input, error: groupError },
    when: { control: when.input, error: whenError },
  } satisfies Record<string, Checked>;
  const setError = (field: Checked, text: string) => {
    field.error.textContent = text;
    if (text) field.control.setAttribute('aria-invalid', 'true');
    else field.control.removeAttribute('aria-invalid');
  };

  /** The draft, or null after marking what is wrong. */
  const draft = (): CampaignDraftBody | null => {
    Object.values(fields).forEach((f) => setError(f, ''));
    const wrong: Checked[] = [];
    const fail = (field: Checked, text: string) => {
      wrong.push(field);
      setError(field, text);
    };
    const body: CampaignDraftBody = {
      message: { kind: 'reminder' },
      audience: { kind: 'everyone' },
      includeGuests: guests.box.checked,
      includeDisabled: disabled.box.checked,
    };
    if (messageChoice.value === 'custom') {
      const text = custom.value.trim();
      if (!text) fail(fields.custom, t('customRequired'));
      else if (text.length > MAX_CUSTOM_TEXT) fail(fields.custom, t('customTooLong', { max: MAX_CUSTOM_TEXT }));
      body.message = { kind: 'custom', text };
    }
    const audience = audienceChoice.value;
    if (audience.startsWith('category:')) {
      body.audience = {
        kind: 'category',
        categories: [audience.slice('category:'.length) as (typeof REMINDABLE)[number]],
      };
    } else if (audience === 'group') {
      const chosen = group.chosen();
      if (!chosen) fail(fields.group, t('groupRequired'));
      else body.audience = { kind: 'group', groupId: chosen.id };
    }
    if (whenChoice.value === 'later') {
      const at = when.input.value ? new Date(when.input.value) : null;
      if (!at || Number.isNaN(at.getTime())) fail(fields.when, t('whenRequired'));
      else if (at.getTime() <= Date.now()) fail(fields.when, t('whenPast'));
      else body.sendAt = at.toISOString();
    }
    const days = followUps.filter((f) => f.box.checked).map((f) => f.days);
    if (days.length > 0) body.followUpDays = days;
    if (wrong.length === 0) return body;
    wrong[0].control.focus();
    return null;
  };

  /** Shows who gets it and what they read, and asks; "everyone" asks twice. */
  const confirmed = async (body: CampaignDraftBody, preview: CampaignPreviewJson): Promise<boolean> => {
    const people = preview.recipients;
    const count =
      people === null
        ? t('previewUnknown')
        : t(people === 1 ? 'previewOne' : 'previewMany', { people: formatNumber(people, ctx.locale) });
    const later = preview.sendAt ? t('previewAt', { at: formatInstant(preview.sendAt, ctx.locale) }) : null;
    const card = el(
      'figure',
      { class: 'hs-reminder-preview' },
      el('figcaption', { class: 'hint' }, t('previewWhat')),
      // The card itself, drawn by the Adaptive Cards renderer with the Teams theme: what recipients get.
      (await import('../shell/card-preview')).renderCardPreview(preview.card),
    );
    const first = await confirmDialog({
      title: preview.sendAt ? t('previewTitleLater') : t('previewTitle'),
      body: [el('p', { class: 'hs-recipients' }, count), later ? el('p', {}, later) : null, card].filter(
        (n): n is HTMLElement => n !== null,
      ),
      confirm: preview.sendAt ? t('confirmSchedule') : t('confirmSend'),
      cancel: t('confirmBack'),
    });
    if (!first || body.audience.kind !== 'everyone') return first;
    return confirmDialog({
      title: t('everyoneTitle'),
      body: [
        el(
          'p',
          {},
          people === null ? t('everyoneBodyUnknown') : t('everyoneBody', { people: formatNumber(people, ctx.locale) }),
        ),
      ],
      confirm: t('everyoneConfirm'),
      cancel: t('confirmBack'),
    });
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formAlert.textContent = '';
    const body = draft();
    if (!body) return;
    submit.disabled = true;
    try {
      const preview = await ctx.api.post<CampaignPreviewJson>('/api/admin/campaigns/preview', body);
      if (ctx.signal.aborted) return;
      if (preview.recipients === 0) {
        formAlert.textContent = t('previewNobody');
        return;
      }
      if (!(await confirmed(body, preview))) {
        submit.focus();
        return;
      }
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
