/** loadConfig: defaults, errors that name the key, m365 mode's required keys, deep freezing. */
import { ConfigError, loadConfig, type Config } from '../../bot/src/config';

const M365 = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'app-password',
  MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
  UPLOAD_TICKET_SECRET: 'x'.repeat(32),
  PUBLIC_BASE_URL: 'https://headshot.contoso.com/',
};

function configError(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('an empty environment is local mode with the documented defaults', () => {
  const c = loadConfig({});
  expect(c).toEqual<Config>({
    mode: 'local',
    port: 3978,
    host: '127.0.0.1',
    unsafeLocalListen: false,
    publicBaseUrl: undefined,
    localTenantPort: 3979,
    localSharePoint: 'modern',
    playground: true,
    playgroundPort: 56150,
    dataDir: './data',
    databaseUrl: undefined,
    databaseEntraAuth: false,
    localTenantUrl: undefined,
    logLevel: 'info',
    bot: { appId: undefined, appPassword: undefined, tenantId: undefined, appType: 'SingleTenant' },
    credential: undefined,
    botAuth: {
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      tokenIssuer: 'https://api.botframework.com',
      connectorScope: 'https://api.botframework.com',
    },
    sso: { audiences: [] },
    uploadRate: { perMinute: 6, burst: 5 },
    metrics: { token: undefined, logSeconds: 300 },
    graphBaseUrl: 'http://127.0.0.1:3979',
    authorityHost: 'http://127.0.0.1:3979',
    photo: {
      maxBytes: 20 * 1024 * 1024,
      maxPixels: 50_000_000,
      minSide: 96,
      background: '#ffffff',
      concurrency: undefined,
      queueLimit: 8,
      heicMemoryMb: 640,
      faceCheck: { enabled: true, timeoutMs: 8_000 },
    },
    requestTtlHours: 24,
    download: { timeoutMs: 15_000, allowedHosts: [], allowLoopback: true },
    uploadTicketSecret: undefined,
    sharePoint: { mySiteUrl: undefined, resource: undefined, pictures: 'auto', thumbnailSides: [48, 72, 200] },
    status: {
      teamsCacheDays: 60,
      adPhotoMaxBytes: 10240,
      followThrough: { enabled: true, everyHours: 6, limitHours: 72 },
    },
    approvals: { teamsAppId: undefined, tickSeconds: 60 },
    admins: { upns: [], appRole: 'HeadshotAdmin' },
    coverage: { refreshHours: 24, minPhotoSide: 240 },
    broadcast: {
      ratePerSecond: 50,
      headroom: 1,
      windowGuardMs: 15,
      probeSeconds: 30,
      quietHours: true,
      maxRemindersPerPerson: 3,
      concurrency: 16,
      maxAttempts: 5,
      leaseSeconds: 30,
      progressSeconds: 3,
      pollMs: 1000,
      backoffMs: 1000,
      serviceUrl: undefined,
    },
    import: {
      writesPer150s: 3000,
      writesPer5min: 18000,
      headroom: 0.1,
      maxFiles: 20000,
      maxBytes: 4096 * 1048576,
      maxRatio: 100,
      pollMs: 1000,
      leaseSeconds: 30,
    },
  });
});

test('admins are configured, never hard-coded: m365 mode without rules has no admin', () => {
  expect(loadConfig({ ...M365 }).admins).toEqual({ upns: [], groupId: undefined, appRole: undefined });
  expect(loadConfig({ ADMIN_UPNS: ' a@x.com, b@x.com ,', ADMIN_GROUP_ID: 'g1' }).admins).toEqual({
    upns: ['a@x.com', 'b@x.com'],
    groupId: 'g1',
    appRole: undefined,
  });
});

test('values are parsed from strings', () => {
  const c = loadConfig({
    PORT: '0',
    LOCAL_TENANT_PORT: '4000',
    PLAYGROUND: 'no',
    PHOTO_MAX_BYTES: '1048576',
    PHOTO_BACKGROUND: '#00FF7f',
    PHOTO_CONCURRENCY: '3',
    REQUEST_TTL_HOURS: '0.5',
    ALLOWED_DOWNLOAD_HOSTS: ' files.example.com , .cdn.example.com,, ',
    LOG_LEVEL: 'silent',
  });
  expect(c).toMatchObject({
    port: 0,
    playground: false,
    graphBaseUrl: 'http://127.0.0.1:4000',
    photo: { maxBytes: 1_048_576, background: '#00FF7f', concurrency: 3 },
    requestTtlHours: 0.5,
    download: { allowedHosts: ['files.example.com', '.cdn.example.com'], allowLoopback: true },
    logLevel: 'silent',
  });
});

test.each([
  ['PORT', '70000'],
  ['PORT', 'http'],
  ['PLAYGROUND', 'maybe'],
  ['LOG_LEVEL', 'verbose'],
  ['PHOTO_MAX_BYTES', '-1'],
  ['PHOTO_MAX_BYTES', '1.5'],
  ['PHOTO_BACKGROUND', 'white'],
  ['REQUEST_TTL_HOURS', '0'],
  ['PUBLIC_BASE_URL', 'not a url'],
  ['UPLOAD_TICKET_SECRET', 'too-short'],
  ['MicrosoftAppType', 'Personal'],
])('an invalid %s (%j) is refused, naming the key', (key, value) => {
  const message = configError({ [key]: value });
  expect(message).toMatch(new RegExp(`^\\s*${key}: `, 'm'));
  // Only that key is named.
  expect(message.split('\n').filter((l) => /^\s+\S+: /.test(l))).toHaveLength(1);
});

test('every invalid key is named at once', () => {
  const message = configError({ PORT: 'x', PHOTO_BACKGROUND: 'red' });
  expect(message).toMatch(/^\s*PORT: /m);
  expect(message).toMatch(/^\s*PHOTO_BACKGROUND: .*#ffffff/m);
});

test.each([
  ['', 'PORT'],
  ['', 'PHOTO_QUEUE_LIMIT'],
  ['', 'PUBLIC_BASE_URL'],
])('an empty value (%j) for %s counts as not set: the default applies', (value, key) => {
  const c = loadConfig({ [key]: value });
  const d = loadConfig({});
  expect(c).toEqual(d);
});

describe('m365 mode', () => {
  test('is chosen by MicrosoftAppId and points at Microsoft, not the local tenant', () => {
    const c = loadConfig(M365);
    expect(c).toMatchObject({
      mode: 'm365',
      playground: false,
      publicBaseUrl: 'https://headshot.contoso.com',
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      bot: {
        appId: M365.MicrosoftAppId,
        appPassword: 'app-password',
        tenantId: M365.MicrosoftAppTenantId,
        appType: 'SingleTenant',
      },
      uploadTicketSecret: M365.UPLOAD_TICKET_SECRET,
      download: { allowLoopback: false },
    });
    expect(c.download.allowedHosts).toEqual(expect.arrayContaining(['.sharepoint.com', 'smba.trafficmanager.net']));
  });

  test.each(['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'UPLOAD_TICKET_SECRET', 'PUBLIC_BASE_URL'] as const)(
    'without %s it refuses to start and names it',
    (key) => {
      const env: Record<string, string | undefined> = { ...M365, [key]: undefined };
      const message = configError(env);
      expect(message).toContain('m365 mode');
      expect(message).toContain(key);
      for (const other of [
        'MicrosoftAppPassword',
        'MicrosoftAppTenantId',
        'UPLOAD_TICKET_SECRET',
        'PUBLIC_BASE_URL',
      ].filter((k) => k !== key)) {
        expect(message).not.toContain(other);
      }
    },
  );

  test('names every missing key at once', () => {
    const message = configError({ MicrosoftAppId: M365.MicrosoftAppId });
    for (const key of ['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'UPLOAD_TICKET_SECRET', 'PUBLIC_BASE_URL'])
      expect(message).toContain(key);
  });

  test('a managed identity needs no password', () => {
    const { MicrosoftAppPassword: _unused, ...rest } = M365;
    expect(loadConfig({ ...rest, MicrosoftAppType: 'UserAssignedMSI' }).bot.appPassword).toBeUndefined();
  });

  test('an empty ALLOWED_DOWNLOAD_HOSTS keeps the Microsoft 365 defaults instead of allowing nothing', () => {
    expect(loadConfig({ ...M365, ALLOWED_DOWNLOAD_HOSTS: '' }).download.allowedHosts).toEqual(
      loadConfig(M365).download.allowedHosts,
    );
  });
});

test('the result is deeply frozen, and freezing one result does not affect the next', () => {
  const c = loadConfig(M365) as Config;
  expect(Object.isFrozen(c)).toBe(true);
  for (const part of [c.bot, c.photo, c.download, c.download.allowedHosts]) expect(Object.isFrozen(part)).toBe(true);
  expect(() => {
    (c as { port: number }).port = 1;
  }).toThrow(TypeError);
  expect(() => {
    (c.download.allowedHosts as string[]).push('evil.example');
  }).toThrow(TypeError);
  expect(() => {
    (c.photo as { maxBytes: number }).maxBytes = 1;
  }).toThrow(TypeError);
  expect(c.port).toBe(3978);

  const again = loadConfig({ ...M365, ALLOWED_DOWNLOAD_HOSTS: 'a.example' });
  expect(again.download.allowedHosts).toEqual(['a.example']);
});

describe('local mode listens on loopback only', () => {
  test.each(['0.0.0.0', '::', '192.168.1.20', 'my-host.example'])(
    'HOST=%s is refused, saying why and what to do',
    (host) => {
      const message = configError({ HOST: host });
      expect(message).toContain(`HOST=${host} is not a loopback address`);
      expect(message).toContain('LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK=1');
    },
  );

  test.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])('HOST=%s is fine', (host) => {
    expect(loadConfig({ HOST: host })).toMatchObject({ host, unsafeLocalListen: false });
  });

  test('the loudly named setting lets it listen on the network, and says so', () => {
    expect(loadConfig({ HOST: '0.0.0.0', LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK: '1' })).toMatchObject({
      host: '0.0.0.0',
      unsafeLocalListen: true,
    });
  });

  test('m365 mode listens where it is told', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: 'tenant',
      UPLOAD_TICKET_SECRET: 'a-secret-of-at-least-thirty-two-characters',
      PUBLIC_BASE_URL: 'https://headshot.example.com',
    });
    expect(c).toMatchObject({ mode: 'm365', host: '0.0.0.0', unsafeLocalListen: false });
  });
});
