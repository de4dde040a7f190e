/**
 * Refresh reminders pick exactly the people whose photo is old, on the test clock: photo age is when Headshot applied
 * the picture, or when a coverage scan first saw it (by perceptual hash, so a re-synced copy keeps its age). With
 * the tenant setting on (24 months), the first scan past that age starts one "Time for a new photo?" campaign;
 * it leaves out who opted out, who changed their photo, who has none, and nobody gets it twice for one picture.
 * The real coverage scan, photo pipeline, dispatcher and store, the local tenant's Graph and connector.
 */
import sharp from 'sharp';
import { t } from '../../../bot/src/i18n/i18n';
import type { TenantSettingsView } from '../../../bot/src/api/tab-contract';
import { useHarness } from '../../support/headshot';
import { preview } from '../../support/approvals';
import { as, type ErrorBody } from '../../support/tab-state';
import { cardTexts } from '../../support/teams-chat';
import { ALEX, connectorRecords, member, PATTI, seed, seedWith } from '../../support/broadcasts';

const h = useHarness({ COVERAGE_REFRESH_HOURS: '0', BROADCAST_POLL_MS: '50', BROADCAST_BACKOFF_MS: '50' });
const DAY = 86_400_000;
const MEGAN = '00000000-0000-4000-8000-000000000021';

/** Refresh reminder cards, by recipient (Entra id), as the connector recorded them. */
async function refreshCards(): Promise<Map<string, string[]>> {
  const per = new Map<string, string[]>();
  for (const r of await connectorRecords(h)) {
    const texts = cardTexts((r.activity.attachments as Array<{ content?: unknown }> | undefined)?.[0]?.content);
    const title = (['en', 'fi', 'nl', 'pl'] as const)
      .map((l) => t(l, 'admin.refresh.title'))
      .find((x) => texts.includes(x));
    const to = (r.activity.recipient as { aadObjectId?: string } | undefined)?.aadObjectId;
    if (title && to) per.set(to, [...(per.get(to) ?? []), title]);
  }
  return per;
}

async function scan(): Promise<string> {
  const view = await h.service.admin.coverage.scanNow('test');
  expect(view.state).toBe('done');
  return view.scanId;
}

const refreshCampaigns = async () =>
  (await h.service.admin.broadcastStores.campaigns.listCampaigns(50)).filter((c) => c.message.kind === 'refresh');

test('refresh reminders reach exactly the people whose photo is older than the set age, once per picture', async () => {
  const photo = (color: string) => ({ size: 400, color });
  await seed(
    h,
    seedWith([
      member('old-en', 0, { photo: photo('#204080') }),
      member('old-fi', 1, { photo: photo('#802040') }),
      member('optout', 2, { photo: photo('#408020') }),
      member('outside', 3, { photo: photo('#806020') }),
      member('applied', 0, { photo: photo('#206080') }),
    ]),
  );
  // Off by default; an admin turns it on for photos older than 24 months. A bad age is refused whole.
  const patti = as(h, PATTI);
  expect((await patti.get<TenantSettingsView>('/api/admin/settings')).json.refreshReminders).toEqual({
    enabled: false,
    afterMonths: 24,
  });
  const bad = await patti.put<ErrorBody>('/api/admin/settings', {
    body: { refreshReminders: { enabled: true, afterMonths: 3 } },
  });
  expect(bad.status).toBe(400);
  const on = await patti.put<TenantSettingsView>('/api/admin/settings', {
    body: { refreshReminders: { enabled: true, afterMonths: 24 } },
  });
  expect(on.json.refreshReminders).toEqual({ enabled: true, afterMonths: 24 });

  // Day 0: the first scan sees every photo (Megan's and the five above): nobody's is old yet, so no campaign.
  await scan();
  await h.service.admin.startRefreshReminders();
  expect(await refreshCampaigns()).toEqual([]);

  // A year later: "applied" sends a new photo through Headshot, "outside" gets one elsewhere (a different picture),
  // and "optout" asks for no more reminders. Alex has no photo and never gets a refresh reminder.
  h.clock.advance(365 * DAY);
  const applied = h.chat({ aadObjectId: 'applied', locale: 'en-US' });
  const p = await preview(applied);
  expect(await applied.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  const other = await sharp({ create: { width: 500, height: 500, channels: 3, background: '#ffffff' } })
    .composite([
      { input: { create: { width: 250, height: 500, channels: 3, background: '#000000' } }, left: 0, top: 0 },
    ])
    .jpeg()
    .toBuffer();
  const put = await fetch(`${h.tenant.url}/_control/users/outside/photo`, { method: 'PUT', body: other });
  expect(put.status).toBe(200);
  await h.chat({ aadObjectId: 'optout', locale: 'en-US' }).say('stop reminding me');
  await scan();

  // 24 months and a day after the first scan, "outside" gets the same picture again (synced anew, re-encoded: a new
  // ETag, the same perceptual hash), which keeps its age. The next scan starts one refresh campaign.
  h.clock.advance(365 * DAY + 2 * DAY);
  const again = await sharp(other).jpeg({ quality: 60 }).toBuffer();
  expect(again.equals(other)).toBe(false);
  expect((await fetch(`${h.tenant.url}/_control/users/outside/photo`, { method: 'PUT', body: again })).status).toBe(
    200,
  );
  const scanId = await scan();
  await h.service.admin.startRefreshReminders();
  await h.service.admin.startRefreshReminders(); // the timer ticks again: still one campaign
  const [campaign, ...more] = await refreshCampaigns();
  expect(more).toEqual([]);
  expect(campaign).toMatchObject({
    id: `refresh-${scanId}`,
    createdBy: 'headshot',
    audience: { kind: 'refresh', olderThanMonths: 24 },
  });
  await h.service.admin.dispatcher!.settle(30_000);
  expect(await h.service.admin.broadcasts.progressNow(campaign!.id)).toMatchObject({
    state: 'done',
    total: 3,
    sent: 3,
  });
  const cards = await refreshCards();
  expect([...cards.keys()].sort()).toEqual([MEGAN, 'old-en', 'old-fi'].sort());
  expect(cards.get('old-en')).toEqual([t('en', 'admin.refresh.title')]);
  expect(cards.get('old-fi')).toEqual([t('fi', 'admin.refresh.title')]);
  expect(cards.has(ALEX)).toBe(false);

  // A month later, the next scan: the same pictures already got their reminder, so no second campaign.
  h.clock.advance(30 * DAY);
  await scan();
  await h.service.admin.startRefreshReminders();
  expect(await refreshCampaigns()).toHaveLength(1);

  // Another year on, "applied" and "outside" (pictures from the second year) are old now, and get theirs.
  h.clock.advance(365 * DAY);
  await scan();
  await h.service.admin.startRefreshReminders();
  expect(await refreshCampaigns()).toHaveLength(2);
  await h.service.admin.dispatcher!.settle(30_000);
  const later = await refreshCards();
  expect(later.get('applied')).toHaveLength(1);
  expect(later.get('outside')).toHaveLength(1);
  expect(later.get('old-en')).toHaveLength(1);
  expect(later.has('optout')).toBe(false);
});
