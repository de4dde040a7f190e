/**
 * Builds the Teams app package the way the Microsoft 365 Agents Toolkit's `teamsApp/zipAppPackage` does: the
 * manifest (`manifest/manifest.json`, with the toolkit's `${{VAR}}` placeholders) filled from the environment, and
 * the files it names (icons, localisation files) beside it in one flat zip.
 *
 *   npm run package                  -> dist/headshot-teams-app.zip, from the process environment
 *   npm run package -- --env dev     -> manifest/build/appPackage.dev.zip, from env/.env.dev (+ .env.dev.user)
 *
 * The toolkit's names are read first; the service's own names stand in for them (MicrosoftAppId for BOT_ID,
 * PUBLIC_BASE_URL for BOT_ENDPOINT), so one configuration builds both the service and its app package.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import AdmZip from 'adm-zip';
import { projectRoot } from '../bot/src/paths';

const HERE = path.join(projectRoot(), 'manifest');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{([A-Za-z0-9_]+)\}\}/g;

/** What goes into the manifest. */
export interface PackageSettings {
  botId: string;
  teamsAppId: string;
  /** The service's https origin (the toolkit's BOT_ENDPOINT): bot messages, tab pages, SSO. */
  publicBaseUrl: string;
  version: string;
  developerName: string;
}

/** Reads the settings from an environment; throws an Error naming what is missing or wrong. */
export function settingsFromEnv(env: Record<string, string | undefined>, version: string): PackageSettings {
  const botId = env.BOT_ID || env.MicrosoftAppId || '';
  const teamsAppId = env.TEAMS_APP_ID || botId;
  const publicBaseUrl = (env.BOT_ENDPOINT || env.PUBLIC_BASE_URL || '').replace(/\/$/, '');
  const problems: string[] = [];
  if (!GUID.test(botId)) problems.push('BOT_ID (or MicrosoftAppId) must be the bot app registration id (a GUID)');
  if (!GUID.test(teamsAppId)) problems.push('TEAMS_APP_ID must be a GUID (defaults to the bot id)');
  if (!/^https:\/\/[^/]+$/.test(publicBaseUrl))
    problems.push(
      'BOT_ENDPOINT (or PUBLIC_BASE_URL) must be the https origin of the service, e.g. https://headshot.contoso.com',
    );
  if (problems.length) throw new Error(`Cannot build the app package:\n  ${problems.join('\n  ')}`);
  return {
    botId,
    teamsAppId,
    publicBaseUrl,
    version: env.APP_VERSION || version,
    developerName: env.APP_DEVELOPER_NAME || 'Headshot',
  };
}

/** The values of the manifest's placeholders. */
function placeholderValues(settings: PackageSettings): Record<string, string> {
  return {
    APP_VERSION: settings.version,
    TEAMS_APP_ID: settings.teamsAppId,
    BOT_ID: settings.botId,
    BOT_ENDPOINT: settings.publicBaseUrl,
    BOT_DOMAIN: new URL(settings.publicBaseUrl).host,
    APP_DEVELOPER_NAME: settings.developerName,
  };
}

/** The names of the placeholders a template uses (for the checks that every one has a value). */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** The manifest with every placeholder filled; throws if one has no value. */
export function fillManifest(settings: PackageSettings): Record<string, unknown> {
  const values = placeholderValues(settings);
  const template = fs.readFileSync(path.join(HERE, 'manifest.json'), 'utf8');
  const filled = template.replace(PLACEHOLDER, (_m, key: string) => {
    if (!(key in values)) throw new Error(`unknown placeholder \${{${key}}}`);
    return JSON.stringify(values[key]).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** The files of the app package, by name: the manifest and every file it names, as the toolkit zips them. */
export function packageFiles(settings: PackageSettings): Map<string, Buffer> {
  const manifest = fillManifest(settings) as {
    icons: { color: string; outline: string };
    localizationInfo?: { additionalLanguages?: { file: string }[] };
  };
  const files = new Map<string, Buffer>();
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  const named = [
    manifest.icons.color,
    manifest.icons.outline,
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file),
  ];
  for (const name of named) files.set(name, fs.readFileSync(path.join(HERE, name)));
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

/**
 * The Agents Toolkit environment `name` as the toolkit reads it: `env/.env.<name>`, then the git-ignored
 * `env/.env.<name>.user` (secrets), then the process environment over both.
 */
export function toolkitEnvironment(
  name: string,
  processEnv: Record<string, string | undefined>,
  root = projectRoot(),
): Record<string, string | undefined> {
  if (!/^[a-z0-9-]+$/i.test(name)) throw new Error(`'${name}' is not an environment name (letters, digits, -)`);
  const file = path.join(root, 'env', `.env.${name}`);
  if (!fs.existsSync(file)) throw new Error(`There is no env/.env.${name}: run "atk provision --env ${name}" first.`);
  const user = `${file}.user`;
  const values: Record<string, string | undefined> = { ...parseEnv(fs.readFileSync(file, 'utf8')) };
  if (fs.existsSync(user)) Object.assign(values, parseEnv(fs.readFileSync(user, 'utf8')));
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined && v !== '') values[k] = v;
  return values;
}

if (require.main === module) {
  try {
    const { values } = parseArgs({ options: { env: { type: 'string' } } });
    const pkg = JSON.parse(fs.readFileSync(path.resolve(HERE, '..', 'package.json'), 'utf8')) as { version: string };
    const env = values.env ? toolkitEnvironment(values.env, process.env) : process.env;
    let settings: PackageSettings;
    try {
      settings = settingsFromEnv(env, pkg.version);
    } catch (err) {
      // Empty values in env/.env.<name> are filled by provisioning.
      if (!values.env) throw err;
      throw new Error(
        `${(err as Error).message}\n(env/.env.${values.env} is filled by "atk provision --env ${values.env}")`,
      );
    }
    const out = writePackage(
      settings,
      values.env
        ? path.join(HERE, 'build', `appPackage.${values.env}.zip`)
        : path.resolve(HERE, '..', 'dist', 'headshot-teams-app.zip'),
    );
    process.stdout.write(
      `Wrote ${out}\nUpload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin center.\n`,
    );
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}
