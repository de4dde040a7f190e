/**
 * The only reader of process.env. Parses with zod, fails at start-up naming the
 * bad key, and returns a frozen, typed configuration.
 */
import { z } from 'zod';
import { readAppCredential, type AppCredentialConfig } from './config-credentials';
import { ConfigError } from './config-error';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(3978),
  HOST: z.string().default('127.0.0.1'),
  /** Local mode only: listen on HOST although it is not loopback (anyone who reaches the port can act as anyone). */
  LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK: bool.default(false),
  LOCAL_TENANT_PORT: port.default(3979),
  /** Local mode: the demo organisation's SharePoint experience (modern, as SharePoint Online today; or legacy). */
  LOCAL_SHAREPOINT: z.enum(['modern', 'legacy']).default('modern'),
  PLAYGROUND: bool.default(true),
  PLAYGROUND_PORT: port.default(56150),
  PUBLIC_BASE_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  /** PostgreSQL for several instances (postgres://user@host:port/db); absent: SQLite under DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** Entra authentication to Azure Database for PostgreSQL with the app's managed identity (no password). */
  DATABASE_ENTRA_AUTH: bool.default(false),
  /** Local mode: use this running local tenant (`headshot emulator`) instead of starting one; several instances share it. */
  LOCAL_TENANT_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().optional(),
  MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com'),
  AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
  MicrosoftAppCertificatePath: z.string().optional(),
  MicrosoftAppCertificateThumbprint: z
    .string()
    .regex(/^[0-9a-fA-F:]{64,95}$/, 'the SHA-256 thumbprint of the certificate, in hex')
    .optional(),
  BOT_OPENID_METADATA_URL: z.url().default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  BOT_TOKEN_ISSUER: z.string().min(1).default('https://api.botframework.com'),
  BOT_CONNECTOR_SCOPE: z.url().default('https://api.botframework.com'),
  SSO_AUDIENCE: z.string().min(1).optional(),
  UPLOAD_RATE_PER_MINUTE: z.coerce.number().positive().default(6),
  UPLOAD_RATE_BURST: z.coerce.number().int().positive().default(5),
  METRICS_TOKEN: z.string().min(16).optional(),
  METRICS_LOG_SECONDS: z.coerce.number().int().nonnegative().default(300),

  PHOTO_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  PHOTO_MAX_PIXELS: z.coerce.number().int().positive().default(50_000_000),
  PHOTO_MIN_SIDE: z.coerce.number().int().positive().default(96),
  PHOTO_BACKGROUND: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #ffffff')
    .default('#ffffff'),
  PHOTO_CONCURRENCY: z.coerce.number().int().positive().optional(),
  PHOTO_QUEUE_LIMIT: z.coerce.number().int().nonnegative().default(8),
  PHOTO_HEIC_MEMORY_MB: z.coerce.number().int().min(64).default(640),
  FACE_CHECK: bool.default(true),
  FACE_CHECK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8_000),
  REQUEST_TTL_HOURS: z.coerce.number().positive().default(24),
  DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  ALLOWED_DOWNLOAD_HOSTS: z.string().optional(),
  UPLOAD_TICKET_SECRET: z.string().min(32).optional(),
  TEAMS_APP_ID: z.string().min(1).optional(),
  APPROVAL_TICK_SECONDS: z.coerce.number().int().positive().default(60),

  SHAREPOINT_MYSITE_URL: z.url().optional(),
  SHAREPOINT_RESOURCE: z.url().optional(),
  SHAREPOINT_PICTURES: z.enum(['auto', 'legacy', 'modern']).default('auto'),
  SHAREPOINT_THUMBNAIL_SIDES: z
    .string()
    .regex(/^\s*\d+\s*,\s*\d+\s*,\s*\d+\s*$/, 'three sizes in pixels, S,M,L, like 48,72,200')
    .default('48,72,200'),
  TEAMS_PHOTO_CACHE_DAYS: z.coerce.number().positive().default(60),
  // Follow-through (docs/status.md): check each system after a photo change until it shows the new photo.
  FOLLOW_THROUGH: bool.default(true),
  FOLLOW_THROUGH_EVERY_HOURS: z.coerce.number().int().min(1).max(24).default(6),
  FOLLOW_THROUGH_LIMIT_HOURS: z.coerce.number().int().min(2).max(336).default(72),
  AD_PHOTO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(2048)
    .default(10 * 1024),

  ADMIN_UPNS: z.string().optional(),
  ADMIN_GROUP_ID: z.string().min(1).optional(),
  ADMIN_APP_ROLE: z.string().min(1).optional(),
  COVERAGE_REFRESH_HOURS: z.coerce.number().nonnegative().default(24),
  COVERAGE_MIN_PHOTO_SIDE: z.coerce.number().int().min(48).max(648).default(240),
  BROADCAST_RATE: z.coerce.number().positive().max(10_000).default(50),
  BROADCAST_HEADROOM: z.coerce.number().min(0.5).max(1).default(1),
  BROADCAST_WINDOW_GUARD_MS: z.coerce.number().int().min(0).max(500).default(15),
  BROADCAST_PROBE_SECONDS: z.coerce.number().positive().default(30),
  BROADCAST_MAX_REMINDERS: z.coerce.number().int().min(0).max(100).default(3),
  BROADCAST_QUIET_HOURS: bool.default(true),
  BROADCAST_CONCURRENCY: z.coerce.number().int().positive().max(256).default(16),
  BROADCAST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  BROADCAST_LEASE_SECONDS: z.coerce.number().positive().default(30),
  BROADCAST_PROGRESS_SECONDS: z.coerce.number().positive().default(3),
  BROADCAST_POLL_MS: z.coerce.number().int().positive().default(1000),
  BROADCAST_BACKOFF_MS: z.coerce.number().int().positive().default(1000),
  /** Bulk import (docs/import.md): Graph's directory write limits the import paces within, per app and per tenant. */
  IMPORT_WRITES_PER_150S: z.coerce.number().int().positive().max(1_000_000).default(3_000),
  IMPORT_WRITES_PER_5MIN: z.coerce.number().int().positive().max(1_000_000).default(18_000),
  /** Share of each window left to people changing their own photo while an import writes. */
  IMPORT_HEADROOM: z.coerce.number().min(0).max(0.9).default(0.1),
  IMPORT_MAX_FILES: z.coerce.number().int().positive().max(200_000).default(20_000),
  /** Most bytes of an import once unpacked, and of a zip uploaded from the tab. */
  IMPORT_MAX_MEGABYTES: z.coerce.number().int().positive().max(100_000).default(4_096),
  IMPORT_MAX_RATIO: z.coerce.number().positive().max(10_000).default(100),
  IMPORT_POLL_MS: z.coerce.number().int().positive().default(1000),
  IMPORT_LEASE_SECONDS: z.coerce.number().positive().default(30),
  TEAMS_SERVICE_URL: z.url().optional(),
});

/** Hosts Teams serves attachments from in Microsoft 365 (suffix match). */
const M365_DOWNLOAD_HOSTS = [
  '.sharepoint.com',
  '.sharepoint-df.com',
  'smba.trafficmanager.net',
  '.botframework.com',
  '.teams.microsoft.com',
  'graph.microsoft.com',
  '.asm.skype.com',
];

type Mode = 'local' | 'm365';

/** The validated, frozen configuration of one service process. */
export interface Config {
  mode: Mode;
  port: number;
  host: string;
  unsafeLocalListen: boolean;
  /** Public address of the service; absent in local mode means "where it listens". */
  publicBaseUrl?: string;
  localTenantPort: number;
  /** Local mode: the demo organisation's SharePoint experience. */
  localSharePoint: 'modern' | 'legacy';
  playground: boolean;
  playgroundPort: number;
  dataDir: string;
  /** PostgreSQL connection URL; absent: SQLite under dataDir. */
  databaseUrl?: string;
  /** Sign in to PostgreSQL with an Entra token of the managed identity instead of a password. */
  databaseEntraAuth: boolean;
  /** Local mode: an already running local tenant to use. */
  localTenantUrl?: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  bot: { appId?: string; appPassword?: string; tenantId?: string; appType: string };
  /** How the app authenticates to Entra ID in m365 mode (absent in local mode). */
  credential?: AppCredentialConfig;
  /** What incoming Bot Framework tokens must look like, and where replies get their token's audience. */
  botAuth: { openIdMetadataUrl: string; tokenIssuer: string; connectorScope: string };
  /** The tab's single sign-on: the audiences its tokens must carry (admins come from `admins`). */
  sso: { audiences: string[] };
  /** Photos one person may send per minute (upload page and chat attachments), and the burst allowed. */
  uploadRate: { perMinute: number; burst: number };
  /** `GET /metrics` bearer (besides loopback), and how often counters are logged (0: never). */
  metrics: { token?: string; logSeconds: number };
  /** Base URL of Microsoft Graph (the local tenant's in local mode). */
  graphBaseUrl: string;
  authorityHost: string;
  photo: {
    maxBytes: number;
    maxPixels: number;
    minSide: number;
    background: string;
    concurrency?: number;
    queueLimit: number;
    /** Memory all HEIC decodes may hold at once (WebAssembly, outside the heap limits); also caps a HEIC's pixels. */
    heicMemoryMb: number;
    /** The photo guidelines' face check (a detector in a worker thread); off: attention crop, no face rules. */
    faceCheck: { enabled: boolean; timeoutMs: number };
  };
  requestTtlHours: number;
  download: { timeoutMs: number; allowedHosts: string[]; allowLoopback: boolean };
  uploadTicketSecret?: string;
  approvals: {
    /** The app's id in the tenant app catalog, for installing Headshot for approvers (local mode: the demo catalog's). */
    teamsAppId?: string;
    /** How often the approval scheduler looks for due reminders, escalations, expiries and writes. */
    tickSeconds: number;
  };
  sharePoint: {
    /** The My Site Host (`https://<tenant>-my.sharepoint.com`); in local mode, absent means the local tenant's `/sp`. */
    mySiteUrl?: string;
    /** Token resource for SharePoint; absent means the My Site Host's origin (local mode: its URL). */
    resource?: string;
    /**
     * How the tenant's SharePoint shows pictures: legacy thumbnails copied from Exchange, the Graph photo (modern,
     * since MC653734), or `auto`: judged from what SharePoint serves (core/status/sharepoint-model.ts).
     */
    pictures: 'auto' | 'legacy' | 'modern';
    /** Sides of the S, M and L thumbnails Headshot writes. */
    thumbnailSides: readonly [number, number, number];
  };
  status: {
    /** How long Teams may show an old photo after a change. */
    teamsCacheDays: number;
    /** Largest AD-ready photo (Exchange takes AD photos up to 10 KB). */
    adPhotoMaxBytes: number;
    /** Follow-through: on, and its schedule after the first hour (every 6 h up to 72 h). */
    followThrough: { enabled: boolean; everyHours: number; limitHours: number };
  };
  /** Who is an admin (any rule); local mode without any rule: the app role `HeadshotAdmin` (Patti in the demo). */
  admins: { upns: string[]; groupId?: string; appRole?: string };
  coverage: {
    /** A finished scan older than this is refreshed by the scheduler (0: only on demand). */
    refreshHours: number;
    /** A photo smaller than this (pixels a side) counts as stale. */
    minPhotoSide: number;
  };
  broadcast: {
    /** Bot Connector requests per second for all instances together (Teams: 50 per app per tenant). */
    ratePerSecond: number;
    /** Share of the limit the pacer may use (1: all of it; less leaves room for other senders of the same app). */
    headroom: number;
    /** Milliseconds the pace adds to Teams' one-second window, for the jitter between a grant and its arrival. */
    windowGuardMs: number;
    /** How long a limit learned from 429s holds before one more a second is tried. */
    probeSeconds: number;
    /** Reminders one person gets over 30 days at most, follow-ups included (0: no limit). */
    maxRemindersPerPerson: number;
    /** Reminders wait for each recipient's working hours when their mailbox settings give a time zone. */
    quietHours: boolean;
    concurrency: number;
    maxAttempts: number;
    leaseSeconds: number;
    progressSeconds: number;
    pollMs: number;
    backoffMs: number;
    /** Teams' service URL for people Headshot never talked to (m365; default: the newest stored chat's). */
    serviceUrl?: string;
  };
  /** Bulk import (docs/import.md). */
  import: {
    writesPer150s: number;
    writesPer5min: number;
    headroom: number;
    maxFiles: number;
    maxBytes: number;
    maxRatio: number;
    pollMs: number;
    leaseSeconds: number;
  };
}

export { ConfigError };

/** Whether `host` is a loopback address or name (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Reads and validates configuration from an environment (process.env by default). */

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // `KEY=` (an uncommented line of .env.example, an empty CI variable) means "not set": without this an
  // empty PORT or PHOTO_QUEUE_LIMIT would silently become 0 and an empty URL would be refused.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const mode: Mode = e.MicrosoftAppId ? 'm365' : 'local';
  let credential: AppCredentialConfig | undefined;
  if (mode === 'm365') {
    const missing = (['MicrosoftAppTenantId', 'UPLOAD_TICKET_SECRET', 'PUBLIC_BASE_URL'] as const).filter((k) => !e[k]);
    if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword && !e.MicrosoftAppCertificatePath)
      missing.unshift('MicrosoftAppPassword or MicrosoftAppCertificatePath' as never);
    if (missing.length > 0) {
      throw new ConfigError(`MicrosoftAppId is set, so m365 mode needs: ${missing.join(', ')}`);
    }
    credential = readAppCredential(e);
  }
  // Local mode has no sign-in worth the name (the demo sign-in, no Bot Framework tokens): loopback only, unless asked.
  if (mode === 'local' && !isLoopback(e.HOST) && !e.LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK) {
    throw new ConfigError(
      `HOST=${e.HOST} is not a loopback address. In local mode anyone who can reach the port can act as any demo ` +
        'person and choose where replies go, so Headshot listens on 127.0.0.1 only. Unset HOST, set MicrosoftAppId ' +
        'for m365 mode, or set LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK=1 if you accept that.',
    );
  }
  const localTenantUrl = `http://127.0.0.1:${e.LOCAL_TENANT_PORT}`;
  const config: Config = {
    mode,
    port: e.PORT,
    host: e.HOST,
    /** Local mode listening beyond loopback (LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK): the start-up banner warns. */
    unsafeLocalListen: mode === 'local' && !isLoopback(e.HOST),
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
    localTenantPort: e.LOCAL_TENANT_PORT,
    localSharePoint: e.LOCAL_SHAREPOINT,
    playground: mode === 'local' && e.PLAYGROUND,
    playgroundPort: e.PLAYGROUND_PORT,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL || undefined,
    databaseEntraAuth: e.DATABASE_ENTRA_AUTH,
    localTenantUrl: e.LOCAL_TENANT_URL?.replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
    },
    credential,
    botAuth: {
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
      tokenIssuer: e.BOT_TOKEN_ISSUER,
      connectorScope: e.BOT_CONNECTOR_SCOPE.replace(/\/$/, ''),
    },
    sso: {
      audiences: e.SSO_AUDIENCE
        ? [e.SSO_AUDIENCE]
        : e.MicrosoftAppId && e.PUBLIC_BASE_URL
          ? [`api://${new URL(e.PUBLIC_BASE_URL).host}/${e.MicrosoftAppId}`, e.MicrosoftAppId]
          : [],
    },
    uploadRate: { perMinute: e.UPLOAD_RATE_PER_MINUTE, burst: e.UPLOAD_RATE_BURST },
    metrics: { token: e.METRICS_TOKEN, logSeconds: e.METRICS_LOG_SECONDS },
    graphBaseUrl: mode === 'local' ? localTenantUrl : e.GRAPH_BASE_URL.replace(/\/$/, ''),
    authorityHost: mode === 'local' ? localTenantUrl : e.AUTHORITY_HOST.replace(/\/$/, ''),
    photo: {
      maxBytes: e.PHOTO_MAX_BYTES,
      maxPixels: e.PHOTO_MAX_PIXELS,
      minSide: e.PHOTO_MIN_SIDE,
      background: e.PHOTO_BACKGROUND,
      concurrency: e.PHOTO_CONCURRENCY,
      queueLimit: e.PHOTO_QUEUE_LIMIT,
      heicMemoryMb: e.PHOTO_HEIC_MEMORY_MB,
      faceCheck: { enabled: e.FACE_CHECK, timeoutMs: e.FACE_CHECK_TIMEOUT_MS },
    },
    requestTtlHours: e.REQUEST_TTL_HOURS,
    download: {
      timeoutMs: e.DOWNLOAD_TIMEOUT_MS,
      allowedHosts: e.ALLOWED_DOWNLOAD_HOSTS
        ? e.ALLOWED_DOWNLOAD_HOSTS.split(',')
            .map((h) => h.trim())
            .filter(Boolean)
        : mode === 'local'
          ? []
          : M365_DOWNLOAD_HOSTS,
      allowLoopback: mode === 'local',
    },
    uploadTicketSecret: e.UPLOAD_TICKET_SECRET,
    approvals: { teamsAppId: e.TEAMS_APP_ID, tickSeconds: e.APPROVAL_TICK_SECONDS },
    sharePoint: {
      mySiteUrl: e.SHAREPOINT_MYSITE_URL?.replace(/\/$/, ''),
      resource: e.SHAREPOINT_RESOURCE?.replace(/\/$/, ''),
      pictures: e.SHAREPOINT_PICTURES,
      thumbnailSides: e.SHAREPOINT_THUMBNAIL_SIDES.split(',').map((n) => Number(n.trim())) as unknown as readonly [
        number,
        number,
        number,
      ],
    },
    status: {
      teamsCacheDays: e.TEAMS_PHOTO_CACHE_DAYS,
      adPhotoMaxBytes: e.AD_PHOTO_MAX_BYTES,
      followThrough: {
        enabled: e.FOLLOW_THROUGH,
        everyHours: e.FOLLOW_THROUGH_EVERY_HOURS,
        limitHours: e.FOLLOW_THROUGH_LIMIT_HOURS,
      },
    },
    admins: adminRules(mode, e.ADMIN_UPNS, e.ADMIN_GROUP_ID, e.ADMIN_APP_ROLE),
    coverage: { refreshHours: e.COVERAGE_REFRESH_HOURS, minPhotoSide: e.COVERAGE_MIN_PHOTO_SIDE },
    broadcast: {
      ratePerSecond: e.BROADCAST_RATE,
      headroom: e.BROADCAST_HEADROOM,
      windowGuardMs: e.BROADCAST_WINDOW_GUARD_MS,
      probeSeconds: e.BROADCAST_PROBE_SECONDS,
      maxRemindersPerPerson: e.BROADCAST_MAX_REMINDERS,
      quietHours: e.BROADCAST_QUIET_HOURS,
      concurrency: e.BROADCAST_CONCURRENCY,
      maxAttempts: e.BROADCAST_MAX_ATTEMPTS,
      leaseSeconds: e.BROADCAST_LEASE_SECONDS,
      progressSeconds: e.BROADCAST_PROGRESS_SECONDS,
      pollMs: e.BROADCAST_POLL_MS,
      backoffMs: e.BROADCAST_BACKOFF_MS,
      serviceUrl: e.TEAMS_SERVICE_URL?.replace(/\/$/, ''),
    },
    import: {
      writesPer150s: e.IMPORT_WRITES_PER_150S,
      writesPer5min: e.IMPORT_WRITES_PER_5MIN,
      headroom: e.IMPORT_HEADROOM,
      maxFiles: e.IMPORT_MAX_FILES,
      maxBytes: e.IMPORT_MAX_MEGABYTES * 1_048_576,
      maxRatio: e.IMPORT_MAX_RATIO,
      pollMs: e.IMPORT_POLL_MS,
      leaseSeconds: e.IMPORT_LEASE_SECONDS,
    },
  };
  if (mode === 'm365' && config.sharePoint.mySiteUrl && credential?.kind === 'secret') {
    throw new ConfigError(
      'SHAREPOINT_MYSITE_URL is set, but SharePoint Online refuses app-only tokens obtained with a client secret: ' +
        'set MicrosoftAppCertificatePath (a PEM with the private key and certificate registered on the app) ' +
        'or use a managed identity (MicrosoftAppType=UserAssignedMSI), or unset SHAREPOINT_MYSITE_URL.',
    );
  }
  return deepFreeze(config);
}

/** The admin rules; local mode with none configured uses the demo's app role. */
function adminRules(mode: Mode, upns?: string, groupId?: string, appRole?: string): Config['admins'] {
  const list = (upns ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (mode === 'local' && list.length === 0 && !groupId && !appRole) return { upns: [], appRole: 'HeadshotAdmin' };
  return { upns: list, groupId, appRole };
}

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}
