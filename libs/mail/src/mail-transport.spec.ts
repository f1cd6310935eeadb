import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@sharepool/config';
import { renderMail } from './mail-template.js';
import { MailTransport } from './mail-transport.js';

describe('mail without a mail server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-mail-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes each email as an .eml file under DATA_DIR/mail, with both parts and the one-click unsubscribe headers', async () => {
    const transport = new MailTransport(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PUBLIC_URL: 'https://sharepool.example' }));
    expect(transport.describe()).toBe(`.eml files in ${join(dataDir, 'mail')}`);
    const content = renderMail({
      subject: 'Hello',
      greeting: 'Hello Ada,',
      paragraphs: ['Your share <is> live.'],
      action: { label: 'Open', url: 'https://sharepool.example/shares' },
      reason: 'Because.',
      unsubscribeUrl: 'https://sharepool.example/mail/unsubscribe?token=t',
    });
    await transport.send({
      id: '3f1c8c7e-0000-4000-8000-000000000001',
      to: 'ada@example.com',
      subject: 'Hello',
      ...content,
      unsubscribeUrl: 'https://sharepool.example/mail/unsubscribe?token=t',
    });
    transport.onApplicationShutdown();
    const [file] = readdirSync(join(dataDir, 'mail'));
    expect(file).toMatch(/3f1c8c7e-0000-4000-8000-000000000001\.eml$/);
    const eml = readFileSync(join(dataDir, 'mail', file!), 'utf8');
    expect(eml).toContain('From: Sharepool <no-reply@sharepool.example>');
    expect(eml).toContain('List-Unsubscribe: <https://sharepool.example/mail/unsubscribe?token=t>');
    expect(eml).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(eml).toContain('Message-ID: <3f1c8c7e-0000-4000-8000-000000000001@sharepool.example>');
    expect(eml).toContain('Content-Type: text/plain');
    expect(eml).toContain('Content-Type: text/html');
    expect(content.html).toContain('Your share &lt;is&gt; live.');
    expect(content.text).toContain('Your share <is> live.');
  });
});
