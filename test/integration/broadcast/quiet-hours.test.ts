/**
 * Quiet hours: a reminder reaches each person within their working hours, read from their mailbox settings (time
 * zone and working hours, Outlook's Monday-to-Friday 08:00-17:00 when they set none); people without an Exchange
 * Online mailbox get it at once. The real dispatcher, store and Graph reader, the local tenant's mailboxSettings
 * and connector, and the test clock moved through a Monday in Tokyo, Berlin, Helsinki and Seattle.
 */
import { DEMO_USERS } from '../../../emulator';
import { useHarness } from '../../support/headshot';
import { connectorRecords, member, PATTI, seed, seedWith, until } from '../../support/broadcasts';

const h = useHarness({
  COVERAGE_REFRESH_HOURS: '0',
  BROADCAST_POLL_MS: '50',
  BROADCAST_BACKOFF_MS: '50',
  BROADCAST_QUIET_HOURS: '1',
});

/** Moves the test clock forward to `iso` (the clock starts at the real time, before 2030). */
function clockTo(iso: string): void {
  const ms = new Date(iso).getTime() - h.clock.now().getTime();
  expect(ms).toBeGreaterThan(0);
  h.clock.advance(ms);
}

/** The people (Entra ids) the connector delivered a message to. */
async function reached(): Promise<string[]> {
  return (await connectorRecords(h))
    .map((r) => (r.activity.recipient as { aadObjectId?: string } | undefined)?.aadObjectId ?? '')
    .filter((id) => id !== '')
    .sort();
}

test('each reminder waits for its recipient working hours; no mailbox, no wait', async () => {
  await seed(
    h,
    seedWith([
      member('tokyo', 0, { timeZone: 'Tokyo Standard Time' }),
      member('berlin', 0, { timeZone: 'W. Europe Standard Time' }),
      member('seattle', 0, { timeZone: 'Pacific Standard Time' }),
      member('shift', 0, { timeZone: 'W. Europe Standard Time' }),
      member('nomailbox', 0, { mailbox: 'none', licensed: false }),
    ]),
  );
  // "shift" works Tuesday to Saturday, 10:00 to 14:00 (set as in Outlook's settings).
  const changed = await h.control<{ workingHours: unknown }>('PATCH', '/_control/users/shift/mailbox-settings', {
    workingHours: {
      daysOfWeek: ['tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
      startTime: '10:00:00.0000000',
      endTime: '14:00:00.0000000',
    },
  });
  expect(changed.workingHours).toMatchObject({ startTime: '10:00:00.0000000' });

  // Monday 4 January 2027, 09:00 UTC: 10:00 in Berlin, 11:00 in Helsinki, 18:00 in Tokyo, 01:00 in Seattle.
  clockTo('2027-01-04T09:00:00Z');
  const { campaign } = await h.service.admin.broadcasts.create(PATTI, {
    message: { kind: 'reminder' },
    audience: { kind: 'everyone', includeGuests: false, includeDisabled: false },
  });
  const progress = () => h.service.admin.broadcasts.progressNow(campaign.id);
  const heldAre = (n: number) => async () => {
    await h.service.admin.dispatcher!.tick();
    const p = await progress();
    return p.total === 8 && p.waiting === n && p.outsideWorkingHours === n;
  };

  await until(heldAre(5), 20_000, 'five reminders held');
  // Megan is in Helsinki (her language's time zone); the one without a mailbox has no working hours to wait for.
  expect(await reached()).toEqual(['berlin', DEMO_USERS.megan, 'nomailbox'].sort());
  expect(await progress()).toMatchObject({ state: 'sending', sent: 3, failed: 0, secondsLeft: null });

  // 08:00 in Seattle: Alex, Patti and Seattle (Pacific time) get theirs.
  clockTo('2027-01-04T16:00:30Z');
  await until(heldAre(2), 20_000, 'two reminders held');
  expect(await reached()).toEqual(['berlin', DEMO_USERS.megan, 'nomailbox', 'seattle', DEMO_USERS.alex, PATTI].sort());

  // 08:00 on Tuesday in Tokyo (23:00 UTC on Monday).
  clockTo('2027-01-04T23:00:30Z');
  await until(heldAre(1), 20_000, 'one reminder held');
  expect(await reached()).toContain('tokyo');
  expect(await reached()).not.toContain('shift');

  // Tuesday 10:00 in Berlin: the last one, and the campaign is done.
  clockTo('2027-01-05T09:00:30Z');
  await h.service.admin.dispatcher!.settle(20_000);
  expect(await progress()).toMatchObject({ state: 'done', total: 8, sent: 8, waiting: 0, outsideWorkingHours: 0 });
  expect(await reached()).toHaveLength(8);
});
