/** The cards of photo requests (request_cards), on either SQL engine. */
import type { SqlDb } from './sql/sql-db';
import type { RequestCardCopy, RequestCardStore, RequestOutcome } from '../core/photo/request-ports';

interface Row {
  request_id: string;
  user_id: string;
  activity_id: string;
  reference: string;
  sent_at: number;
  shows: string;
}

/** RequestCardStore on SQL. */
export class SqlRequestCardStore implements RequestCardStore {
  constructor(private readonly db: SqlDb) {}

  async add(copy: Omit<RequestCardCopy, 'shows'>): Promise<void> {
    await this.db.transaction(async (tx) => {
      // A card that shows how its request ended never changes again, unless it shows an applied change (undo).
      await tx.run(`DELETE FROM request_cards WHERE user_id = ? AND shows NOT IN ('open', 'applied')`, [copy.userId]);
      await tx.run(
        `INSERT INTO request_cards (request_id, user_id, activity_id, reference, sent_at, shows)
         VALUES (?, ?, ?, ?, ?, 'open') ON CONFLICT (request_id, activity_id) DO NOTHING`,
        [copy.requestId, copy.userId, copy.activityId, copy.reference, copy.sentAt.getTime()],
      );
    });
  }

  async list(requestId: string): Promise<RequestCardCopy[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM request_cards WHERE request_id = ? ORDER BY sent_at, ${this.db.dialect.insertOrder}`,
      [requestId],
    );
    return rows.map((r) => ({
      requestId: r.request_id,
      userId: r.user_id,
      activityId: r.activity_id,
      reference: r.reference,
      sentAt: new Date(r.sent_at),
      shows: r.shows as RequestCardCopy['shows'],
    }));
  }

  async mark(requestId: string, activityId: string, outcome: RequestOutcome): Promise<void> {
    await this.db.run(`UPDATE request_cards SET shows = ? WHERE request_id = ? AND activity_id = ?`, [
      outcome,
      requestId,
      activityId,
    ]);
  }

  async forgetOthers(userId: string, requestId: string): Promise<void> {
    await this.db.run(`DELETE FROM request_cards WHERE user_id = ? AND request_id <> ? AND shows <> 'open'`, [
      userId,
      requestId,
    ]);
  }
}
