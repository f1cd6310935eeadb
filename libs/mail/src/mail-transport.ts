import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '@sharepool/config';

/** One rendered email, as it leaves. */
export interface OutgoingMail {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** RFC 8058: the signed link, answered by POST with `List-Unsubscribe=One-Click`. */
  readonly unsubscribeUrl: string;
}

/** A refusal the mail server gave for this message itself (5xx): trying again would get the same answer. */
export function isPermanentMailFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Hands email to SMTP_URL's server, or, without one, writes each message as
 * an .eml file under DATA_DIR/mail (open it with any mail program), so a
 * first start needs no mailbox.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('MailTransport');
  private readonly transporter: Transporter;
  private readonly folder: string | undefined;

  constructor(private readonly config: AppConfig) {
    if (config.smtpUrl) {
      this.transporter = nodemailer.createTransport(config.smtpUrl, {
        pool: true,
        maxConnections: 2,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      } as never);
    } else {
      this.folder = join(config.dataDir, 'mail');
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  /** Where mail goes, for the start-up notice. */
  describe(): string {
    if (!this.folder) {
      const url = new URL(this.config.smtpUrl!);
      return `SMTP ${url.protocol}//${url.host}`;
    }
    return `.eml files in ${this.folder}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const from = this.config.mailFrom;
    const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'sharepool.local';
    const info = await this.transporter.sendMail({
      from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // The same id on every try of one email, so a receiver can tell a repeat.
      messageId: `<${mail.id}@${domain}>`,
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
      list: { unsubscribe: { url: mail.unsubscribeUrl, comment: 'Unsubscribe' } },
    });
    if (this.folder) {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      await writeFile(join(this.folder, `${stamp}-${mail.id}.eml`), info.message as Buffer, { mode: 0o600 });
      this.logger.debug(`wrote the email "${mail.subject}" to ${this.folder}`);
    }
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
