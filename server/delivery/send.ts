// The two ways a report leaves the server: an email through SMTP (nodemailer) and an HTTP
// POST to a webhook. Each throws on failure with a message a person can act on; the job
// (jobs.ts) records it and pg-boss retries.
import http from 'node:http';
import https from 'node:https';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { DeliveryConfig } from './config.ts';
import { publicOnlyLookup, webhookUrl } from './webhook-target.ts';

// An SMTP server that accepts the connection and then says nothing must not hold a job for long.
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
const WEBHOOK_TIMEOUT_MS = 15_000;

const transports = new WeakMap<DeliveryConfig, Transporter>();

function transportOf(config: DeliveryConfig): Transporter {
  let t = transports.get(config);
  if (!t) {
    const options: SMTPTransport.Options = typeof config.smtp === 'string' ? { url: config.smtp } : { ...config.smtp };
    t = nodemailer.createTransport({ ...SMTP_TIMEOUTS, ...options });
    transports.set(config, t);
  }
  return t;
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  /** The HTML report, attached as a file. */
  report: { filename: string; html: string };
}

export async function sendEmail(config: DeliveryConfig, email: Email): Promise<void> {
  if (!config.smtp) throw new Error('no SMTP server is configured (ASSAY_SMTP_URL or ASSAY_SMTP_HOST)');
  await transportOf(config).sendMail({
    from: config.mailFrom,
    to: email.to,
    subject: email.subject,
    text: email.text,
    attachments: [{ filename: email.report.filename, content: email.report.html, contentType: 'text/html; charset=utf-8' }],
  });
}

/** POSTs JSON to a webhook; resolves on a 2xx answer. Redirects are not followed (each hop would need the same checks). */
export function postWebhook(config: DeliveryConfig, target: string, body: unknown): Promise<void> {
  const url = webhookUrl(target, config.webhookAllowPrivate);
  const payload = Buffer.from(JSON.stringify(body));
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      lookup: publicOnlyLookup(config.webhookAllowPrivate),
      headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length, 'User-Agent': 'Assay report delivery' },
      timeout: WEBHOOK_TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        // Only the start of an answer is kept, for the error message.
        if (size < 2000) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve();
        const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 300);
        reject(new Error(`${url.host} answered HTTP ${status}${text ? `: ${text}` : ''}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url.host} did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EPRIVATE' ? err : new Error(`could not reach ${url.host}: ${err.message}`)));
    req.end(payload);
  });
}
