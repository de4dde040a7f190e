import { randomUUID } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { readBody, readJson } from '../http/read-body';
import { sendBytes } from '../http/responses';
import type { SeedUser } from '../seed/org-seed';
import { serverRelativePath } from '../state/photo-sync';
import { placeholderPicture } from '../images/placeholder-picture';
import {
  PICTURE_PROPERTIES,
  SHAREPOINT_PREFIX,
  THUMBNAIL_SIDES,
  thumbnailStem,
  upnOfAccountName,
  type SharePointProfile,
  type ThumbnailSize,
} from '../state/sharepoint-store';
import type { TenantState } from '../state/tenant-state';
import { authenticateSharePoint, requireAccess, type SharePointPrincipal } from './sharepoint-auth';
import {
  SharePointError,
  collection,
  fileNotFound,
  odataMode,
  sendEntity,
  sharePointRoute,
  spBadRequest,
} from './sharepoint-http';

/** Largest file the library accepts here (profile pictures are small). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Properties users may set with SetSingleValueProfileProperty (the picture ones and a few others). */
const EDITABLE = new Set<string>([...PICTURE_PROPERTIES, 'AboutMe', 'SPS-Skills', 'SPS-Interests']);

/** Reads a single-quoted OData string literal (quotes doubled inside). */
function literal(raw: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/.exec(raw.trim());
  return m === null ? undefined : (m[1] as string).replace(/''/g, "'");
}

/** Parses `name=value,name=value` function parameters; values may be literals, numbers, booleans or `@alias`es resolved from the query. */
function functionParams(raw: string, query: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.match(/(?:[^,']|'(?:[^']|'')*')+/g) ?? []) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('@')) value = query.get(value) ?? '';
    out.set(name, literal(value) ?? value);
  }
  return out;
}

/** The user an account name (claims or plain UPN) belongs to. */
function userOfAccount(state: TenantState, accountName: string): SeedUser | undefined {
  return state.directory.find(upnOfAccountName(accountName));
}

/** PictureURL as SharePoint returns it: absolute, spaces escaped. */
function absolutePictureUrl(state: TenantState, value: string): string {
  return value.startsWith('/') ? `${state.baseUrl}${encodeURI(value)}` : value;
}

function personProperties(
  state: TenantState,
  req: Request,
  user: SeedUser,
  profile: SharePointProfile,
): Record<string, unknown> {
  const props = [...profile.properties.entries()].map(([Key, value]) => ({
    Key,
    Value: Key === 'PictureURL' ? absolutePictureUrl(state, value) : value,
    ValueType: 'Edm.String',
  }));
  const picture = profile.properties.get('PictureURL') ?? '';
  return {
    AccountName: profile.accountName,
    DirectReports: collection(req, []),
    DisplayName: user.displayName,
    Email: user.mail,
    ExtendedManagers: collection(req, []),
    ExtendedReports: collection(req, [profile.accountName]),
    IsFollowed: false,
    LatestPost: null,
    Peers: collection(req, []),
    PersonalSiteHostUrl: `${state.baseUrl}${SHAREPOINT_PREFIX}/`,
    PersonalUrl: `${state.baseUrl}${SHAREPOINT_PREFIX}/personal/${encodeURIComponent(profile.upn.replace(/[@.]/g, '_'))}/`,
    PictureUrl: picture === '' ? null : absolutePictureUrl(state, picture),
    Title: user.jobTitle ?? null,
    UserProfileProperties: collection(req, props, 'SP.KeyValue'),
    UserUrl: `${state.baseUrl}${SHAREPOINT_PREFIX}/Person.aspx?accountname=${encodeURIComponent(profile.accountName)}`,
  };
}

/** `GET .../PeopleManager/GetPropertiesFor(accountName=@v)?@v='i:0#.f|membership|upn'`. */
async function getPropertiesFor(
  state: TenantState,
  req: Request,
  res: Response,
  principal: SharePointPrincipal,
  params: string,
  query: URLSearchParams,
): Promise<void> {
  requireAccess(principal, 'read');
  const accountName = functionParams(params, query).get('accountname');
  if (accountName === undefined || accountName === '')
    throw spBadRequest(
      "The parameter accountName is missing or empty; use GetPropertiesFor(accountName=@v)?@v='i:0#.f|membership|user@contoso.com'.",
    );
  const user = userOfAccount(state, accountName);
  const profile = user === undefined ? undefined : state.sharePoint.profile(user.id);
  if (user === undefined || profile === undefined) {
    // SharePoint answers an unknown account with an empty result, not a 404.
    sendEntity(
      req,
      res,
      state,
      'SP.UserProfiles.PersonProperties',
      '/_api/SP.UserProfiles.PeopleManager/GetPropertiesFor',
      odataMode(req) === 'verbose'
        ? { AccountName: null, UserProfileProperties: collection(req, [], 'SP.KeyValue') }
        : { 'odata.null': true },
    );
    return;
  }
  sendEntity(
    req,
    res,
    state,
    'SP.UserProfiles.PersonProperties',
    `/_api/SP.UserProfiles.PeopleManager/GetPropertiesFor(accountName=@v)?@v='${encodeURIComponent(profile.accountName)}'`,
    personProperties(state, req, user, profile),
  );
}

/** `POST .../PeopleManager/SetSingleValueProfileProperty` with `{ accountName, propertyName, propertyValue }`. */
async function setSingleValue(
  state: TenantState,
  req: Request,
  res: Response,
  principal: SharePointPrincipal,
): Promise<void> {
  const json = await readJson(req);
  const body = json.ok ? (json.value as Record<string, unknown>) : undefined;
  const accountName = typeof body?.accountName === 'string' ? body.accountName : undefined;
  const propertyName = typeof body?.propertyName === 'string' ? body.propertyName : undefined;
  const value = body?.propertyValue;
  if (
    accountName === undefined ||
    propertyName === undefined ||
    (typeof value !== 'string' && typeof value !== 'number')
  ) {
    throw spBadRequest('Expected a JSON body { accountName, propertyName, propertyValue }.');
  }
  const user = userOfAccount(state, accountName);
  requireAccess(principal, 'write', user?.id);
  const profile = user === undefined ? undefined : state.sharePoint.profile(user.id);
  if (profile === undefined)
    throw new SharePointError(
      404,
      '-2146232832, Microsoft.Office.Server.UserProfiles.UserNotFoundException',
      `User Profile Error 1000: User Not Found: Could not load profile data from the database.`,
    );
  const known = [...EDITABLE].find((p) => p.toLowerCase() === propertyName.toLowerCase());
  if (known === undefined)
    throw new SharePointError(
      400,
      '-2146232832, Microsoft.SharePoint.SPException',
      `Property Not Found: ${propertyName}`,
    );
  profile.properties.set(known, String(value));
  sendEntity(
    req,
    res,
    state,
    'Edm.Null',
    '/_api/SP.UserProfiles.PeopleManager/SetSingleValueProfileProperty',
    odataMode(req) === 'verbose' ? { SetSingleValueProfileProperty: null } : { 'odata.null': true },
  );
}

function fileJson(
  state: TenantState,
  file: { name: string; serverRelativeUrl: string; bytes: Buffer; modifiedAt: string },
): Record<string, unknown> {
  return {
    CheckInComment: '',
    Exists: true,
    Length: String(file.bytes.length),
    Name: file.name,
    ServerRelativeUrl: file.serverRelativeUrl,
    TimeLastModified: file.modifiedAt.replace(/\.\d{3}Z$/, 'Z'),
    UniqueId: randomUUID(),
    LinkingUri: null,
    LinkingUrl: `${state.baseUrl}${encodeURI(file.serverRelativeUrl)}`,
  };
}

/** `POST .../GetFolderByServerRelativeUrl('/sp/User Photos/Profile Pictures')/Files/add(url='x.jpg',overwrite=true)` with the raw bytes. */
async function addFile(
  state: TenantState,
  req: Request,
  res: Response,
  principal: SharePointPrincipal,
  folder: string,
  params: string,
  query: URLSearchParams,
): Promise<void> {
  if (folder.replace(/\/+$/, '').toLowerCase() !== state.sharePoint.folderUrl().toLowerCase()) throw fileNotFound();
  const p = functionParams(params, query);
  const name = p.get('url') ?? '';
  if (name === '' || /[/\\]/.test(name)) throw spBadRequest(`The file name must be a plain name; received '${name}'.`);
  const owner = state.directory.users.find((u) =>
    name.toLowerCase().startsWith(`${thumbnailStem(u.upn).toLowerCase()}_`),
  );
  requireAccess(principal, 'write', owner?.id);
  const body = await readBody(req, MAX_UPLOAD_BYTES);
  if (!body.ok) throw new SharePointError(413, '-2147024809, System.ArgumentException', 'The file is too large.');
  const existing = state.sharePoint.file(`${state.sharePoint.folderUrl()}/${name}`);
  if (existing !== undefined && (p.get('overwrite') ?? 'false').toLowerCase() !== 'true') {
    throw new SharePointError(
      400,
      '-2130575257, Microsoft.SharePoint.SPException',
      `A file with the name ${existing.serverRelativeUrl} already exists.`,
    );
  }
  const file = state.sharePoint.putFile(name, body.bytes, state.clock.iso(), null);
  sendEntity(
    req,
    res,
    state,
    'SP.File',
    `/_api/Web/GetFileByServerRelativePath(decodedurl='${file.serverRelativeUrl}')`,
    fileJson(state, file),
  );
}

/** The bytes of a library file (`GetFileByServerRelativeUrl('...')/$value`, or the file's own URL). */
async function fileBytes(
  state: TenantState,
  res: Response,
  principal: SharePointPrincipal,
  serverRelativeUrl: string,
  contentType: string,
): Promise<void> {
  requireAccess(principal, 'read');
  const file = state.sharePoint.file(serverRelativeUrl);
  if (file === undefined) throw fileNotFound();
  sendBytes(res, 200, file.bytes, contentType, { ETag: `"{${file.modifiedAt}},1"` });
}

/** `GET /_layouts/15/userphoto.aspx?size=S|M|L&accountname=...`: the picture SharePoint shows. */
async function userPhoto(
  state: TenantState,
  res: Response,
  principal: SharePointPrincipal,
  query: URLSearchParams,
): Promise<void> {
  requireAccess(principal, 'read');
  const size = (query.get('size') ?? 'M').toUpperCase();
  const sizeCode: ThumbnailSize = size === 'S' || size === 'L' ? size : 'M';
  const account = query.get('accountname') ?? query.get('accountName') ?? '';
  const user = userOfAccount(state, account);
  // Like SharePoint, an unknown account gets the placeholder rather than an error.
  const bytes =
    user === undefined
      ? await placeholderPicture(THUMBNAIL_SIDES[sizeCode])
      : (await state.sync.sharePointShows(user, sizeCode)).bytes;
  sendBytes(res, 200, bytes, 'image/jpeg', { 'Cache-Control': 'private, max-age=0' });
}

/**
 * Registers the SharePoint Online stand-in under `/sp` (the My Site Host): user profile
 * properties (PeopleManager), the `User Photos/Profile Pictures` library and `userphoto.aspx`.
 */
export function registerSharePointRoutes(server: Server, state: TenantState): void {
  const handler = sharePointRoute(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = decodeURIComponent(url.pathname).slice(SHAREPOINT_PREFIX.length);
    const method = (req.method ?? 'GET').toUpperCase();
    const principal = await authenticateSharePoint(state, req);
    let m: RegExpExecArray | null;
    if (
      method === 'GET' &&
      (m = /^\/_api\/SP\.UserProfiles\.PeopleManager\/GetPropertiesFor\((.*)\)$/i.exec(path)) !== null
    ) {
      return getPropertiesFor(state, req, res, principal, m[1] as string, url.searchParams);
    }
    if (method === 'POST' && /^\/_api\/SP\.UserProfiles\.PeopleManager\/SetSingleValueProfileProperty$/i.test(path)) {
      return setSingleValue(state, req, res, principal);
    }
    if (
      method === 'POST' &&
      (m = /^\/_api\/web\/GetFolderByServerRelativeUrl\('((?:[^']|'')*)'\)\/Files\/add\((.*)\)$/i.exec(path)) !== null
    ) {
      return addFile(
        state,
        req,
        res,
        principal,
        (m[1] as string).replace(/''/g, "'"),
        m[2] as string,
        url.searchParams,
      );
    }
    if (
      method === 'GET' &&
      (m = /^\/_api\/web\/GetFileByServerRelativeUrl\('((?:[^']|'')*)'\)\/\$value$/i.exec(path)) !== null
    ) {
      return fileBytes(state, res, principal, (m[1] as string).replace(/''/g, "'"), 'application/octet-stream');
    }
    if (method === 'GET' && /^\/_layouts\/15\/userphoto\.aspx$/i.test(path))
      return userPhoto(state, res, principal, url.searchParams);
    if (method === 'GET' && path.toLowerCase().startsWith('/user photos/')) {
      return fileBytes(state, res, principal, serverRelativePath(url.pathname) ?? '', 'image/jpeg');
    }
    throw new SharePointError(
      404,
      '-1, Microsoft.SharePoint.Client.ResourceNotFoundException',
      `Cannot find resource for the request ${path.split('/').pop() ?? ''}.`,
    );
  });
  for (const method of ['get', 'post', 'put', 'patch', 'del'] as const)
    server[method](`${SHAREPOINT_PREFIX}/*`, handler);
}
