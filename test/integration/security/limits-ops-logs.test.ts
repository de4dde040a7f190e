/**
 * Per-user upload rate (before any byte is read or downloaded), the operator endpoints
 * (/readyz, /metrics and who may read them), and the logs of a whole run: no tokens,
 * tickets, secrets or photo bytes.
 */
import { DEMO_APP, DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { SignedLinks, uploadLink, type TicketSubject } from '../../../bot/src/api/signed-links';
import { t } from '../../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../../support/headshot';
import { image } from '../../support/photos';
import { cardActions, cardTexts } from '../../support/teams-chat';
import { startM365Harness, TICKET_SECRET } from '../../support/headshot-m365';

const SECRET = 'limits-test-upload-ticket-secret-0123456789';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const photo = image('exif-orientation-examples/Landscape_1.jpg');

let h: Harness;
let tickets: SignedLinks<TicketSubject>;

beforeAll(async () => {
  h = await startHarness({
    UPLOAD_TICKET_SECRET: SECRET,
    UPLOAD_RATE_BURST: '2',
    UPLOAD_RATE_PER_MINUTE: '1',
    METRICS_TOKEN,
  });
  tickets = new SignedLinks(SECRET, uploadLink(30 * 60), () => h.clock.now());
});
afterAll(async () => {
  await h?.close();
});

async function upload(userId: string, locale: 'en' | 'nl' = 'en') {
  const ticket = await tickets.issue({ userId, tenantId: DEMO_TENANT_ID, locale });
  const res = await fetch(`${h.service.url}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/octet-stream' },
    body: photo,
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as { error?: { code: string; message: string } },
  };
}

const storedRequests = async (userId: string) =>
  ((await h.service.db.get('SELECT COUNT(*) AS n FROM photo_requests WHERE user_id = ?', [userId])) as { n: number }).n;

describe('per-user upload rate', () => {
  test('the upload page: over the burst, 429 with Retry-After and a message in the user’s language; nothing stored', async () => {
    expect((await upload(DEMO_USERS.adele, 'nl')).status).toBe(200);
    expect((await upload(DEMO_USERS.adele, 'nl')).status).toBe(200);
    const before = await storedRequests(DEMO_USERS.adele);
    const refused = await upload(DEMO_USERS.adele, 'nl');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.json.error).toMatchObject({
      code: 'input.rate_limited',
      message: t('nl', 'errors.input.rate_limited', { count: Number(refused.retryAfter) }),
    });
    expect(await storedRequests(DEMO_USERS.adele)).toBe(before);
    // Someone else is not affected; the same person may send again once the minute has passed.
    expect((await upload(DEMO_USERS.isaiah)).status).toBe(200);
    h.clock.advance(60_000);
    expect((await upload(DEMO_USERS.adele, 'nl')).status).toBe(200);
  });

  test('chat attachments share the allowance, and a refused one is never downloaded', async () => {
    const chat = h.chat({ aadObjectId: DEMO_USERS.grady, locale: 'en-US' });
    await chat.sendFile(photo, 'a.jpg');
    await chat.sendFile(photo, 'b.jpg');
    await chat.newCards();
    const downloads = async () =>
      (
        await h.control<{ value: unknown[] }>(
          'GET',
          `/_control/requests?method=GET&path=${encodeURIComponent('/_files/')}`,
        )
      ).value.length;
    const before = await downloads();
    expect(before).toBeGreaterThanOrEqual(2);
    await chat.sendFile(photo, 'c.jpg');
    const texts = (await chat.newCards()).flatMap((c) => cardTexts(c.card)).join('\n');
    expect(texts).toContain(t('en', 'errors.input.rate_limited', { count: 60 }).split('.')[0]);
    expect(await downloads()).toBe(before);
  });
});

describe('operator endpoints', () => {
  test('/readyz: the database and a Graph token', async () => {
    const res = await fetch(`${h.service.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { database: { ok: true }, graphToken: { ok: true } } });
  });

  test('/metrics: Prometheus text with the counters, from loopback', async () => {
    const chat = h.chat({ aadObjectId: DEMO_USERS.lynne, locale: 'en-US' });
    await chat.sendFile(image('exif-orientation-examples/Portrait_1.jpg'), 'me.jpg');
    const [card] = await chat.newCards();
    const requestId = cardActions(card.card).find((a) => a.verb === 'photo.confirm')?.data?.requestId;
    await chat.execute(card.activity, 'photo.confirm', { requestId });
    const res = await fetch(`${h.service.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE headshot_photos_applied_total counter$/m);
    expect(Number(/^headshot_photos_applied_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^headshot_http_requests_total\{status="429"\} [1-9]\d*$/m);
    expect(text).toMatch(/^headshot_throttled_total\{source="headshot"\} [1-9]\d*$/m);
  });

  test('/metrics through a proxy (X-Forwarded-For) needs the metrics token', async () => {
    const via = (auth?: string) =>
      fetch(`${h.service.url}/metrics`, {
        headers: { 'x-forwarded-for': '203.0.113.9', ...(auth ? { authorization: auth } : {}) },
      }).then((r) => r.status);
    expect(await via()).toBe(401);
    expect(await via('Bearer wrong-token-0123456789')).toBe(401);
    expect(await via(`Bearer ${METRICS_TOKEN}`)).toBe(200);
  });
});

test('the logs of a whole run hold no tokens, tickets, secrets or photo bytes', async () => {
  // Local mode: chat, upload page, confirm, status. m365 wiring: a channel token and signed replies.
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  await chat.say('päivitä kuvani');
  const [howTo] = await chat.newCards();
  const link = cardActions(howTo.card).find((a) => a.type === 'Action.OpenUrl')?.url as string;
  const ticket = link.split('#ticket=')[1] as string;
  await fetch(`${h.service.url}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ticket}` },
    body: photo,
  }).then((r) => r.arrayBuffer());
  await chat.say('kuvan tila');
  await fetch(`${h.service.url}/api/status`, { headers: { authorization: `Bearer ${ticket}` } }).then((r) =>
    r.arrayBuffer(),
  );

  const m = await startM365Harness();
  let channelToken = '';
  try {
    channelToken = await m.channelToken();
    await fetch(`${m.service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${channelToken}` },
      body: JSON.stringify({
        type: 'message',
        id: 'x1',
        channelId: 'msteams',
        serviceUrl: m.tenant.url,
        text: 'help',
        from: { id: `29:${DEMO_USERS.alex}`, aadObjectId: DEMO_USERS.alex },
        recipient: { id: '28:headshot' },
        conversation: { id: 'a:logs', conversationType: 'personal', tenantId: DEMO_TENANT_ID },
        channelData: { tenant: { id: DEMO_TENANT_ID } },
      }),
    }).then((r) => r.arrayBuffer());
  } finally {
    await m.close();
  }

  const logs = h.logLines.join('') + m.logLines.join('');
  expect(logs.length).toBeGreaterThan(0);
  for (const secret of [ticket, SECRET, TICKET_SECRET, METRICS_TOKEN, DEMO_APP.clientSecret, channelToken])
    expect(logs).not.toContain(secret);
  expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT of any kind
  expect(logs).not.toMatch(/Bearer\s+\S{20,}/);
  expect(logs).not.toContain('/9j/'); // base64 JPEG
  expect(logs).not.toContain(Buffer.from(photo.subarray(0, 48)).toString('base64').slice(0, 40));
  expect(logs).not.toContain(Buffer.from(photo.subarray(0, 32)).toString('hex'));
});
