/** Conversation references, on either SQL engine. */
import type { SqlDb } from './sql/sql-db';
import type { ConversationStore, StoredConversation } from '../core/conversations/conversation-ports';
import type { Locale } from '../core/locale';

interface Row {
  user_id: string;
  tenant_id: string;
  conversation_id: string;
  service_url: string;
  locale: string;
  reference: string;
  updated_at: number;
}

/** ConversationStore on SQL: one personal conversation per user. */
export class SqlConversationStore implements ConversationStore {
  constructor(private readonly db: SqlDb) {}

  async forget(userId: string, conversationId: string): Promise<boolean> {
    const r = await this.db.run(`DELETE FROM conversations WHERE user_id = ? AND conversation_id = ?`, [
      userId,
      conversationId,
    ]);
    return r.changes > 0;
  }

  /** The service URL of the newest stored chat (Teams serves a tenant from one region). */
  async newestServiceUrl(): Promise<string | undefined> {
    const r = await this.db.get<{ service_url: string }>(
      `SELECT service_url FROM conversations ORDER BY updated_at DESC LIMIT 1`,
    );
    return r?.service_url;
  }

  async save(c: StoredConversation): Promise<void> {
    await this.db.run(
      `INSERT INTO conversations (user_id, tenant_id, conversation_id, service_url, locale, reference, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET tenant_id = excluded.tenant_id, conversation_id = excluded.conversation_id,
         service_url = excluded.service_url, locale = excluded.locale, reference = excluded.reference,
         updated_at = excluded.updated_at`,
      [c.userId, c.tenantId, c.conversationId, c.serviceUrl, c.locale, c.reference, c.updatedAt.getTime()],
    );
  }

  async get(userId: string): Promise<StoredConversation | null> {
    const r = await this.db.get<Row>(`SELECT * FROM conversations WHERE user_id = ?`, [userId]);
    if (!r) return null;
    return {
      userId: r.user_id,
      tenantId: r.tenant_id,
      conversationId: r.conversation_id,
      serviceUrl: r.service_url,
      locale: r.locale as Locale,
      reference: r.reference,
      updatedAt: new Date(r.updated_at),
    };
  }
}
