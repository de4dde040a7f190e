/**
 * Fills the Teams app manifest template from configuration and writes the app
 * package (manifest.json, icons, localisation files) as a zip.
 *   npm run package            -> dist/headshot-teams-app.zip
 * Needs MicrosoftAppId (the bot's app id) and PUBLIC_BASE_URL (https) in the environment.
 */
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { projectRoot } from '../bot/src/paths';

const HERE = path.join(projectRoot(), 'manifest');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What goes into the manifest. */
export interface PackageSettings {
  botId: string;
  teamsAppId: string;
  publicBaseUrl: string;
  version: string;
  developerName: string;
}

/** Reads the settings from an environment; throws an Error naming what is missing or wrong. */
export function settingsFromEnv(env: Record<string, string | undefined>, version: string): PackageSettings {
  const botId = env.MicrosoftAppId ?? '';
  const teamsAppId = env.TEAMS_APP_ID ?? botId;
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? '').replace(/\/$/, '');
  const problems: string[] = [];
  if (!GUID.test(botId)) problems.push('MicrosoftAppId must be the bot app registration id (a GUID)');
  if (!GUID.test(teamsAppId)) problems.push('TEAMS_APP_ID must be a GUID (defaults to MicrosoftAppId)');
  if (!/^https:\/\/[^/]+$/.test(publicBaseUrl))
    problems.push('PUBLIC_BASE_URL must be the https origin of the service, e.g. https://headshot.contoso.com');
  if (problems.length) throw new Error(`Cannot build the app package:\n  ${problems.join('\n  ')}`);
  return { botId, teamsAppId, publicBaseUrl, version, developerName: env.APP_DEVELOPER_NAME ?? 'Headshot' };
}

/** The manifest template with every placeholder filled; throws if one is left. */
export function fillManifest(settings: PackageSettings): Record<string, unknown> {
  const values: Record<string, string> = {
    VERSION: settings.version,
    TEAMS_APP_ID: settings.teamsAppId,
    BOT_ID: settings.botId,
    PUBLIC_BASE_URL: settings.publicBaseUrl,
    PUBLIC_HOST: new URL(settings.publicBaseUrl).host,
    DEVELOPER_NAME: settings.developerName,
  };
  const template = fs.readFileSync(path.join(HERE, 'manifest.template.json'), 'utf8');
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
    if (!(key in values)) throw new Error(`unknown placeholder {{${key}}}`);
    return JSON.stringify(values[key]).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** The files of the app package, by name. */
export function packageFiles(settings: PackageSettings): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('manifest.json', Buffer.from(JSON.stringify(fillManifest(settings), null, 2)));
  files.set('color.png', fs.readFileSync(path.join(HERE, 'icons', 'color.png')));
  files.set('outline.png', fs.readFileSync(path.join(HERE, 'icons', 'outline.png')));
  for (const name of fs.readdirSync(path.join(HERE, 'locales'))) {
    files.set(name, fs.readFileSync(path.join(HERE, 'locales', name)));
  }
  return files;
}

/** Writes the zip; returns its path. */
export function writePackage(settings: PackageSettings, outFile: string): string {
  const zip = new AdmZip();
  for (const [name, data] of packageFiles(settings)) zip.addFile(name, data);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  zip.writeZip(outFile);
  return outFile;
}

if (require.main === module) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(HERE, '..', 'package.json'), 'utf8')) as { version: string };
    const out = writePackage(
      settingsFromEnv(process.env, pkg.version),
      path.resolve(HERE, '..', 'dist', 'headshot-teams-app.zip'),
    );
    process.stdout.write(
      `Wrote ${out}\nUpload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin center.\n`,
    );
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}
