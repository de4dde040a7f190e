/** The Teams app package: filled from configuration, valid against the official schema, offline. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import sharp from 'sharp';
import { AppManifestUtils } from '@microsoft/app-manifest';
import type { AppManifest } from '@microsoft/app-manifest';
import {
  fillManifest,
  packageFiles,
  placeholdersIn,
  settingsFromEnv,
  toolkitEnvironment,
  writePackage,
} from '../../../manifest/package-app';

const ENV = {
  MicrosoftAppId: '6f1c3a52-9a55-4c0e-8c1e-2b7d1f0a9e11',
  PUBLIC_BASE_URL: 'https://headshot.contoso.example',
};
const settings = settingsFromEnv(ENV, '1.2.3');
/** The newest Teams manifest schema in @microsoft/app-manifest. */
const NEWEST_SCHEMA = fs
  .readdirSync(
    path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build/json-schemas/teams'),
  )
  .filter((v) => /^v1\.\d+$/.test(v))
  .map((v) => v.slice(1))
  .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
  .at(-1) as string;

test('the filled manifest is valid against the Teams schema shipped in @microsoft/app-manifest', async () => {
  const manifest = fillManifest(settings);
  expect(await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest)).toEqual([]);
  expect(manifest).toMatchObject({
    id: ENV.MicrosoftAppId,
    version: '1.2.3',
    validDomains: ['headshot.contoso.example'],
    webApplicationInfo: { id: ENV.MicrosoftAppId, resource: `api://headshot.contoso.example/${ENV.MicrosoftAppId}` },
    bots: [{ botId: ENV.MicrosoftAppId, scopes: ['personal'], supportsFiles: true }],
  });
  // The newest schema @microsoft/app-manifest ships, and no legacy fields.
  expect(manifest.manifestVersion).toBe(NEWEST_SCHEMA);
  expect(manifest.$schema).toBe(
    `https://developer.microsoft.com/json-schemas/teams/v${NEWEST_SCHEMA}/MicrosoftTeams.schema.json`,
  );
  expect(manifest).not.toHaveProperty('permissions');
  expect(manifest).toMatchObject({ defaultInstallScope: 'personal', showLoadingIndicator: true });
});

test('the toolkit names fill the manifest, and the service names stand in for them', () => {
  const toolkit = settingsFromEnv(
    {
      BOT_ID: ENV.MicrosoftAppId,
      TEAMS_APP_ID: '0d5cc6a3-5a0b-4a39-8e55-3d3c1a2b9f00',
      BOT_ENDPOINT: 'https://abc123-3978.euw.devtunnels.ms',
      APP_VERSION: '2.0.1',
      APP_DEVELOPER_NAME: 'Contoso IT',
    },
    '1.0.0',
  );
  const manifest = fillManifest(toolkit) as { id: string; version: string; developer: { name: string } };
  expect(manifest).toMatchObject({
    id: '0d5cc6a3-5a0b-4a39-8e55-3d3c1a2b9f00',
    version: '2.0.1',
    developer: { name: 'Contoso IT' },
    validDomains: ['abc123-3978.euw.devtunnels.ms'],
  });
  // Every placeholder of the template has a value: a new one without a value would be caught here.
  const template = fs.readFileSync(path.join(__dirname, '../../../manifest/manifest.json'), 'utf8');
  expect(placeholdersIn(template).sort()).toEqual(
    ['APP_DEVELOPER_NAME', 'APP_VERSION', 'BOT_DOMAIN', 'BOT_ENDPOINT', 'BOT_ID', 'TEAMS_APP_ID'].sort(),
  );
});

test('--env reads env/.env.<name>, then its .user file, then the process environment', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-env-'));
  fs.mkdirSync(path.join(root, 'env'));
  fs.writeFileSync(
    path.join(root, 'env', '.env.dev'),
    'BOT_ID=a\nBOT_ENDPOINT=https://x.example\n# note\nAPP_VERSION=\n',
  );
  fs.writeFileSync(path.join(root, 'env', '.env.dev.user'), 'BOT_ID=b\nSECRET_BOT_PASSWORD=s\n');
  expect(toolkitEnvironment('dev', { BOT_ENDPOINT: 'https://y.example', EMPTY: '' }, root)).toMatchObject({
    BOT_ID: 'b',
    BOT_ENDPOINT: 'https://y.example',
    SECRET_BOT_PASSWORD: 's',
    APP_VERSION: '',
  });
  expect(() => toolkitEnvironment('prod', {}, root)).toThrow(/env\/\.env\.prod/);
  expect(() => toolkitEnvironment('../etc', {}, root)).toThrow(/not an environment name/);
});

test('personal tabs: My photo and Approvals under the configured https base, with the bot chat kept', async () => {
  const manifest = fillManifest(settings) as unknown as AppManifest & {
    staticTabs: { entityId: string; name?: string; contentUrl?: string; websiteUrl?: string; scopes: string[] }[];
  };
  expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
  const tabs = manifest.staticTabs;
  expect(tabs.map((tab) => tab.entityId)).toEqual(['conversations', 'photo', 'approvals', 'about']);
  for (const tab of tabs) expect([tab.entityId, tab.scopes]).toEqual([tab.entityId, ['personal']]);
  for (const [entityId, name] of [
    ['photo', 'My photo'],
    ['approvals', 'Approvals'],
  ]) {
    const tab = tabs.find((x) => x.entityId === entityId);
    const url = `${ENV.PUBLIC_BASE_URL}/tab/index.html?page=${entityId}`;
    expect(tab).toEqual({ entityId, name, contentUrl: url, websiteUrl: url, scopes: ['personal'] });
    expect(new URL(tab?.contentUrl as string).protocol).toBe('https:');
    expect(manifest.validDomains).toContain(new URL(tab?.contentUrl as string).host);
  }
  // Reserved tabs carry no URL; no tab is bound to the bot (contentBotId), which Outlook and Microsoft 365 lack.
  expect(tabs.filter((tab) => 'contentBotId' in tab)).toEqual([]);
  expect(
    tabs.filter((tab) => tab.contentUrl).every((tab) => tab.contentUrl?.startsWith(`${ENV.PUBLIC_BASE_URL}/`)),
  ).toBe(true);
  // Tabs need TeamsJS 2 hosts (Outlook, the Microsoft 365 app): manifest 1.13 or later.
  expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(13);
});

test('the tab URLs follow PUBLIC_BASE_URL, so another deployment gets its own', () => {
  const other = fillManifest(settingsFromEnv({ ...ENV, PUBLIC_BASE_URL: 'https://photos.fabrikam.example/' }, '1.0.0'));
  const urls = (other.staticTabs as { contentUrl?: string }[]).flatMap((tab) =>
    tab.contentUrl ? [tab.contentUrl] : [],
  );
  expect(urls).toEqual([
    'https://photos.fabrikam.example/tab/index.html?page=photo',
    'https://photos.fabrikam.example/tab/index.html?page=approvals',
  ]);
  expect(other.validDomains).toEqual(['photos.fabrikam.example']);
});

test('a manifest with a broken field is refused by the same validation (the check can fail)', async () => {
  const manifest = { ...fillManifest(settings), id: 'not-a-guid' };
  expect((await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest)).length).toBeGreaterThan(0);
});

test('every localisation file is valid and names the same bot commands as the manifest', async () => {
  const manifest = fillManifest(settings) as {
    localizationInfo: { additionalLanguages: { file: string }[] };
    bots: { commandLists: { commands: unknown[] }[] }[];
    staticTabs: { name?: string }[];
  };
  const files = packageFiles(settings);
  const schema = JSON.parse(
    fs.readFileSync(
      require.resolve(
        `@microsoft/app-manifest/build/json-schemas/teams/v${NEWEST_SCHEMA}/MicrosoftTeams.Localization.schema.json`,
      ),
      'utf8',
    ),
  );
  // The localisation schema's patterns are not valid unicode regular expressions: compile without the u flag.
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ['uri']);
  const validate = ajv.compile(schema);
  expect(validate({ 'name.short': 'x'.repeat(31) })).toBe(false);
  const required = { 'name.short': 'H', 'description.short': 'd', 'description.full': 'd' };
  expect(validate({ ...required, 'staticTabs[1].name': 'Oma kuva' })).toBe(true);
  expect(validate({ ...required, 'staticTabs[1].title': 'Oma kuva' })).toBe(false); // only the documented keys
  for (const { file } of manifest.localizationInfo.additionalLanguages) {
    const loc = JSON.parse((files.get(file) as Buffer).toString('utf8')) as Record<string, string>;
    expect([file, validate(loc), validate.errors ?? []]).toEqual([file, true, []]);
    const commands = manifest.bots[0].commandLists[0].commands.length;
    for (let i = 0; i < commands; i++) expect(loc[`bots[0].commandLists[0].commands[${i}].title`]).toBeTruthy();
    // Every named static tab has its name in this language, and only those tabs.
    manifest.staticTabs.forEach((tab, i) => {
      const key = `staticTabs[${i}].name`;
      expect([file, key, typeof loc[key]]).toEqual([file, key, tab.name ? 'string' : 'undefined']);
      if (tab.name) expect([file, key, loc[key] !== tab.name]).toEqual([file, key, true]);
    });
  }
});

test('icons: colour 192x192, outline 32x32 with a transparent background', async () => {
  const files = packageFiles(settings);
  const color = await sharp(files.get('color.png') as Buffer).metadata();
  expect([color.width, color.height, color.format]).toEqual([192, 192, 'png']);
  const outline = sharp(files.get('outline.png') as Buffer);
  const meta = await outline.metadata();
  expect([meta.width, meta.height, meta.hasAlpha]).toEqual([32, 32, true]);
  const { data } = await outline.raw().toBuffer({ resolveWithObject: true });
  expect(data[3]).toBe(0); // the corner pixel is fully transparent
  // Every visible pixel of the outline icon is white, as Teams requires.
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3] > 0) expect([data[i], data[i + 1], data[i + 2]]).toEqual([255, 255, 255]);
});

test('the zip holds the manifest, the icons and the localisation files', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-pkg-')), 'app.zip');
  writePackage(settings, out);
  const names = new AdmZip(out)
    .getEntries()
    .map((e) => e.entryName)
    .sort();
  expect(names).toEqual(['color.png', 'fi.json', 'manifest.json', 'nl.json', 'outline.png', 'pl.json']);
});

test.each([
  [{}, /BOT_ID \(or MicrosoftAppId\)/],
  [{ ...ENV, PUBLIC_BASE_URL: 'http://insecure.example' }, /BOT_ENDPOINT \(or PUBLIC_BASE_URL\)/],
  [{ ...ENV, TEAMS_APP_ID: 'x' }, /TEAMS_APP_ID/],
])('missing or bad settings are named: %p', (env, message) => {
  expect(() => settingsFromEnv(env, '1.0.0')).toThrow(message);
});
