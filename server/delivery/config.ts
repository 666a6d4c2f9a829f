// Delivered reports' settings, from the environment (read with the rest in server/config.ts).
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface DeliveryConfig {
  /** How to reach the SMTP server; unset: no email is sent (choices are kept, deliveries are not made). */
  smtp?: string | SMTPTransport.Options;
  /** The From of every email. */
  mailFrom: string;
  /** The address people open Assay at, for the link to the run; unset: http://HOST:PORT. */
  publicUrl?: string;
  /**
   * Webhooks may go over plain http and to private, loopback and link-local addresses
   * (ASSAY_WEBHOOK_ALLOW_PRIVATE=1): for tests and closed networks. Off, a webhook must be
   * https to a public address, checked again on every connection (SSRF).
   */
  webhookAllowPrivate: boolean;
  /** Retries after a failed attempt, each after a longer wait (pg-boss backoff from retrySeconds). */
  retries: number;
  retrySeconds: number;
}

/**
 * ASSAY_SMTP_URL (smtp[s]://user:pass@host:port), or ASSAY_SMTP_HOST with ASSAY_SMTP_PORT,
 * ASSAY_SMTP_USER, ASSAY_SMTP_PASS, ASSAY_SMTP_SECURE=1 (TLS from the start, port 465);
 * ASSAY_MAIL_FROM, ASSAY_PUBLIC_URL, ASSAY_WEBHOOK_ALLOW_PRIVATE, ASSAY_DELIVERY_RETRIES,
 * ASSAY_DELIVERY_RETRY_SECONDS.
 */
export function deliveryConfigFrom(env: NodeJS.ProcessEnv, intFrom: (value: string | undefined, fallback: number, name: string) => number): DeliveryConfig {
  const host = env.ASSAY_SMTP_HOST;
  const secure = env.ASSAY_SMTP_SECURE === '1';
  const smtp = env.ASSAY_SMTP_URL || (host
    ? {
      host,
      port: intFrom(env.ASSAY_SMTP_PORT, secure ? 465 : 587, 'ASSAY_SMTP_PORT'),
      secure,
      ...(env.ASSAY_SMTP_USER ? { auth: { user: env.ASSAY_SMTP_USER, pass: env.ASSAY_SMTP_PASS ?? '' } } : {}),
    }
    : undefined);
  const publicUrl = env.ASSAY_PUBLIC_URL?.replace(/\/+$/, '') || undefined;
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new Error(`ASSAY_PUBLIC_URL must be an http(s) address, e.g. https://assay.example.com, got "${env.ASSAY_PUBLIC_URL}"`);
  return {
    smtp,
    mailFrom: env.ASSAY_MAIL_FROM || 'Assay <assay@localhost>',
    publicUrl,
    webhookAllowPrivate: env.ASSAY_WEBHOOK_ALLOW_PRIVATE === '1',
    retries: intFrom(env.ASSAY_DELIVERY_RETRIES, 4, 'ASSAY_DELIVERY_RETRIES'),
    retrySeconds: Math.max(1, intFrom(env.ASSAY_DELIVERY_RETRY_SECONDS, 30, 'ASSAY_DELIVERY_RETRY_SECONDS')),
  };
}
