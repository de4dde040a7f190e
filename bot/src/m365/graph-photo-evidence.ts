/**
 * PhotoEvidenceReader on Microsoft Graph `$batch`: one person's evidence in one batch of four
 * inner requests, many people's photo metadata in batches of 20.
 */
import type { DirectoryUser, MailboxKind } from '../core/directory/directory-ports';
import type { PhotoMeta } from '../core/photo/profile-photo-ports';
import type {
  FollowUpAnswer,
  FollowUpAsk,
  FollowUpReader,
  GraphPhoto,
  GraphPhotoEvidence,
  Observed,
  PhotoEvidenceReader,
  PhotoScan,
} from '../core/status/evidence-ports';
import type { SmallPhotoReader } from '../core/coverage/photo-age';
import type { AppError } from '../core/errors';
import { emptyStats, innerError, type BatchOutcome, type GraphBatchRunner } from './graph-batch';
import { toUser, USER_SELECT, type GraphUser } from './graph-directory';

/**
 * Why someone has no Exchange Online mailbox, when Exchange only says it has none. Microsoft 365 answers
 * `MailboxNotEnabledForRESTAPI` alike for guests, unlicensed users and hybrid users whose mailbox is on-premises,
 * so the user decides: a member synced from on-premises AD with a mail address has an on-premises mailbox (the
 * address comes from on-premises Exchange); anyone else has none.
 */
export function withoutExchangeOnline(user: DirectoryUser | null): MailboxKind {
  if (user === null || user.userType === 'Guest') return 'none';
  return user.onPremisesSyncEnabled && user.mail !== undefined && user.mail !== '' ? 'onPremises' : 'none';
}

const failed = (e: AppError): Observed<never> => ({
  ok: false,
  error: { code: e.code, retryable: e.retryable, retryAfterSeconds: e.retryAfterSeconds },
});

/** The Graph error code of an inner answer, if it has one. */
function codeOf(outcome: BatchOutcome | undefined): string | undefined {
  return outcome && 'status' in outcome
    ? (outcome.body as { error?: { code?: string } } | undefined)?.error?.code
    : undefined;
}

/** Maps an inner answer: `ok` for 2xx, `absent` for the given 404 codes, else the error. */
function classify(
  outcome: BatchOutcome | undefined,
  absentCodes: readonly string[],
): { ok: unknown } | { absent: string } | { error: AppError } {
  if (outcome === undefined) return { error: innerError({ status: 500, headers: {}, body: undefined }) };
  if ('error' in outcome) return { error: outcome.error };
  if (outcome.status >= 200 && outcome.status < 300) return { ok: outcome.body };
  const code = codeOf(outcome);
  if (outcome.status === 404 && code !== undefined && absentCodes.includes(code)) return { absent: code };
  return { error: innerError(outcome) };
}

/** The user of an inner answer: null when there is no such user. */
function userOf(outcome: BatchOutcome | undefined): Observed<DirectoryUser | null> {
  const answer = classify(outcome, ['Request_ResourceNotFound']);
  return 'ok' in answer
    ? { ok: true, value: toUser(answer.ok as GraphUser) }
    : 'absent' in answer
      ? { ok: true, value: null }
      : failed(answer.error);
}

/** The mailbox kind of a mailboxSettings answer (the user decides what "no Exchange Online mailbox" means). */
function mailboxOf(outcome: BatchOutcome | undefined, user: Observed<DirectoryUser | null>): Observed<MailboxKind> {
  const box = classify(outcome, ['MailboxNotEnabledForRESTAPI', 'MailboxNotHostedInExchangeOnline']);
  if ('ok' in box) return { ok: true, value: 'online' };
  if ('error' in box) return failed(box.error);
  if (box.absent === 'MailboxNotHostedInExchangeOnline') return { ok: true, value: 'onPremises' };
  return user.ok ? { ok: true, value: withoutExchangeOnline(user.value) } : user;
}

/** A 48x48 photo answer: the JPEG, or null when the user has none. */
function smallOf(outcome: BatchOutcome | undefined): Observed<Uint8Array | null> {
  const answer = classify(outcome, ['ImageNotFound']);
  if ('absent' in answer) return { ok: true, value: null };
  if ('error' in answer) return failed(answer.error);
  return typeof answer.ok === 'string'
    ? { ok: true, value: new Uint8Array(Buffer.from(answer.ok, 'base64')) }
    : failed(innerError({ status: 502, headers: {}, body: undefined }));
}

function toMeta(body: unknown): PhotoMeta {
  const m = body as { width?: number; height?: number; '@odata.mediaEtag'?: string };
  return { width: m.width ?? 0, height: m.height ?? 0, etag: m['@odata.mediaEtag'] };
}

/** Reads photo evidence through `$batch` (User.Read.All, ProfilePhoto.Read.All, MailboxSettings.Read). */
export class GraphPhotoEvidenceReader implements PhotoEvidenceReader, SmallPhotoReader, FollowUpReader {
  /**
   * @param statusRunner runs one person's four requests (few retries: someone is waiting)
   * @param scanRunner runs scans (more patience with throttling)
   */
  constructor(
    private readonly statusRunner: GraphBatchRunner,
    private readonly scanRunner: GraphBatchRunner,
  ) {}

  /** Reads the user, their photo (with a small rendition) and their mailbox kind in one `$batch`. */
  async read(idOrUpn: string): Promise<GraphPhotoEvidence> {
    const u = encodeURIComponent(idOrUpn);
    const out = await this.statusRunner.run([
      { id: 'user', method: 'GET', url: `/users/${u}?$select=${USER_SELECT}` },
      { id: 'photo', method: 'GET', url: `/users/${u}/photo` },
      { id: 'small', method: 'GET', url: `/users/${u}/photos/48x48/$value` },
      { id: 'mailbox', method: 'GET', url: `/users/${u}/mailboxSettings` },
    ]);

    const user = userOf(out.get('user'));

    const meta = classify(out.get('photo'), ['ImageNotFound']);
    const small = classify(out.get('small'), ['ImageNotFound']);
    let photo: Observed<GraphPhoto | null>;
    if ('error' in meta) photo = failed(meta.error);
    else if ('absent' in meta) photo = { ok: true, value: null };
    else
      photo = {
        ok: true,
        value: {
          ...toMeta(meta.ok),
          small: 'ok' in small && typeof small.ok === 'string' ? new Uint8Array(Buffer.from(small.ok, 'base64')) : null,
        },
      };

    return { user, photo, mailbox: mailboxOf(out.get('mailbox'), user) };
  }

  /**
   * What follow-up checks ask (follow-through): per person the user and mailbox kind (first check) and the 48x48
   * photo, all in `$batch`es of 20 with the scan's patience for throttling.
   */
  async readMany(asks: readonly FollowUpAsk[]): Promise<Map<string, FollowUpAnswer>> {
    const requests = asks.flatMap((a, i) => {
      const u = encodeURIComponent(a.userId);
      return [
        ...(a.subject
          ? [
              { id: `${i}u`, method: 'GET' as const, url: `/users/${u}?$select=${USER_SELECT}` },
              { id: `${i}m`, method: 'GET' as const, url: `/users/${u}/mailboxSettings` },
            ]
          : []),
        ...(a.photo ? [{ id: `${i}p`, method: 'GET' as const, url: `/users/${u}/photos/48x48/$value` }] : []),
      ];
    });
    const out = requests.length > 0 ? await this.scanRunner.run(requests) : new Map<string, BatchOutcome>();
    const answers = new Map<string, FollowUpAnswer>();
    asks.forEach((a, i) => {
      const answer: FollowUpAnswer = {};
      if (a.subject) {
        answer.user = userOf(out.get(`${i}u`));
        answer.mailbox = mailboxOf(out.get(`${i}m`), answer.user);
      }
      if (a.photo) answer.photo = smallOf(out.get(`${i}p`));
      answers.set(a.userId, answer);
    });
    return answers;
  }

  /** The 48x48 JPEGs of many users (photo age), 20 a batch; unreadable ones left out. */
  async smallPhotos(userIds: readonly string[]): Promise<Map<string, Uint8Array>> {
    const out = await this.scanRunner.run(
      userIds.map((id, i) => ({
        id: String(i),
        method: 'GET' as const,
        url: `/users/${encodeURIComponent(id)}/photos/48x48/$value`,
      })),
    );
    const photos = new Map<string, Uint8Array>();
    userIds.forEach((id, i) => {
      const answer = classify(out.get(String(i)), ['ImageNotFound']);
      if ('ok' in answer && typeof answer.ok === 'string')
        photos.set(id, new Uint8Array(Buffer.from(answer.ok, 'base64')));
    });
    return photos;
  }

  async scan(userIds: readonly string[]): Promise<PhotoScan> {
    const stats = emptyStats();
    const out = await this.scanRunner.run(
      userIds.map((id, i) => ({
        id: String(i),
        method: 'GET' as const,
        url: `/users/${encodeURIComponent(id)}/photo`,
      })),
      stats,
    );
    const photos = new Map<string, Observed<PhotoMeta | null>>();
    userIds.forEach((id, i) => {
      const answer = classify(out.get(String(i)), ['ImageNotFound']);
      photos.set(
        id,
        'ok' in answer
          ? { ok: true, value: toMeta(answer.ok) }
          : 'absent' in answer
            ? { ok: true, value: null }
            : failed(answer.error),
      );
    });
    return { photos, stats };
  }
}
