/** The SMTP side of incident e-mails: nodemailer over the administrator's server, one connection pool. */
import nodemailer from 'nodemailer';
import type { SendMail } from './email-dispatcher';

/** A sender over `url` (smtp:// with STARTTLS when the server offers it, smtps:// for implicit TLS). */
export function smtpSender(url: string): { send: SendMail; close(): void } {
  const u = new URL(url);
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : u.protocol === 'smtps:' ? 465 : 587,
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    send: async (m) => {
      await transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}
