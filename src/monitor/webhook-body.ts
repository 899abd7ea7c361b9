/**
 * Webhook payloads for an alert. Pure.
 * - `slack`: Slack incoming-webhook JSON (`{ text }`, mrkdwn), accepted by Slack and compatible chat tools.
 * - `generic`: the alert as JSON, signed with HMAC-SHA256 over `<timestamp>.<body>` (headers
 *   `X-Evident-Timestamp`, `X-Evident-Signature: sha256=<hex>`), like Stripe/GitHub webhook signatures: the
 *   receiver recomputes it with the shared secret and rejects old timestamps.
 */
import { createHmac } from 'node:crypto';

/** An alert as delivered. */
export interface AlertPayload {
  id: number;
  kind: string;
  subject: string;
  message: string;
  details: unknown;
  createdAt: string;
}

/** Request body and headers for `format`; `secret` is required for `generic`. `timestamp` in Unix seconds. */
export function webhookRequest(
  format: 'slack' | 'generic',
  alert: AlertPayload,
  opts: { secret?: string; timestamp: number },
): { body: string; headers: Record<string, string> } {
  if (format === 'slack') {
    const text = `*Evident: ${alert.subject}*\n${alert.message}`;
    return { body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } };
  }
  const body = JSON.stringify({ type: `evident.alert.${alert.kind}`, alert });
  const sig = createHmac('sha256', opts.secret ?? '')
    .update(`${opts.timestamp}.${body}`)
    .digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-evident-timestamp': String(opts.timestamp),
      'x-evident-signature': `sha256=${sig}`,
    },
  };
}
