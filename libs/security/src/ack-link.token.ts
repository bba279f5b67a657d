import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'linewatch-alert-ack';
const ISSUER = 'linewatch-alerter';

export interface AckClaims {
  readonly alertId: string;
  readonly recipientId: string;
}

/**
 * Acknowledgement links: a token per recipient, so the alert records who acknowledged it. Signed
 * with ALERT_LINK_SECRET (HS256) by the alerter, checked by the api, bound to the alert, valid for
 * `ttlSeconds`.
 */
export async function signAckToken(secret: string, claims: AckClaims, now: Date, ttlSeconds = 7 * 24 * 3600): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ alert: claims.alertId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.recipientId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The claims of a valid token for this alert; throws for anything else (expired, forged, another alert). */
export async function verifyAckToken(secret: string, token: string, alertId: string): Promise<AckClaims> {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
    audience: AUDIENCE,
    issuer: ISSUER,
    algorithms: ['HS256'],
  });
  if (payload.alert !== alertId || typeof payload.sub !== 'string') throw new Error('the link is for another alert');
  return { alertId, recipientId: payload.sub };
}

export function ackUrl(publicUrl: string, alertId: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/v1/alerts/${alertId}/acknowledge?token=${encodeURIComponent(token)}`;
}
