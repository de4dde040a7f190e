/**
 * Admin page, settings: approval policy, SharePoint legacy push and the reminder's words per language.
 * Save sends only what changed; the server's (localised) refusal is shown above the button.
 */
import type {
  ReminderText,
  TabLocale,
  TenantSettingsUpdate,
  TenantSettingsView,
} from '../../../bot/src/api/tab-contract';
import {
  adminSection,
  button,
  el,
  formatInstant,
  showFailure,
  uid,
  type AdminSection,
  type SectionHost,
} from './admin-dom';

const LOCALES: TabLocale[] = ['en', 'fi', 'nl', 'pl'];
const MINUTES = ['remindAfterMinutes', 'escalateAfterMinutes', 'expireAfterMinutes'] as const;
type Policy = TenantSettingsView['approvalPolicy'];

function labelled(label: string, control: HTMLInputElement | HTMLTextAreaElement, ...after: Node[]): HTMLElement {
  const id = uid(control.name || 'field');
  control.id = id;
  return el('div', { class: 'hs-field' }, el('label', { for: id }, label), control, ...after);
}

/** Group ids typed one per line or separated by commas or spaces. */
function parseIds(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Builds the settings section and loads the settings. */
export function settingsSection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const section = adminSection('settings', t('settingsTitle'));

  // approval policy
  const requiredFor = (value: Policy['requiredFor']) => {
    const id = uid(`required-${value}`);
    const input = el('input', { type: 'radio', name: 'requiredFor', id, value });
    return {
      input,
      node: el('div', { class: 'hs-choice' }, input, el('label', { for: id }, t(`requiredFor_${value}`))),
    };
  };
  const choices = (['everyone', 'groups', 'nobody'] as const).map(requiredFor);
  const groupIds = el('input', { type: 'text', name: 'groupIds', autocomplete: 'off', spellcheck: 'false' });
  const approvers = el('input', { type: 'text', name: 'approversGroupId', autocomplete: 'off', spellcheck: 'false' });
  const minutes = MINUTES.map((key) =>
    el('input', { type: 'number', name: key, min: 1, step: 1, inputmode: 'numeric' }),
  );
  const minuteErrors = MINUTES.map(() => el('p', { id: uid('minutes-error'), class: 'error hs-field-error' }));
  minutes.forEach((input, i) => input.setAttribute('aria-describedby', minuteErrors[i].id));
  const policy = el(
    'fieldset',
    {},
    el('legend', {}, t('policyLegend')),
    el('fieldset', { class: 'hs-nested' }, el('legend', {}, t('requiredForLegend')), ...choices.map((c) => c.node)),
    labelled(t('groupIdsLabel'), groupIds),
    labelled(t('approversGroupLabel'), approvers),
    ...MINUTES.map((key, i) => labelled(t(key), minutes[i], minuteErrors[i])),
  );

  // SharePoint
  const legacyPush = el('input', { type: 'checkbox', name: 'legacyPush' });
  const spNote = el('p', { id: uid('sp-note'), class: 'hint' });
  legacyPush.setAttribute('aria-describedby', spNote.id);
  const legacyId = uid('legacy-push');
  legacyPush.id = legacyId;
  const sharePoint = el(
    'fieldset',
    {},
    el('legend', {}, t('sharePointLegend')),
    el('div', { class: 'hs-choice' }, legacyPush, el('label', { for: legacyId }, t('legacyPushLabel'))),
    spNote,
  );

  // reminder texts
  const texts = new Map<TabLocale, { title: HTMLInputElement; text: HTMLTextAreaElement }>();
  const textsHint = el('p', { class: 'hint' }, t('reminderTextsHint'));
  const reminderTexts = el('fieldset', {}, el('legend', {}, t('reminderTextsLegend')), textsHint);
  for (const l of LOCALES) {
    const title = el('input', { type: 'text', name: `title-${l}`, lang: l, maxlength: 200 });
    const text = el('textarea', { name: `text-${l}`, lang: l, rows: 3, maxlength: 2000 });
    texts.set(l, { title, text });
    reminderTexts.append(
      el(
        'fieldset',
        { class: 'hs-nested' },
        el('legend', {}, t(`language_${l}`)),
        labelled(t('reminderTitleLabel'), title),
        labelled(t('reminderTextLabel'), text),
      ),
    );
  }

  const updated = el('p', { class: 'hint hs-meta' });
  const save = button(t('save'), null, { type: 'submit', class: 'primary' });
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  // Said through ctx.announce; shown here too for sighted users.
  const done = el('p', { class: 'hs-done' });
  const form = el(
    'form',
    { class: 'hs-form hs-settings-form', 'aria-label': t('settingsTitle'), novalidate: true },
    policy,
    sharePoint,
    reminderTexts,
    el('div', { class: 'actions' }, save),
    alert,
    done,
    updated,
  );
  section.append(form);

  let loaded: TenantSettingsView | null = null;

  const fill = (view: TenantSettingsView) => {
    loaded = view;
    const p = view.approvalPolicy;
    for (const c of choices) c.input.checked = c.input.value === p.requiredFor;
    groupIds.value = p.groupIds.join(', ');
    approvers.value = p.approversGroupId ?? '';
    MINUTES.forEach((key, i) => {
      minutes[i].value = String(p[key]);
      minutes[i].removeAttribute('aria-invalid');
      minuteErrors[i].textContent = '';
    });
    legacyPush.checked = view.sharePoint.legacyPush;
    legacyPush.disabled = !view.sharePoint.available && !view.sharePoint.legacyPush;
    spNote.textContent = [
      t(`pictures_${view.sharePoint.pictures}`),
      view.sharePoint.available ? '' : t('sharePointUnavailable'),
    ]
      .filter(Boolean)
      .join(' ');
    for (const l of LOCALES) {
      const fields = texts.get(l);
      if (!fields) continue;
      fields.title.value = view.reminderTexts[l]?.title ?? '';
      fields.text.value = view.reminderTexts[l]?.text ?? '';
    }
    updated.textContent =
      view.updatedAt && view.updatedBy
        ? t('settingsUpdated', { at: formatInstant(view.updatedAt, locale), by: view.updatedBy })
        : '';
  };

  /** What changed since the last load, or null after marking a field that is not a number. */
  const changes = (view: TenantSettingsView): TenantSettingsUpdate | null => {
    const update: TenantSettingsUpdate = {};
    const p = view.approvalPolicy;
    const next: Partial<Policy> = {};
    const chosen = choices.find((c) => c.input.checked)?.input.value as Policy['requiredFor'] | undefined;
    if (chosen && chosen !== p.requiredFor) next.requiredFor = chosen;
    const ids = parseIds(groupIds.value);
    if (!sameList(ids, p.groupIds)) next.groupIds = ids;
    const approversId = approvers.value.trim() || null;
    if (approversId !== p.approversGroupId) next.approversGroupId = approversId;
    let bad: HTMLInputElement | null = null;
    MINUTES.forEach((key, i) => {
      const value = Number(minutes[i].value);
      const ok = minutes[i].value.trim() !== '' && Number.isInteger(value) && value > 0;
      minuteErrors[i].textContent = ok ? '' : t('minutesInvalid');
      if (ok) minutes[i].removeAttribute('aria-invalid');
      else minutes[i].setAttribute('aria-invalid', 'true');
      bad ??= ok ? null : minutes[i];
      if (ok && value !== p[key]) next[key] = value;
    });
    if (bad) {
      (bad as HTMLInputElement).focus();
      return null;
    }
    if (Object.keys(next).length > 0) update.approvalPolicy = next;
    if (legacyPush.checked !== view.sharePoint.legacyPush) update.sharePoint = { legacyPush: legacyPush.checked };
    const changedTexts: Partial<Record<TabLocale, ReminderText>> = {};
    for (const l of LOCALES) {
      const fields = texts.get(l);
      if (!fields) continue;
      const now: ReminderText = { title: fields.title.value.trim() || null, text: fields.text.value.trim() || null };
      const before = view.reminderTexts[l] ?? { title: null, text: null };
      if (now.title !== (before.title || null) || now.text !== (before.text || null)) changedTexts[l] = now;
    }
    if (Object.keys(changedTexts).length > 0) update.reminderTexts = changedTexts;
    return update;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!loaded) return;
    alert.textContent = '';
    done.textContent = '';
    const update = changes(loaded);
    if (!update) return;
    if (Object.keys(update).length === 0) {
      done.textContent = t('settingsUnchanged');
      ctx.announce(t('settingsUnchanged'));
      return;
    }
    save.disabled = true;
    try {
      const view = await ctx.api.put<TenantSettingsView>('/api/admin/settings', update);
      if (ctx.signal.aborted) return;
      fill(view);
      done.textContent = t('settingsSaved');
      ctx.announce(t('settingsSaved'));
    } catch (err) {
      showFailure(host, err, alert);
    } finally {
      save.disabled = false;
    }
  });

  const ready = (async () => {
    try {
      fill(await ctx.api.get<TenantSettingsView>('/api/admin/settings'));
    } catch (err) {
      showFailure(host, err, alert);
    }
  })();
  return { element: section, ready };
}
