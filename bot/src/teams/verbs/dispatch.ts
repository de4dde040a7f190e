/** Finds a verb's handler for a delivery and checks its payload; anything else is input.invalid. */
import type { TurnContext } from 'botbuilder';
import { AppError } from '../../core/errors';
import type { ActivityUser } from '../activity-user';
import type { CardVerb } from '../cards/types';
import { isKeep, sendCard, type TeamsDeps, type Turn } from '../turn';
import { replaceClickedCard } from '../photo-replies';
import { VERBS, type Delivery, type VerbEntry } from './verb-table';

type Handler<D extends Delivery> = NonNullable<VerbEntry[D]>;

/** The verb table's entry for `name`, or undefined (not an own key: "toString" is no verb). */
function entryOf(name: string): VerbEntry | undefined {
  return Object.prototype.hasOwnProperty.call(VERBS, name) ? VERBS[name as CardVerb] : undefined;
}

/** The handler of `verb` for `delivery`, with a turn whose data passed the verb's schema. */
export function resolveVerb<D extends Delivery>(
  delivery: D,
  verb: unknown,
  raw: unknown,
  turn: { context: TurnContext; user: ActivityUser; deps: TeamsDeps },
): () => ReturnType<Handler<D>> {
  const name = typeof verb === 'string' ? verb : '';
  const entry = entryOf(name);
  const handler = entry?.[delivery] as ((t: Turn<unknown>) => ReturnType<Handler<D>>) | undefined;
  if (!entry || !handler) throw new AppError('input.invalid', `unknown ${delivery} verb ${name.slice(0, 40)}`);
  const parsed = entry.payload.safeParse(raw && typeof raw === 'object' ? raw : {});
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(data)'))].join(', ');
    throw new AppError('input.invalid', `bad ${fields} in card data for ${name}`);
  }
  return () => handler({ ...turn, data: parsed.data });
}

/**
 * An Action.Submit click: the verb's own `submit`, or else its `execute` with the answer put in place of the clicked
 * card (sent as a new message where the card cannot change). Cards sent before their buttons became Action.Execute
 * still sit in people's chats; their clicks arrive this way and do what the new buttons do.
 */
export function resolveSubmit(
  verb: unknown,
  raw: unknown,
  turn: { context: TurnContext; user: ActivityUser; deps: TeamsDeps },
): () => Promise<void> {
  const name = typeof verb === 'string' ? verb : '';
  const entry = entryOf(name);
  if (entry?.submit || !entry?.execute) return resolveVerb('submit', verb, raw, turn);
  const run = resolveVerb('execute', verb, raw, turn);
  return async () => {
    const answer = await run();
    if (isKeep(answer)) return;
    if (!(await replaceClickedCard(turn.context, answer))) await sendCard(turn.context, answer);
  };
}
