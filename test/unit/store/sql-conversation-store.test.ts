/** SqlConversationStore: one personal conversation per user, replaced on save. */
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';
import { SqlConversationStore } from '../../../bot/src/store/sql-conversation-store';
import type { StoredConversation } from '../../../bot/src/core/conversations/conversation-ports';
import { T0 } from '../../support/store-records';

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let store: SqlConversationStore;
  beforeEach(async () => {
    db = await openTestStore(engine);
    store = new SqlConversationStore(db);
  });
  afterEach(() => db.close());

  const conversation = (overrides: Partial<StoredConversation> = {}): StoredConversation => ({
    userId: 'alex',
    tenantId: 'tenant-1',
    conversationId: 'a:1',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    locale: 'en',
    reference: JSON.stringify({ conversation: { id: 'a:1' }, bot: { id: '28:bot' } }),
    updatedAt: T0,
    ...overrides,
  });

  test('get returns null for a user with no conversation, and what was saved otherwise', async () => {
    expect(await store.get('alex')).toBeNull();
    await store.save(conversation());
    expect(await store.get('alex')).toEqual(conversation());
    expect(await store.get('megan')).toBeNull();
  });

  test('saving again for the same user replaces every field in the one row', async () => {
    await store.save(conversation());
    await store.save(conversation({ userId: 'megan', conversationId: 'm:1' }));
    const updated = conversation({
      tenantId: 'tenant-2',
      conversationId: 'a:2',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      locale: 'pl',
      reference: '{"conversation":{"id":"a:2"}}',
      updatedAt: new Date(T0.getTime() + 60_000),
    });
    await store.save(updated);
    expect(await store.get('alex')).toEqual(updated);
    expect((await store.get('megan'))?.conversationId).toBe('m:1');
    expect(await db.get(`SELECT COUNT(*) AS n FROM conversations`)).toEqual({ n: 2 });
  });
});
