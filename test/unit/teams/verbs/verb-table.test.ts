/**
 * The verb table: every verb a card can send has an entry that answers at least one delivery,
 * and dispatch refuses unknown verbs, wrong deliveries and bad payloads before a handler runs.
 */
import type { TurnContext } from 'botbuilder';
import { AppError } from '../../../../bot/src/core/errors';
import { CARD_VERBS } from '../../../../bot/src/teams/cards/types';
import { resolveVerb } from '../../../../bot/src/teams/verbs/dispatch';
import { VERBS, verbsFor } from '../../../../bot/src/teams/verbs/verb-table';
import type { TeamsDeps } from '../../../../bot/src/teams/turn';

const turn = {
  context: {} as TurnContext,
  user: { userId: 'u-1', tenantId: 't-1', locale: 'en' as const },
  deps: {} as TeamsDeps,
};

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('verb table', () => {
  it('has exactly one entry per card verb, each answering at least one delivery', () => {
    expect(Object.keys(VERBS).sort()).toEqual([...CARD_VERBS].sort());
    for (const verb of CARD_VERBS) {
      const entry = VERBS[verb] as { submit?: unknown; execute?: unknown; fetch?: unknown };
      expect([entry.submit, entry.execute, entry.fetch].some((h) => typeof h === 'function')).toBe(true);
    }
  });

  it('names the deliveries Teams uses for each kind of card action', () => {
    expect(verbsFor('execute')).toEqual(
      expect.arrayContaining([
        'approval.approve',
        'approval.reject',
        'approval.cancel',
        'approval.refresh',
        'photo.undo',
      ]),
    );
    expect(verbsFor('fetch')).toEqual(['photo.editor']);
    // Every button is an Action.Execute but the one Teams needs a Submit for (the dialog): only it has a Submit
    // handler of its own; old Submit cards reach the others through resolveSubmit.
    expect(verbsFor('submit')).toEqual(['photo.editor']);
    expect(verbsFor('execute')).toEqual(CARD_VERBS.filter((v) => v !== 'photo.editor'));
  });

  it('refuses an unknown verb, and a known verb on a delivery it does not answer', () => {
    expect(refusal(() => resolveVerb('submit', 'photo.explode', {}, turn)).code).toBe('input.invalid');
    expect(refusal(() => resolveVerb('submit', 'toString', {}, turn)).code).toBe('input.invalid');
    expect(refusal(() => resolveVerb('submit', 42, {}, turn)).code).toBe('input.invalid');
    expect(refusal(() => resolveVerb('execute', 'photo.editor', {}, turn)).code).toBe('input.invalid');
    expect(refusal(() => resolveVerb('fetch', 'photo.confirm', { requestId: 'abcdefgh' }, turn)).code).toBe(
      'input.invalid',
    );
  });

  it.each([
    ['no request id', {}],
    ['a short request id', { requestId: 'abc' }],
    ['a request id with a slash', { requestId: '../../etc/passwd' }],
    ['a number', { requestId: 12345678 }],
  ])('refuses photo.confirm with %s, naming the field', (_label, data) => {
    const e = refusal(() => resolveVerb('execute', 'photo.confirm', data, turn));
    expect(e.code).toBe('input.invalid');
    expect(e.message).toContain('requestId');
  });

  it('ignores an unusable request id where the verb does not need one', () => {
    expect(() => resolveVerb('execute', 'photo.start', { requestId: '../x' }, turn)).not.toThrow();
  });
});
