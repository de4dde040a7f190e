/**
 * Every card verb Headshot answers, grouped by feature: one entry per verb of `CARD_VERBS`
 * (the compiler checks that none is missing), with the schema of its payload and the handler
 * for each way Teams delivers the click:
 *
 * - `execute`: Action.Execute or a card refresh, an `adaptiveCard/action` invoke; answers with the
 *   card the clicking user sees next (Universal Actions), or keeps the card. Every button is one.
 * - `submit`: Action.Submit, a message activity whose `value.verb` names it. Only cards sent before the
 *   buttons became Action.Execute (still in people's chats) and clients without invokes send these: a verb
 *   without its own `submit` runs its `execute` and puts the answer in place of the clicked card.
 * - `fetch`: an Action.Submit with `msteams.type: 'task/fetch'`, a `task/fetch` invoke; answers
 *   with the dialog to open.
 *
 * A delivery an entry does not name is refused as input.invalid. (The shape follows teams.ts's
 * invoke route table, `packages/apps/src/routes/invoke/index.ts`.)
 */
import type { TaskModuleTaskInfo } from 'botbuilder';
import type { z } from 'zod';
import { CARD_VERBS, type CardVerb } from '../cards/types';
import type { ExecuteAnswer, Turn } from '../turn';
import * as admin from './admin-verbs';
import * as approval from './approval-verbs';
import { adminPayload, decisionPayload, noPayload, optionalRequestPayload, requestPayload } from './payloads';
import * as photo from './photo-verbs';
import * as status from './status-verbs';

/** How Teams delivered a click. */
export type Delivery = 'submit' | 'execute' | 'fetch';

/** One verb: its payload schema and a handler per delivery it answers. */
export interface VerbEntry<S extends z.ZodType = z.ZodType> {
  payload: S;
  submit?: (turn: Turn<z.output<S>>) => Promise<void>;
  execute?: (turn: Turn<z.output<S>>) => Promise<ExecuteAnswer>;
  fetch?: (turn: Turn<z.output<S>>) => Promise<TaskModuleTaskInfo>;
}

/** Ties each entry's handlers to its own schema's type. */
const entry = <S extends z.ZodType>(e: VerbEntry<S>): VerbEntry<S> => e;

/** The verb table. */
export const VERBS = {
  // Photo: start the flow, the editor, the preview card's buttons, undo.
  'photo.start': entry({ payload: optionalRequestPayload, execute: photo.startFromCard }),
  // The one Action.Submit: Teams opens dialogs only from a Submit with `msteams.type: 'task/fetch'`.
  'photo.editor': entry({ payload: noPayload, submit: photo.editorLink, fetch: photo.editorDialog }),
  'photo.confirm': entry({ payload: requestPayload, execute: photo.confirm }),
  'photo.choose_another': entry({ payload: requestPayload, execute: photo.chooseAnother }),
  'photo.cancel': entry({ payload: requestPayload, execute: photo.cancel }),
  'photo.undo': entry({ payload: requestPayload, execute: photo.undo }),

  // Status: the fix buttons of the status card.
  'status.fix_sharepoint': entry({ payload: noPayload, execute: status.fixSharePoint }),
  'status.apply_again': entry({ payload: noPayload, execute: status.applyAgain }),
  'status.ad_photo': entry({ payload: noPayload, execute: status.adPhoto }),

  // Approvals: the approval card.
  'approval.approve': entry({ payload: decisionPayload, execute: approval.decide('approve') }),
  'approval.reject': entry({ payload: decisionPayload, execute: approval.decide('reject') }),
  'approval.cancel': entry({ payload: decisionPayload, execute: approval.decide('cancel') }),
  'approval.refresh': entry({ payload: requestPayload, execute: approval.refresh }),

  // Admin: coverage and broadcasts.
  'coverage.refresh': entry({ payload: adminPayload, execute: admin.coverageRefresh }),
  'coverage.csv': entry({ payload: adminPayload, execute: admin.coverageCsv }),
  'broadcast.compose': entry({ payload: adminPayload, execute: admin.compose }),
  'broadcast.preview': entry({ payload: adminPayload, execute: admin.preview }),
  'broadcast.send': entry({ payload: adminPayload, execute: admin.send }),
  'broadcast.cancel': entry({ payload: adminPayload, execute: admin.cancel }),
  'broadcast.report': entry({ payload: adminPayload, execute: admin.report }),
  'broadcast.refresh': entry({ payload: adminPayload, execute: admin.refresh }),

  // Reminders: a recipient stops them from the reminder card.
  'reminder.stop': entry({ payload: noPayload, execute: photo.stopReminders }),
} satisfies Record<CardVerb, VerbEntry>;

/** The verbs that answer a delivery (for tests that hold cards against the table). */
export function verbsFor(delivery: Delivery): CardVerb[] {
  return CARD_VERBS.filter((verb) => (VERBS[verb] as VerbEntry)[delivery] !== undefined);
}
