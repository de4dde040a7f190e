/**
 * Every card verb Headshot answers, grouped by feature: one entry per verb of `CARD_VERBS`
 * (the compiler checks that none is missing), with the schema of its payload and the handler
 * for each way Teams delivers the click:
 *
 * - `submit`: Action.Submit, a message activity whose `value.verb` names it; replies in the chat.
 * - `execute`: Action.Execute or a card refresh, an `adaptiveCard/action` invoke; answers with the
 *   card the clicking user sees next (Universal Actions).
 * - `fetch`: an Action.Submit with `msteams.type: 'task/fetch'`, a `task/fetch` invoke; answers
 *   with the dialog to open.
 *
 * A delivery an entry does not name is refused as input.invalid. (The shape follows teams.ts's
 * invoke route table, `packages/apps/src/routes/invoke/index.ts`.)
 */
import type { TaskModuleTaskInfo } from 'botbuilder';
import type { z } from 'zod';
import { CARD_VERBS, type AdaptiveCard, type CardVerb } from '../cards/types';
import type { Turn } from '../turn';
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
  execute?: (turn: Turn<z.output<S>>) => Promise<AdaptiveCard>;
  fetch?: (turn: Turn<z.output<S>>) => Promise<TaskModuleTaskInfo>;
}

/** Ties each entry's handlers to its own schema's type. */
const entry = <S extends z.ZodType>(e: VerbEntry<S>): VerbEntry<S> => e;

/** The verb table. */
export const VERBS = {
  // Photo: start the flow, the editor, the preview card's buttons, undo.
  'photo.start': entry({ payload: optionalRequestPayload, submit: photo.start, execute: photo.startFromCard }),
  'photo.editor': entry({ payload: noPayload, submit: photo.editorLink, fetch: photo.editorDialog }),
  'photo.confirm': entry({ payload: requestPayload, submit: photo.confirm }),
  'photo.choose_another': entry({ payload: requestPayload, submit: photo.chooseAnother }),
  'photo.cancel': entry({ payload: requestPayload, submit: photo.cancel }),
  'photo.undo': entry({ payload: requestPayload, execute: photo.undo }),

  // Status: the fix buttons of the status card.
  'status.fix_sharepoint': entry({ payload: noPayload, submit: status.fixSharePoint }),
  'status.apply_again': entry({ payload: noPayload, submit: status.applyAgain }),
  'status.ad_photo': entry({ payload: noPayload, submit: status.adPhoto }),

  // Approvals: the approval card (Universal Actions).
  'approval.approve': entry({ payload: decisionPayload, execute: approval.decide('approve') }),
  'approval.reject': entry({ payload: decisionPayload, execute: approval.decide('reject') }),
  'approval.cancel': entry({ payload: decisionPayload, execute: approval.decide('cancel') }),
  'approval.refresh': entry({ payload: requestPayload, execute: approval.refresh }),

  // Admin: coverage and broadcasts.
  'coverage.refresh': entry({ payload: adminPayload, submit: admin.coverageRefresh }),
  'coverage.csv': entry({ payload: adminPayload, submit: admin.coverageCsv }),
  'broadcast.compose': entry({ payload: adminPayload, submit: admin.compose }),
  'broadcast.preview': entry({ payload: adminPayload, submit: admin.preview }),
  'broadcast.send': entry({ payload: adminPayload, submit: admin.send }),
  'broadcast.cancel': entry({ payload: adminPayload, submit: admin.cancel }),
  'broadcast.report': entry({ payload: adminPayload, submit: admin.report }),
} satisfies Record<CardVerb, VerbEntry>;

/** The verbs that answer a delivery (for tests that hold cards against the table). */
export function verbsFor(delivery: Delivery): CardVerb[] {
  return CARD_VERBS.filter((verb) => (VERBS[verb] as VerbEntry)[delivery] !== undefined);
}
