/** SqliteConversationStore: one personal conversation per user, replaced on save. */
import { openDatabase, type Db } from '../../../bot/src/store/database';
import { SqliteConversationStore } from '../../../bot/src/store/sqlite-conversation-store';
import type { StoredConversation } from '../../../bot/src/core/conversations/conversation-ports';
import { T0 } from '../../support/store-records';

let db: Db;
let store: SqliteConversationStore;
beforeEach(() => {
  db = openDatabase(':memory:');
  store = new SqliteConversationStore(db);
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

test('get returns null for a user with no conversation, and what was saved otherwise', () => {
  expect(store.get('alex')).toBeNull();
  store.save(conversation());
  expect(store.get('alex')).toEqual(conversation());
  expect(store.get('megan')).toBeNull();
});

test('saving again for the same user replaces every field in the one row', () => {
  store.save(conversation());
  store.save(conversation({ userId: 'megan', conversationId: 'm:1' }));
  const updated = conversation({
    tenantId: 'tenant-2',
    conversationId: 'a:2',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    locale: 'pl',
    reference: '{"conversation":{"id":"a:2"}}',
    updatedAt: new Date(T0.getTime() + 60_000),
  });
  store.save(updated);
  expect(store.get('alex')).toEqual(updated);
  expect(store.get('megan')?.conversationId).toBe('m:1');
  expect(db.prepare(`SELECT COUNT(*) AS n FROM conversations`).get()).toEqual({ n: 2 });
});
