/**
 * Admin page, settings: approval policy, SharePoint legacy push, refresh reminders for old photos and the
 * reminder's words per language.
 * Save sends only what changed; the server's (localised) refusal is shown above the button.
 */
import type {
  FaceRuleActionName,
  FaceRuleName,
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
import { checkbox, errorLine, nativeInput, nativeSelect, radioGroup, textArea, textInput } from '../controls';
import { groupPicker } from './admin-pickers';

const LOCALES: TabLocale[] = ['en', 'fi', 'nl', 'pl'];
const FACE_RULES: FaceRuleName[] = ['no_face', 'multiple_faces', 'face_too_small', 'face_cut_off', 'face_not_centred'];
const FACE_ACTIONS: FaceRuleActionName[] = ['off', 'warn', 'approval', 'refuse'];
const MINUTES = ['remindAfterMinutes', 'escalateAfterMinutes', 'expireAfterMinutes'] as const;
type Policy = TenantSettingsView['approvalPolicy'];

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A titled group of fields (what a fieldset was, in the Fluent look). */
function group(title: string, ...children: Node[]): HTMLElement {
  const id = uid('group');
  return el(
    'div',
    { class: 'hs-fieldset', role: 'group', 'aria-labelledby': id },
    el('h3', { id }, title),
    ...children,
  );
}

/** Builds the settings section and loads the settings. */
export function settingsSection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const section = adminSection('settings', t('settingsTitle'));

  // approval policy
  const requiredFor = radioGroup(
    'requiredFor',
    t('requiredForLegend'),
    (['everyone', 'groups', 'nobody'] as const).map((value) => ({ value, label: t(`requiredFor_${value}`) })),
    'nobody',
  );
  const groupIds = groupPicker(ctx, t('groupIdsLabel'), true);
  const approvers = groupPicker(ctx, t('approversGroupLabel'));
  const minutes = MINUTES.map((key) =>
    nativeInput(t(key), { type: 'number', name: key, min: 1, step: 1, inputmode: 'numeric' }),
  );
  const minuteErrors = MINUTES.map(() => errorLine());
  minutes.forEach((m, i) => m.input.setAttribute('aria-describedby', minuteErrors[i].id));
  const groupsBlock = el('div', { class: 'hs-indent' }, groupIds.element);
  const syncPolicy = () => {
    groupsBlock.hidden = requiredFor.value !== 'groups';
  };
  requiredFor.onChange(syncPolicy);
  const policy = group(
    t('policyLegend'),
    requiredFor.element,
    groupsBlock,
    approvers.element,
    ...minutes.flatMap((m, i) => [m.element, minuteErrors[i]]),
  );

  // SharePoint
  const legacy = checkbox(t('legacyPushLabel'));
  const legacyPush = legacy.box;
  const spNote = el('p', { class: 'hint' });
  const sharePoint = group(t('sharePointLegend'), legacy.element, spNote);

  // refresh reminders: "time for a new photo?" for old photos
  const refresh = checkbox(t('refreshLabel'));
  const refreshOn = refresh.box;
  const refreshMonths = nativeInput(t('refreshMonthsLabel'), {
    type: 'number',
    name: 'refreshMonths',
    min: 6,
    max: 120,
    step: 1,
    inputmode: 'numeric',
  });
  const refreshError = errorLine();
  refreshMonths.input.setAttribute('aria-describedby', refreshError.id);
  const refreshGroup = group(
    t('refreshLegend'),
    el('p', { class: 'hint' }, t('refreshHint')),
    refresh.element,
    refreshMonths.element,
    refreshError,
  );

  // reminder texts
  const texts = new Map<
    TabLocale,
    { title: HTMLElementTagNameMap['fluent-text-input']; text: HTMLElementTagNameMap['fluent-textarea'] }
  >();
  const reminderTexts = group(t('reminderTextsLegend'), el('p', { class: 'hint' }, t('reminderTextsHint')));
  for (const l of LOCALES) {
    const title = textInput(`${t('reminderTitleLabel')} (${t(`language_${l}`)})`, {
      type: 'text',
      name: `title-${l}`,
      lang: l,
      maxlength: 200,
    });
    const text = textArea(`${t('reminderTextLabel')} (${t(`language_${l}`)})`, {
      name: `text-${l}`,
      lang: l,
      rows: 3,
      maxlength: 2000,
    });
    texts.set(l, { title, text });
    reminderTexts.append(el('div', { class: 'hs-language' }, el('h4', {}, t(`language_${l}`)), title, text));
  }

  // photo guidelines: what each face rule does
  const faceRules = FACE_RULES.map((rule) => ({
    rule,
    ...nativeSelect(
      t(`faceRule_${rule}`),
      `faceRule_${rule}`,
      FACE_ACTIONS.map((action) => ({ value: action, label: t(`faceAction_${action}`) })),
    ),
  }));
  const faceNote = el('p', { class: 'hint' });
  const guidelines = group(
    t('guidelinesLegend'),
    el('p', { class: 'hint' }, t('guidelinesHint')),
    faceNote,
    ...faceRules.map((r) => r.element),
  );

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
    refreshGroup,
    guidelines,
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
    for (const radio of requiredFor.radios) radio.checked = radio.value === p.requiredFor;
    syncPolicy();
    void groupIds.set(p.groupIds);
    void approvers.set(p.approversGroupId ? [p.approversGroupId] : []);
    MINUTES.forEach((key, i) => {
      minutes[i].input.value = String(p[key]);
      minutes[i].input.removeAttribute('aria-invalid');
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
    for (const r of faceRules) r.select.value = view.faceRules[r.rule];
    faceNote.textContent = view.faceCheckEnabled ? '' : t('faceCheckOff');
    faceNote.hidden = view.faceCheckEnabled;
    refreshOn.checked = view.refreshReminders.enabled;
    refreshMonths.input.value = String(view.refreshReminders.afterMonths);
    refreshMonths.input.removeAttribute('aria-invalid');
    refreshError.textContent = '';
    for (const l of LOCALES) {
      const fields = texts.get(l);
      if (!fields) continue;
      fields.title.value = view.reminderTexts[l]?.title ?? '';
      fields.text.value = view.reminderTexts[l]?.text ?? '';
    }
    updated.textContent =
      view.updatedAt && view.updatedBy
        ? t('settingsUpdated', { at: formatInstant(view.updatedAt, locale), by: view.updatedByName ?? view.updatedBy })
        : '';
  };

  /** What changed since the last load, or null after marking a field that is not a number. */
  const changes = (view: TenantSettingsView): TenantSettingsUpdate | null => {
    const update: TenantSettingsUpdate = {};
    const p = view.approvalPolicy;
    const next: Partial<Policy> = {};
    const chosen = requiredFor.value as Policy['requiredFor'];
    if (chosen !== p.requiredFor) next.requiredFor = chosen;
    const ids = groupIds.all().map((g) => g.id);
    if (!sameList(ids, p.groupIds)) next.groupIds = ids;
    const approversId = approvers.chosen()?.id ?? null;
    if (approversId !== p.approversGroupId) next.approversGroupId = approversId;
    let bad: HTMLInputElement | null = null;
    MINUTES.forEach((key, i) => {
      const input = minutes[i].input;
      const value = Number(input.value);
      const ok = input.value.trim() !== '' && Number.isInteger(value) && value > 0;
      minuteErrors[i].textContent = ok ? '' : t('minutesInvalid');
      if (ok) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
      bad ??= ok ? null : input;
      if (ok && value !== p[key]) next[key] = value;
    });
    const months = Number(refreshMonths.input.value);
    const monthsOk =
      refreshMonths.input.value.trim() !== '' && Number.isInteger(months) && months >= 6 && months <= 120;
    refreshError.textContent = monthsOk ? '' : t('refreshMonthsInvalid');
    if (monthsOk) refreshMonths.input.removeAttribute('aria-invalid');
    else refreshMonths.input.setAttribute('aria-invalid', 'true');
    bad ??= monthsOk ? null : refreshMonths.input;
    if (bad) {
      (bad as HTMLInputElement).focus();
      return null;
    }
    if (Object.keys(next).length > 0) update.approvalPolicy = next;
    if (legacyPush.checked !== view.sharePoint.legacyPush) update.sharePoint = { legacyPush: legacyPush.checked };
    const r = view.refreshReminders;
    if (refreshOn.checked !== r.enabled || months !== r.afterMonths)
      update.refreshReminders = { enabled: refreshOn.checked, afterMonths: months };
    const changedTexts: Partial<Record<TabLocale, ReminderText>> = {};
    for (const l of LOCALES) {
      const fields = texts.get(l);
      if (!fields) continue;
      const now: ReminderText = { title: fields.title.value.trim() || null, text: fields.text.value.trim() || null };
      const before = view.reminderTexts[l] ?? { title: null, text: null };
      if (now.title !== (before.title || null) || now.text !== (before.text || null)) changedTexts[l] = now;
    }
    if (Object.keys(changedTexts).length > 0) update.reminderTexts = changedTexts;
    const changedRules: Partial<Record<FaceRuleName, FaceRuleActionName>> = {};
    for (const r of faceRules) {
      const action = r.select.value as FaceRuleActionName;
      if (action !== view.faceRules[r.rule]) changedRules[r.rule] = action;
    }
    if (Object.keys(changedRules).length > 0) update.faceRules = changedRules;
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
      host.changed();
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
