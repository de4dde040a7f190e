/** A card over Teams' message size (about 100 KB: 413 MessageSizeTooBig) is refused before it is sent. */
import type { TurnContext } from 'botbuilder';
import { AppError } from '../../../bot/src/core/errors';
import { sendCard } from '../../../bot/src/teams/turn';
import type { AdaptiveCard } from '../../../bot/src/teams/cards/types';

function context(): { ctx: TurnContext; sent: unknown[] } {
  const sent: unknown[] = [];
  const ctx = {
    sendActivity: async (a: unknown) => {
      sent.push(a);
      return { id: 'activity-1' };
    },
  } as unknown as TurnContext;
  return { ctx, sent };
}

const card = (text: string): AdaptiveCard =>
  ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] }) as AdaptiveCard;

test('a card within the limit is sent', async () => {
  const { ctx, sent } = context();
  expect(await sendCard(ctx, card('Hello'))).toBe('activity-1');
  expect(sent).toHaveLength(1);
});

test('a card over it is an internal error, and nothing is sent', async () => {
  const { ctx, sent } = context();
  const refused = await sendCard(ctx, card('x'.repeat(120 * 1024))).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(AppError);
  expect(refused).toMatchObject({ code: 'internal', message: expect.stringContaining("over Teams' message size") });
  expect(sent).toHaveLength(0);
});
