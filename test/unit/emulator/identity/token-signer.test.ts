import { TokenSigner, type TokenClaims } from '../../../../emulator/identity/token-signer';

const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  aud: 'https://graph.microsoft.com',
  iss: 'http://t/v2.0',
  iat: 1000,
  nbf: 1000,
  exp: 4599,
  tid: 't',
  ver: '2.0',
  sub: 's',
  ...overrides,
});
const expected = { issuer: 'http://t/v2.0', audiences: ['https://graph.microsoft.com'], nowSeconds: 2000 };

describe('TokenSigner', () => {
  let signer: TokenSigner;
  beforeAll(async () => {
    signer = await TokenSigner.create();
  });

  test('round-trips its own tokens', async () => {
    expect(await signer.verify(await signer.sign(claims({ roles: ['A'] })), expected)).toEqual({
      ok: true,
      claims: claims({ roles: ['A'] }),
    });
  });

  test.each([
    ['expired', claims({ exp: 2000 }), 'expired'],
    ['issuer', claims({ iss: 'http://other/v2.0' }), 'issuer'],
    ['audience', claims({ aud: 'api://x' }), 'audience'],
    ['notYetValid', claims({ nbf: 2301 }), 'notYetValid'],
  ])('refuses a token with a bad %s', async (_label, c, problem) => {
    expect(await signer.verify(await signer.sign(c), expected)).toEqual({ ok: false, problem });
  });

  test('refuses tokens signed by another key or with an altered payload', async () => {
    const other = await TokenSigner.create();
    expect(await signer.verify(await other.sign(claims()), expected)).toEqual({ ok: false, problem: 'signature' });
    const [h, , s] = (await signer.sign(claims())).split('.');
    const altered = `${h}.${Buffer.from(JSON.stringify(claims({ roles: ['X'] }))).toString('base64url')}.${s}`;
    expect(await signer.verify(altered, expected)).toEqual({ ok: false, problem: 'signature' });
    expect(await signer.verify('a.b', expected)).toEqual({ ok: false, problem: 'malformed' });
  });

  test('publishes one RS256 signing key whose kid is in every token header', async () => {
    const { keys } = signer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', e: 'AQAB' });
    const header = JSON.parse(
      Buffer.from((await signer.sign(claims())).split('.')[0] as string, 'base64url').toString(),
    ) as { kid: string };
    expect(header.kid).toBe(keys[0]?.kid);
  });
});
