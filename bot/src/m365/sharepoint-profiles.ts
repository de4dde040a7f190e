/**
 * SharePointProfiles on SharePoint REST (plain fetch, bearer token from a TokenSource):
 * PeopleManager profile properties, the My Site Host's `User Photos/Profile Pictures`
 * library and `userphoto.aspx`. Failures become AppErrors here, once.
 */
import { AppError } from '../core/errors';
import type { SharePointProfile, SharePointProfiles, SharePointThumbnails } from '../core/status/evidence-ports';
import { retryAfterSeconds } from './graph-errors';
import type { TokenSource } from './token-source';

/** The profile pictures folder of the My Site Host's "User Photos" library (English root web). */
const PROFILE_PICTURES_FOLDER = 'User Photos/Profile Pictures';

/**
 * The file-name stem of a user's thumbnails: the account name with each of
 * `\ @ . " # % & * : < > ? { } |` replaced by `_` (seed article on profile picture sync).
 */
export function thumbnailStem(upn: string): string {
  return upn.replace(/[\\@."#%&*:<>?{}|]/g, '_');
}

/** The claims account name SharePoint uses for a cloud user. */
export function membershipClaim(upn: string): string {
  return `i:0#.f|membership|${upn.toLowerCase()}`;
}

/** A string as a single-quoted OData literal. */
const odataLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A path segment value for a REST function parameter: percent-encoded, slashes kept. */
const pathParam = (s: string): string => encodeURIComponent(s.replace(/'/g, "''")).replace(/%2F/g, '/');

/** Options of the adapter. */
export interface SharePointProfilesOptions {
  /** The My Site Host, e.g. `https://contoso-my.sharepoint.com` (the local tenant: `<url>/sp`). */
  mySiteUrl: string;
  /** The token resource; tokens are asked for `<resource>/.default`. */
  resource: string;
  tokens: TokenSource;
  timeoutMs?: number;
  /** Attempts per call when SharePoint answers 429/503/504 (default 3). */
  maxAttempts?: number;
  /** Longest Retry-After worth waiting for (default 10 s): someone is waiting for the answer. */
  maxRetryAfterSeconds?: number;
}

interface KeyValue {
  Key: string;
  Value: string | null;
}

/** SharePoint REST with app-only tokens (SharePoint `Sites.FullControl.All`). */
export class RestSharePointProfiles implements SharePointProfiles {
  private readonly base: string;
  private readonly folder: string;

  constructor(private readonly options: SharePointProfilesOptions) {
    this.base = options.mySiteUrl.replace(/\/+$/, '');
    this.folder = `${new URL(this.base).pathname.replace(/\/+$/, '')}/${PROFILE_PICTURES_FOLDER}`;
  }

  async getProfile(upn: string): Promise<SharePointProfile | null> {
    const res = await this.call(
      'GET',
      `/_api/SP.UserProfiles.PeopleManager/GetPropertiesFor(accountName=@v)?@v=${encodeURIComponent(odataLiteral(membershipClaim(upn)))}`,
    );
    const body = (await res.json().catch(() => null)) as {
      AccountName?: string | null;
      UserProfileProperties?: KeyValue[];
      'odata.null'?: boolean;
    } | null;
    if (!body || body['odata.null'] || !body.AccountName) return null;
    const props = new Map((body.UserProfileProperties ?? []).map((p) => [p.Key, p.Value ?? '']));
    const timestamp = Number(props.get('SPS-PictureTimestamp'));
    const sync = props.get('SPS-PictureExchangeSyncState');
    const pictureUrl = props.get('PictureURL') ?? '';
    return {
      accountName: body.AccountName,
      pictureUrl: pictureUrl === '' ? null : pictureUrl,
      pictureTimestamp:
        props.get('SPS-PictureTimestamp') && Number.isFinite(timestamp) && timestamp > 0
          ? new Date(timestamp * 1000)
          : null,
      placeholder: props.get('SPS-PicturePlaceholderState') === '1',
      exchangeSyncState: sync === '1' ? 1 : sync === '0' ? 0 : null,
    };
  }

  async getShownPicture(upn: string): Promise<Uint8Array> {
    const res = await this.call('GET', `/_layouts/15/userphoto.aspx?size=S&accountname=${encodeURIComponent(upn)}`, {
      accept: 'image/*',
    });
    return new Uint8Array(await res.arrayBuffer());
  }

  async setPicture(upn: string, thumbnails: SharePointThumbnails, at: Date): Promise<void> {
    const stem = thumbnailStem(upn);
    const files: Array<[string, Uint8Array]> = [
      [`${stem}_SThumb.jpg`, thumbnails.small],
      [`${stem}_MThumb.jpg`, thumbnails.medium],
      [`${stem}_LThumb.jpg`, thumbnails.large],
    ];
    for (const [name, bytes] of files) {
      const res = await this.call(
        'POST',
        `/_api/web/GetFolderByServerRelativeUrl('${pathParam(this.folder)}')/Files/add(url='${pathParam(name)}',overwrite=true)`,
        { 'content-type': 'application/octet-stream' },
        bytes,
      );
      await res.arrayBuffer();
    }
    const account = membershipClaim(upn);
    const pictureUrl = `${this.base}${encodeURI(`/${PROFILE_PICTURES_FOLDER}/${stem}_MThumb.jpg`)}`;
    const properties: Array<[string, string]> = [
      ['PictureURL', pictureUrl],
      ['SPS-PicturePlaceholderState', '0'],
      ['SPS-PictureTimestamp', String(Math.floor(at.getTime() / 1000))],
    ];
    for (const [propertyName, propertyValue] of properties) {
      const res = await this.call(
        'POST',
        '/_api/SP.UserProfiles.PeopleManager/SetSingleValueProfileProperty',
        { 'content-type': 'application/json;odata=nometadata' },
        JSON.stringify({ accountName: account, propertyName, propertyValue }),
      );
      await res.arrayBuffer();
    }
  }

  /** One REST call with retries of 429/503/504 after Retry-After; non-2xx answers become AppErrors. */
  private async call(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: Uint8Array | string,
  ): Promise<Response> {
    const { tokens, resource, timeoutMs = 15_000, maxAttempts = 3, maxRetryAfterSeconds = 10 } = this.options;
    const scope = `${resource.replace(/\/+$/, '')}/.default`;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await tokens.getToken(scope);
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: { accept: 'application/json;odata=nometadata', ...headers, authorization: `Bearer ${token}` },
          body: typeof body === 'string' ? body : body === undefined ? undefined : Buffer.from(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new AppError('m365.unavailable', 'SharePoint unreachable', { retryable: true, cause: err });
      }
      if (res.ok) return res;
      if (res.status === 401 && !renewed && tokens.invalidate) {
        // A cached token SharePoint refuses: forget it and ask once more.
        renewed = true;
        tokens.invalidate(scope, token);
        await res.arrayBuffer().catch(() => undefined);
        attempt--;
        continue;
      }
      const retry = retryAfterSeconds(res.headers);
      if ([429, 503, 504].includes(res.status) && attempt < maxAttempts && (retry ?? 1) <= maxRetryAfterSeconds) {
        await res.arrayBuffer().catch(() => undefined);
        await new Promise((r) => setTimeout(r, (retry ?? 2 ** (attempt - 1)) * 1000));
        continue;
      }
      throw await sharePointError(res, retry);
    }
  }
}

/** Turns a failed SharePoint answer into an AppError with a stable code. */
async function sharePointError(res: Response, retry: number | undefined): Promise<AppError> {
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 200);
  try {
    const json = JSON.parse(text) as {
      'odata.error'?: { message?: { value?: string } };
      error?: { message?: { value?: string } };
      error_description?: string;
    };
    detail = json['odata.error']?.message?.value ?? json.error?.message?.value ?? json.error_description ?? detail;
  } catch {
    // not JSON: keep the text
  }
  const message = `SharePoint answered ${res.status}: ${detail}`;
  if (res.status === 429)
    return new AppError('m365.throttled', message, {
      retryable: true,
      retryAfterSeconds: retry ?? 30,
      params: { retryAfterSeconds: retry ?? 30 },
      status: 503,
    });
  if (res.status >= 500)
    return new AppError('m365.unavailable', message, {
      retryable: true,
      retryAfterSeconds: retry,
      params: { retryAfterSeconds: retry ?? 30 },
      status: 503,
    });
  if (res.status === 401 || res.status === 403) return new AppError('m365.forbidden', message);
  return new AppError('m365.unexpected', message);
}
