import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink received, parsed. */
export interface ReceivedMail {
  readonly to: string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Map<string, unknown>;
  /** The raw List-Unsubscribe and List-Unsubscribe-Post headers. */
  readonly listUnsubscribe: string | undefined;
  readonly listUnsubscribePost: string | undefined;
}

/**
 * A local SMTP server (the `smtp-server` package) that keeps what it
 * receives, as a member's mail provider would; it can be stopped and started
 * again on the same port, as a mail server that goes down.
 */
export interface SmtpSink {
  readonly url: string;
  readonly port: number;
  readonly received: readonly ReceivedMail[];
  /** Mail to `address` received so far. */
  to(address: string): ReceivedMail[];
  /** Waits until `count` messages for `address` (or any) have come. */
  waitFor(address: string | null, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer;
  let boundPort = port;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          simpleParser(stream)
            .then((mail) => {
              // The raw lines: mailparser folds List-* headers into a structure of its own.
              const header = (name: string) => {
                const line = mail.headerLines.find((l) => l.key === name)?.line;
                return line?.slice(line.indexOf(':') + 1).trim();
              };
              received.push({
                to: addresses(mail.to),
                from: addresses(mail.from)[0] ?? '',
                subject: mail.subject ?? '',
                text: mail.text ?? '',
                html: typeof mail.html === 'string' ? mail.html : '',
                headers: mail.headers,
                listUnsubscribe: header('list-unsubscribe'),
                listUnsubscribePost: header('list-unsubscribe-post'),
              });
              callback();
            })
            .catch(callback);
        },
      });
      server.on('error', () => undefined);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.server.address() as { port: number }).port;
        resolve();
      });
      server.server.once('error', reject);
    });
  await listen();
  const sink: SmtpSink = {
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    received,
    to: (address) => received.filter((m) => m.to.includes(address.toLowerCase())),
    async waitFor(address, count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mails = address ? sink.to(address) : received;
        if (mails.length >= count) return mails;
        if (Date.now() > deadline)
          throw new Error(`${count} mail(s) to ${address ?? 'anyone'} did not come in ${timeoutMs} ms (got ${mails.length})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start: listen,
  };
  return sink;
}
