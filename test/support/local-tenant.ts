import { localCertificate } from '../../bot/src/local/local-certificate';
import { LocalClientCredentials, type ClientAssertion } from '../../bot/src/m365/token-source';
import path from 'node:path';
import sharp from 'sharp';
import { DEMO_APP, startLocalTenant, type LocalTenant } from '../../emulator';

/** A fetch answer with its body read once. */
export interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** Parsed JSON body (undefined when empty or not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions dig into arbitrary JSON
}

/** Sends a request and reads the whole answer. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  if (bytes.length > 0 && /json/.test(res.headers.get('content-type') ?? '')) json = JSON.parse(bytes.toString('utf8'));
  return { status: res.status, headers: res.headers, bytes, json };
}

/** Test harness around one local tenant started on a random port. */
export class TenantClient {
  private constructor(readonly tenant: LocalTenant) {}

  /** Starts a fresh tenant (demo seed, port 0). */
  static async start(): Promise<TenantClient> {
    return new TenantClient(await startLocalTenant({ port: 0 }));
  }

  get url(): string {
    return this.tenant.url;
  }

  /** Calls the control API with an optional JSON body. */
  control(method: string, path: string, body?: unknown): Promise<Answer> {
    return call(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Client-credentials token for the demo app, through the real token endpoint. */
  async appToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    const a = await call(`${this.url}/${this.tenant.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    if (a.status !== 200) throw new Error(`token endpoint answered ${a.status}: ${a.bytes.toString()}`);
    return a.json.access_token as string;
  }

  /**
   * The demo app's token for `scope` with a certificate credential (`client_assertion`), through the real token
   * endpoint and the product's own local certificate: what SharePoint requires.
   */
  async certificateToken(scope: string): Promise<string> {
    this.certificate ??= localCertificate(this.url, DEMO_APP.clientId);
    // A fresh client each time: tests move the tenant's clock, which a cached token would not follow.
    const client = new LocalClientCredentials(
      this.url,
      this.tenant.tenantId,
      DEMO_APP.clientId,
      DEMO_APP.clientSecret,
      Date.now,
      this.certificate,
    );
    return client.getToken(scope);
  }
  private certificate: ClientAssertion | undefined;

  /** App token with chosen roles (control API). */
  async appTokenWithRoles(roles: string[]): Promise<string> {
    return (await this.control('POST', '/_control/tokens/app', { roles })).json.access_token as string;
  }

  /** Delegated token for a demo user (control API). */
  async userToken(userId: string, scopes?: string[]): Promise<string> {
    const a = await this.control('POST', '/_control/tokens/user', {
      userId,
      ...(scopes === undefined ? {} : { scopes }),
    });
    if (a.status !== 200) throw new Error(`user token answered ${a.status}: ${a.bytes.toString()}`);
    return a.json.access_token as string;
  }

  /** Calls Graph with a bearer token. */
  graph(
    token: string | undefined,
    method: string,
    path: string,
    body?: { bytes: Buffer; contentType: string } | { json: unknown },
  ): Promise<Answer> {
    const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    let payload: Buffer | string | undefined;
    if (body !== undefined && 'bytes' in body) {
      headers['Content-Type'] = body.contentType;
      payload = body.bytes;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    }
    return call(`${this.url}${path}`, { method, headers, body: payload });
  }

  /** Stops the tenant. */
  close(): Promise<void> {
    return this.tenant.close();
  }
}

/** A real camera photo shared by the team (`../shared` next to the repository, as the docs assume). */
const LANDSCAPE_JPEG = path.resolve(__dirname, '../../../shared/images/exif-orientation-examples/Landscape_1.jpg');

/** The shared landscape fixture as a centre-cropped square JPEG of `size` px. */
export function squareJpeg(size: number): Promise<Buffer> {
  return sharp(LANDSCAPE_JPEG).resize(size, size, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
}
