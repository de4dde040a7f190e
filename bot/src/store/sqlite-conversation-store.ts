/** Conversation references in SQLite. */
import type { Db } from './database';
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

/** ConversationStore on better-sqlite3: one personal conversation per user. */
export class SqliteConversationStore implements ConversationStore {
  private readonly upsert;
  private readonly select;
  private readonly newest;
  private readonly drop;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO conversations (user_id, tenant_id, conversation_id, service_url, locale, reference, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET tenant_id = excluded.tenant_id, conversation_id = excluded.conversation_id,
         service_url = excluded.service_url, locale = excluded.locale, reference = excluded.reference,
         updated_at = excluded.updated_at`,
    );
    this.select = db.prepare(`SELECT * FROM conversations WHERE user_id = ?`);
    this.newest = db.prepare(`SELECT service_url FROM conversations ORDER BY updated_at DESC LIMIT 1`);
    this.drop = db.prepare(`DELETE FROM conversations WHERE user_id = ? AND conversation_id = ?`);
  }

  forget(userId: string, conversationId: string): boolean {
    return this.drop.run(userId, conversationId).changes > 0;
  }

  /** The service URL of the newest stored chat (Teams serves a tenant from one region). */
  newestServiceUrl(): string | undefined {
    return (this.newest.get() as { service_url: string } | undefined)?.service_url;
  }

  save(c: StoredConversation): void {
    this.upsert.run(c.userId, c.tenantId, c.conversationId, c.serviceUrl, c.locale, c.reference, c.updatedAt.getTime());
  }

  get(userId: string): StoredConversation | null {
    const r = this.select.get(userId) as Row | undefined;
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
