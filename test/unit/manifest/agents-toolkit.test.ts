/**
 * The Microsoft 365 Agents Toolkit project, checked offline as far as it goes without a tenant: both project files
 * against the toolkit's published schema, every `${{VAR}}` they, the manifest, the Entra app manifest and the Bicep
 * parameters use has a source in that environment, the VS Code launch and task files hang together, and the Entra
 * app asks for exactly the permissions docs/app-registration.md lists.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import Ajv from 'ajv';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';

const ROOT = path.join(__dirname, '../../..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const SCHEMA = JSON.parse(read('test/fixtures/agents-toolkit/yaml.schema.v1.13.json')) as object;

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface Project {
  version: string;
  environmentFolderPath: string;
  provision: Action[];
  deploy?: Action[];
  publish?: Action[];
}

const PROJECTS = [
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
] as const;

const project = (file: string): Project => parseYaml(read(file)) as Project;
const validator = () => new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

/** `${{NAME}}` (and `${{env:NAME}}` in VS Code files) used in a text. */
function used(text: string): string[] {
  return [...text.matchAll(/\$\{\{(?:[a-z]+:)?([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1] as string);
}

/** What the toolkit's `script` action in infra/toolkit-env.js sets (it prints `::set-teamsfx-env NAME=…`). */
function scriptOutputs(): string[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'infra/toolkit-env.js')], {
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  return [...out.matchAll(/^::set-teamsfx-env ([A-Z0-9_]+)=/gm)].map((m) => m[1] as string);
}

/** The Bicep outputs arm/deploy writes into the environment (outputs named in UPPER_SNAKE_CASE). */
function bicepOutputs(): string[] {
  return [...read('infra/main.bicep').matchAll(/^output ([A-Z0-9_]+) /gm)].map((m) => m[1] as string);
}

/** The variables the "Start local tunnel" task writes (BOT_ENDPOINT, BOT_DOMAIN). */
function tunnelOutputs(): string[] {
  const tasks = jsonc('.vscode/tasks.json') as {
    tasks: { args?: { ports?: { writeToEnvironmentFile?: object }[] } }[];
  };
  return tasks.tasks.flatMap((t) =>
    (t.args?.ports ?? []).flatMap((p) => Object.values(p.writeToEnvironmentFile ?? {})),
  );
}

function jsonc(file: string): unknown {
  const errors: ParseError[] = [];
  const value = parseJsonc(read(file), errors, { allowTrailingComma: false });
  expect([file, errors]).toEqual([file, []]);
  return value;
}

describe.each(PROJECTS)('$file', ({ file, env }) => {
  test('is valid against the toolkit schema v1.13, and the schema can refuse', () => {
    const validate = validator();
    const doc = project(file);
    expect([validate(doc), validate.errors ?? []]).toEqual([true, []]);
    expect(doc.version).toBe('v1.13');
    expect(validate({ ...doc, provision: [{ uses: 'teamsApp/create', with: { name: 'x' } }] })).toBe(false);
    expect(validate({ ...doc, version: 'v9.99' })).toBe(false);
  });

  test(`every \${{VAR}} has a source in env/.env.${env} or an action before it`, () => {
    const doc = project(file);
    const declared = Object.keys(parseEnv(read(`env/.env.${env}`)));
    const known = new Set<string>([...declared, ...scriptOutputs(), ...(env === 'local' ? tunnelOutputs() : [])]);
    const missing: string[] = [];
    const check = (where: string, text: string) => {
      for (const name of used(text)) if (!known.has(name)) missing.push(`${where}: ${name}`);
    };
    for (const action of [...doc.provision, ...(doc.deploy ?? []), ...(doc.publish ?? [])]) {
      check(action.uses, JSON.stringify(action.with ?? {}));
      if (action.uses === 'arm/deploy') {
        for (const template of (action.with?.templates ?? []) as { parameters: string }[])
          check(template.parameters, read(template.parameters));
        for (const output of bicepOutputs()) known.add(output);
      }
      // Files an action reads are filled from the environment as it stands then.
      if (action.uses === 'aadApp/update') check('aad.manifest.json', read(String(action.with?.manifestPath)));
      if (action.uses === 'teamsApp/zipAppPackage') check('manifest', read(String(action.with?.manifestPath)));
      for (const name of Object.values(action.writeToEnvironmentFile ?? {})) known.add(name);
    }
    // aadApp/update makes the access_as_user scope id when it is empty.
    expect(missing.filter((m) => !m.endsWith('AAD_APP_ACCESS_AS_USER_PERMISSION_ID'))).toEqual([]);
  });

  test('secrets are written to the git-ignored .user file, never to the committed environment file', () => {
    const doc = project(file);
    const secrets = [...doc.provision, ...(doc.deploy ?? [])]
      .flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {}))
      .filter((name) => /SECRET|PASSWORD/.test(name));
    expect(secrets.every((name) => name.startsWith('SECRET_'))).toBe(true);
    const committed = parseEnv(read(`env/.env.${env}`));
    expect(Object.keys(committed).filter((k) => k.startsWith('SECRET_'))).toEqual([]);
    expect(read('.gitignore')).toMatch(/^env\/\.env\.\*\.user$/m);
  });
});

test('the project files name the manifest, the Entra app manifest and the Bicep that exist', () => {
  for (const { file } of PROJECTS) {
    const doc = project(file);
    const paths = [...doc.provision, ...(doc.deploy ?? []), ...(doc.publish ?? [])].flatMap((a) => [
      ...['manifestPath'].map((k) => a.with?.[k]).filter((v): v is string => typeof v === 'string'),
      ...((a.with?.templates ?? []) as { path: string; parameters: string }[]).flatMap((t) => [t.path, t.parameters]),
    ]);
    expect(paths.length).toBeGreaterThan(2);
    for (const p of paths) expect([file, p, fs.existsSync(path.join(ROOT, p))]).toEqual([file, p, true]);
  }
  expect(fs.existsSync(path.join(ROOT, '.webappignore'))).toBe(true);
  expect(read('.webappignore')).toMatch(/^node_modules\/$/m);
});

test('VS Code: every debug entry starts a task that exists, and every task it depends on exists', () => {
  const launch = jsonc('.vscode/launch.json') as {
    configurations: { name: string; url?: string }[];
    compounds: { name: string; configurations: string[]; preLaunchTask: string }[];
  };
  const tasks = (jsonc('.vscode/tasks.json') as { tasks: { label: string; dependsOn?: string[] }[] }).tasks;
  const labels = new Set(tasks.map((t) => t.label));
  const configurations = new Set(launch.configurations.map((c) => c.name));
  for (const task of tasks)
    for (const dep of task.dependsOn ?? []) expect([task.label, labels.has(dep)]).toEqual([task.label, true]);
  expect(launch.compounds.map((c) => c.name)).toEqual(
    expect.arrayContaining([
      'Debug in Teams (Edge)',
      'Debug in Outlook (Edge)',
      'Debug in the Microsoft 365 app (Edge)',
    ]),
  );
  for (const compound of launch.compounds) {
    expect([compound.name, labels.has(compound.preLaunchTask)]).toEqual([compound.name, true]);
    for (const c of compound.configurations)
      expect([compound.name, c, configurations.has(c)]).toEqual([compound.name, c, true]);
  }
  // The URLs read the local environment's ids, which provisioning writes there.
  const local = new Set(Object.keys(parseEnv(read('env/.env.local'))));
  for (const c of launch.configurations)
    for (const m of (c.url ?? '').matchAll(/\$\{\{local:([A-Z0-9_]+)\}\}/g))
      expect([c.name, local.has(m[1] as string)]).toEqual([c.name, true]);
  // The service the tasks start is the one the debugger attaches to.
  expect(JSON.parse(read('package.json')).scripts['dev:teams']).toMatch(/--inspect=9239 --env-file=\.localConfigs /);
});

test("the Entra app: SSO for the manifest's resource, Teams and Outlook pre-authorised, the documented permissions", () => {
  const aad = JSON.parse(read('aad.manifest.json')) as {
    identifierUris: string[];
    api: { oauth2PermissionScopes: { value: string }[]; preAuthorizedApplications: { appId: string }[] };
    requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  };
  const manifest = JSON.parse(read('manifest/manifest.json')) as { webApplicationInfo: { resource: string } };
  expect(aad.identifierUris).toEqual([manifest.webApplicationInfo.resource]);
  expect(aad.api.oauth2PermissionScopes.map((s) => s.value)).toEqual(['access_as_user']);
  // The Teams, Outlook and Microsoft 365 clients docs/app-registration.md lists (desktop, web, mobile).
  const docs = read('docs/app-registration.md');
  const documentedClients = [...docs.slice(docs.indexOf('pre-authorise')).matchAll(/`([0-9a-f-]{36})`/g)].map(
    (m) => m[1],
  );
  expect(documentedClients.length).toBeGreaterThanOrEqual(9);
  expect(aad.api.preAuthorizedApplications.map((a) => a.appId).sort()).toEqual([...new Set(documentedClients)].sort());
  // Application permissions: exactly the Graph table of docs/app-registration.md.
  const graphTable = docs.slice(
    docs.indexOf('## Microsoft Graph application permissions'),
    docs.indexOf('## SharePoint'),
  );
  const documented = [...graphTable.matchAll(/^\| `([A-Za-z.]+)`/gm)].map((m) => m[1]).sort();
  const graph = aad.requiredResourceAccess.find((r) => r.resourceAppId === 'Microsoft Graph');
  expect(
    graph?.resourceAccess
      .filter((a) => a.type === 'Role')
      .map((a) => a.id)
      .sort(),
  ).toEqual(documented);
});
