import { TokenVerifier, issueDevelopmentToken } from '@linewatch/security';
import { SignJWT, UnsecuredJWT } from 'jose';

const config = {
  mode: 'local-key' as const,
  secret: 'unit-test-signing-key-0123456789abcdefghij',
  issuer: 'linewatch-local',
  audience: 'linewatch',
};
const verifier = new TokenVerifier(config);
const now = new Date();
const key = new TextEncoder().encode(config.secret);

async function signed(
  claims: Record<string, unknown>,
  options: { issuer?: string; audience?: string; exp?: number; secret?: Uint8Array } = {},
) {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('someone')
    .setIssuer(options.issuer ?? config.issuer)
    .setAudience(options.audience ?? config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 600)
    .sign(options.secret ?? key);
}

describe('TokenVerifier', () => {
  it('given a development token, then it yields the principal with roles and areas', async () => {
    const token = await issueDevelopmentToken(config, { subject: 'pc-1234', roles: ['officer'], areas: ['paulton'], ttlSeconds: 60, now });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'pc-1234', roles: ['officer'], areas: ['paulton'] });
  });

  it.each([
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ roles: ['admin'] })
          .setSubject('x')
          .setIssuer(config.issuer)
          .setAudience(config.audience)
          .setExpirationTime('1h')
          .encode(),
      /not allowed|not valid/,
    ],
    [
      'a wrong key',
      () => signed({ roles: ['admin'] }, { secret: new TextEncoder().encode('another-key-another-key-another-key-00') }),
      /not valid/,
    ],
    ['a wrong issuer', () => signed({ roles: ['admin'] }, { issuer: 'elsewhere' }), /iss/],
    ['a wrong audience', () => signed({ roles: ['admin'] }, { audience: 'other-app' }), /aud/],
    ['an expired token', () => signed({ roles: ['admin'] }, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['no LineWatch role', () => signed({ roles: ['superuser'] }), /no LineWatch role/],
  ])('given %s, then it is refused', async (_what, make, reason) => {
    await expect(verifier.verify(await make())).rejects.toThrow(reason);
  });
});
