/**
 * Signatures of webhook deliveries. The receiver recomputes HMAC-SHA256 over
 * `<X-Sealwatch-Timestamp>.<raw body>` with the secret it registered and compares it in constant
 * time with `X-Sealwatch-Signature: sha256=<hex>`. The timestamp inside the signed text lets it
 * refuse replays older than it tolerates (five minutes is usual), as Stripe's and Slack's do.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header value for a body sent at `timestamp` (Unix seconds, as sent in X-Sealwatch-Timestamp). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when `signature` is what `signWebhook` gives for this secret, timestamp and body (a receiver's check). */
export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
