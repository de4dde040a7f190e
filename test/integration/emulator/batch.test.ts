import sharp from 'sharp';
import { DEMO_USERS } from '../../../emulator';
import { squareJpeg, TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let app: string;
beforeAll(async () => {
  t = await TenantClient.start();
  app = await t.appToken();
});
afterAll(() => t.close());
beforeEach(() => t.control('POST', '/_control/reset'));

const batch = (requests: unknown[]) => t.graph(app, 'POST', '/v1.0/$batch', { json: { requests } });

describe('POST /v1.0/$batch', () => {
  test('routes inner requests through the same handlers; binary bodies come back base64', async () => {
    const a = await batch([
      { id: '1', method: 'GET', url: `/users/${DEMO_USERS.alex}?$select=id,displayName` },
      { id: '2', method: 'GET', url: `/users/${DEMO_USERS.megan}/photo/$value` },
      { id: '3', method: 'GET', url: `users/${DEMO_USERS.alex}/photo` },
      { id: '4', method: 'GET', url: '/users/nobody@example.com' },
    ]);
    expect(a.status).toBe(200);
    const byId = new Map((a.json.responses as Array<{ id: string }>).map((r) => [r.id, r as Record<string, any>])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(byId.get('1')).toMatchObject({ status: 200, body: { id: DEMO_USERS.alex, displayName: 'Alex Wilber' } });
    expect(byId.get('2')?.status).toBe(200);
    expect(byId.get('2')?.headers['Content-Type']).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(byId.get('2')?.body as string, 'base64')).metadata();
    expect(meta).toMatchObject({ width: 648, height: 648 });
    expect(byId.get('3')).toMatchObject({ status: 404, body: { error: { code: 'ImageNotFound' } } });
    expect(byId.get('4')).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
  });

  test('an inner request can hit its own 429 while the batch is 200', async () => {
    const fault = await t.control('POST', '/_control/faults', {
      method: 'GET',
      path: '^/v1.0/users/[^/]+/photo/\\$value$',
      status: 429,
      retryAfterSeconds: 7,
    });
    expect(fault.status).toBe(201);
    const a = await batch([
      { id: 'a', method: 'GET', url: `/users/${DEMO_USERS.megan}/photo/$value` },
      { id: 'b', method: 'GET', url: `/users/${DEMO_USERS.megan}/photo/$value` },
    ]);
    expect(a.status).toBe(200);
    const [first, second] = a.json.responses as Array<{ status: number; headers: Record<string, string>; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(first?.status).toBe(429);
    expect(first?.headers['Retry-After']).toBe('7');
    expect(first?.body.error.code).toBe('TooManyRequests');
    expect(second?.status).toBe(200);
  });

  test('a photo PUT inside a batch (base64 body) is applied and logged once', async () => {
    const jpeg = await squareJpeg(648);
    const a = await batch([
      {
        id: 'put',
        method: 'PUT',
        url: `/users/${DEMO_USERS.alex}/photo/$value`,
        headers: { 'Content-Type': 'image/jpeg' },
        body: jpeg.toString('base64'),
      },
    ]);
    expect(a.json.responses[0].status).toBe(200);
    expect((await t.control('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`)).json).toMatchObject({
      hasPhoto: true,
      bytes: jpeg.length,
    });
    const log = await t.control('GET', `/_control/requests?method=PUT&path=${encodeURIComponent('/photo/\\$value$')}`);
    expect(log.json.value).toHaveLength(1);
  });

  test('dependsOn on a failed request gives 424', async () => {
    const a = await batch([
      { id: '1', method: 'GET', url: '/users/nobody@example.com' },
      { id: '2', method: 'GET', url: `/users/${DEMO_USERS.alex}`, dependsOn: ['1'] },
    ]);
    expect(a.json.responses[1]).toMatchObject({ id: '2', status: 424 });
  });

  test('more than 20 requests is 400; the batch itself needs a valid token', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/users/${DEMO_USERS.alex}`,
    }));
    const a = await batch(many);
    expect(a.status).toBe(400);
    expect(a.json.error.message).toContain('20');
    const twenty = await batch(many.slice(0, 20));
    expect(twenty.status).toBe(200);
    expect(twenty.json.responses).toHaveLength(20);
    const anonymous = await t.graph(undefined, 'POST', '/v1.0/$batch', { json: { requests: many.slice(0, 1) } });
    expect(anonymous.status).toBe(401);
  });
});
