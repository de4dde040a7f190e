/** The admin's compose card: message, audience, options, time; "Preview to me" and "Send". */
import type { Locale } from '../../core/locale';
import { REMINDABLE_CATEGORIES } from '../../core/coverage/coverage-types';
import { t } from '../../i18n/i18n';
import { ADMIN_VERBS } from './coverage-card';
import { card, heading, execute, text } from './elements';
import type { AdaptiveCard, JsonObject } from './types';

/** Ids of the compose card's inputs (they come back in the action's data). */
export const COMPOSE_INPUTS = {
  message: 'message',
  customText: 'customText',
  audience: 'audience',
  groupId: 'groupId',
  includeGuests: 'includeGuests',
  includeDisabled: 'includeDisabled',
  date: 'sendDate',
  time: 'sendTime',
  followUps: 'followUps',
} as const;

/** The follow-up schedules offered (days after sending). */
const FOLLOW_UP_CHOICES = [3, 7, 14] as const;

/** What the card starts with. */
export interface ComposeDefaults {
  /** Identifies the campaign this card creates: a double click creates it once. */
  draftId: string;
  /** `category:no_photo`, `group`, `everyone`. */
  audience?: string;
  message?: 'reminder' | 'custom';
  customText?: string;
  groupId?: string;
}

const toggle = (id: string, title: string): JsonObject => ({
  type: 'Input.Toggle',
  id,
  title,
  value: 'false',
  valueOn: 'true',
  valueOff: 'false',
});

/** The compose card. */
export function composeCard(locale: Locale, d: ComposeDefaults): AdaptiveCard {
  const audiences = [
    ...REMINDABLE_CATEGORIES.map((c) => ({ title: t(locale, `admin.category.${c}`), value: `category:${c}` })),
    { title: t(locale, 'admin.compose.audience_group'), value: 'group' },
    { title: t(locale, 'admin.compose.audience_everyone'), value: 'everyone' },
  ];
  const body: JsonObject[] = [
    heading(t(locale, 'admin.compose.title')),
    {
      type: 'Input.ChoiceSet',
      id: COMPOSE_INPUTS.message,
      label: t(locale, 'admin.compose.message_label'),
      style: 'expanded',
      value: d.message ?? 'reminder',
      choices: [
        { title: t(locale, 'admin.compose.message_reminder'), value: 'reminder' },
        { title: t(locale, 'admin.compose.message_custom'), value: 'custom' },
      ],
    },
    {
      type: 'Input.Text',
      id: COMPOSE_INPUTS.customText,
      label: t(locale, 'admin.compose.custom_label'),
      isMultiline: true,
      maxLength: 2000,
      ...(d.customText ? { value: d.customText } : {}),
    },
    {
      type: 'Input.ChoiceSet',
      id: COMPOSE_INPUTS.audience,
      label: t(locale, 'admin.compose.audience_label'),
      value: d.audience ?? 'category:no_photo',
      choices: audiences,
    },
    {
      type: 'Input.Text',
      id: COMPOSE_INPUTS.groupId,
      label: t(locale, 'admin.compose.group_label'),
      maxLength: 64,
      ...(d.groupId ? { value: d.groupId } : {}),
    },
    toggle(COMPOSE_INPUTS.includeGuests, t(locale, 'admin.compose.guests')),
    toggle(COMPOSE_INPUTS.includeDisabled, t(locale, 'admin.compose.disabled')),
    text(t(locale, 'admin.compose.when_label'), { size: 'small', weight: 'bolder' }),
    {
      type: 'ColumnSet',
      spacing: 'small',
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: COMPOSE_INPUTS.date }] },
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Time', id: COMPOSE_INPUTS.time }] },
      ],
    },
    {
      type: 'Input.ChoiceSet',
      id: COMPOSE_INPUTS.followUps,
      label: t(locale, 'admin.compose.followup_label'),
      style: 'expanded',
      isMultiSelect: true,
      choices: FOLLOW_UP_CHOICES.map((days) => ({
        title: t(locale, 'admin.compose.followup_days', { days }),
        value: String(days),
      })),
    },
    text(t(locale, 'admin.compose.followup_hint'), { size: 'small', isSubtle: true, spacing: 'none' }),
  ];
  return card(
    body,
    [
      execute(t(locale, 'admin.compose.preview'), ADMIN_VERBS.preview, { draftId: d.draftId }),
      execute(t(locale, 'admin.compose.send'), ADMIN_VERBS.send, { draftId: d.draftId }, 'positive'),
    ],
    t(locale, 'admin.compose.title'),
  );
}
