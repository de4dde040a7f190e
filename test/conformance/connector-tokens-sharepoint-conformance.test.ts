/**
 * The local tenant's Bot Connector, tokens and SharePoint answers against the shapes Microsoft documents:
 * - Bot Connector REST API reference (learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference):
 *   `ResourceResponse` `{ id }`, `ConversationResourceResponse` `{ id, activityId?, serviceUrl? }`, errors as
 *   `ErrorResponse` `{ error: { code, message } }`; Teams' `TeamsChannelAccount` for members (id, name,
 *   aadObjectId, givenName, surname, email, userPrincipalName, tenantId, userRole).
 * - Access token claims reference (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
 *   v1.0 tokens carry `iss https://sts.windows.net/{tid}/`, `ver 1.0`, `appid`, `appidacr`; v2.0 `azp`, `azpacr`.
 * - SharePoint REST (User profiles REST API reference): `GetPropertiesFor` in `odata=nometadata` answers
 *   `AccountName`, `PictureUrl`, `UserProfileProperties: [{ Key, Value, ValueType }]`; errors as
 *   `odata.error: { code, message: { lang, value } }`.
 */
import Ajv from 'ajv';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../emulator';
import { call, TenantClient } from '../support/local-tenant';
import { useLegacySharePoint } from '../support/status-reports';

let t: TenantClient;
const ajv = new Ajv({ allErrors: true, strict: false });
const closed = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const str = { type: 'string' };

function expectShape(body: unknown, schema: object): void {
  const validate = ajv.compile(schema);
  if (!validate(body)) throw new Error(`${JSON.stringify(validate.errors)}\n${JSON.stringify(body).slice(0, 400)}`);
}

const CONNECTOR_ERROR = closed({ error: closed({ code: str, message: str, subCode: str }, ['code', 'message']) }, [
  'error',
]);

beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());

describe('Bot Connector', () => {
  async function connector(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const token = await t.certificateToken('https://api.botframework.com/.default');
    const a = await call(`${t.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: a.status, json: a.json };
  }

  test('create, send and member answers; every refusal an ErrorResponse', async () => {
    await t.control('POST', '/_control/teams/chats', { userId: DEMO_USERS.megan });
    const created = await connector('POST', '/v3/conversations', {
      bot: { id: '28:headshot' },
      members: [{ id: DEMO_USERS.megan }],
      tenantId: DEMO_TENANT_ID,
      isGroup: false,
    });
    expect(created.status).toBe(201);
    expectShape(created.json, closed({ id: str, activityId: str, serviceUrl: str }, ['id']));
    const id = encodeURIComponent((created.json as { id: string }).id);
    const sent = await connector('POST', `/v3/conversations/${id}/activities`, { type: 'message', text: 'hi' });
    expectShape(sent.json, closed({ id: str }, ['id']));
    const member = await connector('GET', `/v3/conversations/${id}/members/${DEMO_USERS.megan}`);
    expectShape(
      member.json,
      closed(
        {
          id: str,
          name: str,
          aadObjectId: str,
          givenName: str,
          surname: str,
          email: str,
          userPrincipalName: str,
          tenantId: str,
          userRole: { enum: ['user', 'guest', 'bot'] },
        },
        ['id', 'name', 'aadObjectId'],
      ),
    );

    const refusals = [
      await connector('POST', '/v3/conversations/a%3Anever/activities', { type: 'message' }), // 404
      await connector('POST', '/v3/conversations', { members: [{ id: DEMO_USERS.adele }], isGroup: false }), // 403
      await connector('POST', `/v3/conversations/${id}/activities`, { type: 'message', text: 'x'.repeat(110_000) }), // 413
    ];
    expect(refusals.map((r) => r.status)).toEqual([404, 403, 413]);
    for (const r of refusals) expectShape(r.json, CONNECTOR_ERROR);
    const anonymous = await call(`${t.url}/v3/conversations/${id}/activities`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expectShape(anonymous.json, CONNECTOR_ERROR);
  });
});

describe('tokens', () => {
  const claims = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;

  test('app tokens for Graph, SharePoint and the connector are v1.0 with the documented claims', async () => {
    for (const scope of [
      'https://graph.microsoft.com/.default',
      'https://example-my.sharepoint.com/.default',
      'https://api.botframework.com/.default',
    ]) {
      const c = claims(await t.certificateToken(scope));
      expect(c).toMatchObject({
        iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
        ver: '1.0',
        tid: DEMO_TENANT_ID,
        appidacr: '2',
        idtyp: 'app',
      });
      for (const name of ['aud', 'appid', 'oid', 'sub', 'iat', 'nbf', 'exp']) expect(c[name]).toBeDefined();
      expect(c.azp).toBeUndefined();
    }
  });
});

describe('SharePoint', () => {
  test('GetPropertiesFor (nometadata) and its error shape', async () => {
    await useLegacySharePoint(t);
    const token = await t.certificateToken('https://example-my.sharepoint.com/.default');
    const url = (upn: string) =>
      `${t.url}/sp/_api/SP.UserProfiles.PeopleManager/GetPropertiesFor(accountName=@v)?@v=${encodeURIComponent(`'i:0#.f|membership|${upn}'`)}`;
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json;odata=nometadata' };
    const a = await call(url('meganb@example.com'), { headers });
    expect(a.status).toBe(200);
    expectShape(a.json, {
      type: 'object',
      required: ['AccountName', 'PictureUrl', 'UserProfileProperties'],
      properties: {
        AccountName: str,
        PictureUrl: { type: ['string', 'null'] },
        UserProfileProperties: {
          type: 'array',
          items: closed({ Key: str, Value: str, ValueType: { const: 'Edm.String' } }, ['Key', 'Value', 'ValueType']),
        },
      },
    });
    const denied = await call(url('meganb@example.com'), { headers: { ...headers, Authorization: 'Bearer nope' } });
    expect(denied.status).toBe(401);
    const write = await call(`${t.url}/sp/_api/SP.UserProfiles.PeopleManager/SetSingleValueProfileProperty`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        accountName: 'i:0#.f|membership|nobody@example.com',
        propertyName: 'x',
        propertyValue: 'y',
      }),
    });
    expect(write.status).toBeGreaterThanOrEqual(400);
    expectShape(
      write.json,
      closed(
        {
          'odata.error': closed({ code: str, message: closed({ lang: str, value: str }, ['lang', 'value']) }, [
            'code',
            'message',
          ]),
        },
        ['odata.error'],
      ),
    );
  });
});
