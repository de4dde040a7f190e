/** Shared steps of the admin tests: a tenant with users in every coverage category, the CLI, chats. */
import { DEMO_USERS, demoSeed, type OrgSeed, type SeedUser } from '../../emulator';
import { broadcastCommand, coverageCommand } from '../../bot/src/cli/admin-commands';
import type { Harness } from './headshot';
import { TeamsChat } from './teams-chat';

export const PATTI = DEMO_USERS.patti;
export const ALEX = DEMO_USERS.alex;
const LANGS = ['en-US', 'fi-FI', 'nl-NL', 'pl-PL'] as const;

/** A member without a photo (language by index). */
export function member(id: string, i: number, extra: Partial<SeedUser> = {}): SeedUser {
  return {
    id,
    upn: `${id}@example.com`,
    displayName: `User ${id}`,
    givenName: null,
    surname: null,
    mail: `${id}@example.com`,
    userType: 'Member',
    preferredLanguage: LANGS[i % LANGS.length] as string,
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    mailbox: 'online',
    licensed: true,
    ...extra,
  };
}

/** The demo organisation cut to Alex, Megan (has a photo) and Patti (the admin), plus `extra` users. */
export function seedWith(extra: SeedUser[]): OrgSeed {
  const demo = demoSeed();
  const keep = new Set<string>([DEMO_USERS.alex, DEMO_USERS.megan, PATTI]);
  return {
    ...demo,
    users: [...demo.users.filter((u) => keep.has(u.id)).map((u) => ({ ...u, managerId: undefined })), ...extra],
  };
}

/** Replaces the harness tenant's organisation. */
export async function seed(h: Harness, org: OrgSeed): Promise<void> {
  const res = await fetch(`${h.tenant.url}/_control/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(org),
  });
  expect(res.status).toBe(200);
}

/** Runs `headshot coverage|broadcast …` against the harness's data folder. */
export async function cli(
  h: Harness,
  command: 'coverage' | 'broadcast',
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => void (out += s),
    stderr: (s: string) => void (err += s),
    env: { DATA_DIR: h.dataDir, LOCAL_TENANT_PORT: String(new URL(h.tenant.url).port), PLAYGROUND: '0' },
  };
  const code = await (command === 'coverage' ? coverageCommand : broadcastCommand)(args, io);
  return { code, out, err };
}

/** Patti's chat (the admin). */
export const pattiChat = (h: Harness): TeamsChat =>
  h.chat({ aadObjectId: PATTI, locale: 'en-US', name: 'Patti Fernandez' });

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every message the connector recorded, by conversation. */
export async function connectorRecords(
  h: Harness,
): Promise<
  Array<{ id: string; conversationId: string; kind: string; activity: Record<string, unknown>; updates: number }>
> {
  const res = await fetch(`${h.tenant.url}/_control/connector/activities`);
  return ((await res.json()) as { value: never[] }).value;
}
