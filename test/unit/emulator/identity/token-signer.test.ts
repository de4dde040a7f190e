import { TokenSigner, type TokenClaims } from '../../../../emulator/identity/token-signer';

const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  aud: 'https://graph.microsoft.com', iss: 'http://t/v2.0', iat: 1000, nbf: 1000, exp: 4599, tid: 't', ver: '2.0', sub: 's', ...overrides,
});
const expected = { issuer: 'http://t/v2.0', audiences: ['https://graph.microsoft.com'], nowSeconds: 2000 };

describe('TokenSigner', () => {
  let signer: TokenSigner;
  beforeAll(async () => {
    signer = await TokenSigner.create();
  });

  test('round-trips its own tokens', () => {
    expect(signer.verify(signer.sign(claims({ roles: ['A'] })), expected)).toEqual({ ok: true, claims: claims({ roles: ['A'] }) });
  });

  test.each([
    ['expired', claims({ exp: 2000 }), 'expired'],
    ['issuer', claims({ iss: 'http://other/v2.0' }), 'issuer'],
    ['audience', claims({ aud: 'api://x' }), 'audience'],
    ['notYetValid', claims({ nbf: 2301 }), 'notYetValid'],
  ])('refuses a token with a bad %s', (_label, c, problem) => {
    expect(signer.verify(signer.sign(c), expected)).toEqual({ ok: false, problem });
  });

  test('refuses tokens signed by another key or with an altered payload', async () => {
    const other = await TokenSigner.create();
    expect(signer.verify(other.sign(claims()), expected)).toEqual({ ok: false, problem: 'signature' });
    const [h, , s] = signer.sign(claims()).split('.');
    const altered = `${h}.${Buffer.from(JSON.stringify(claims({ roles: ['X'] }))).toString('base64url')}.${s}`;
    expect(signer.verify(altered, expected)).toEqual({ ok: false, problem: 'signature' });
    expect(signer.verify('a.b', expected)).toEqual({ ok: false, problem: 'malformed' });
  });

  test('publishes one RS256 signing key whose kid is in every token header', () => {
    const { keys } = signer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', e: 'AQAB' });
    const header = JSON.parse(Buffer.from(signer.sign(claims()).split('.')[0] as string, 'base64url').toString()) as { kid: string };
    expect(header.kid).toBe(keys[0]?.kid);
  });
});
