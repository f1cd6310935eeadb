/** An email's content before layout: a few paragraphs, an optional button and list. */
export interface MailContent {
  readonly subject: string;
  readonly greeting: string;
  readonly paragraphs: readonly string[];
  readonly list?: readonly string[];
  readonly action?: { readonly label: string; readonly url: string };
  /** Why the member gets this email (shown above the unsubscribe link). */
  readonly reason: string;
  readonly unsubscribeUrl: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The plain-text part and the HTML part of an email, the same words in both. */
export function renderMail(content: MailContent): { text: string; html: string } {
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.list?.length ? [...content.list.map((item) => `- ${item}`), ''] : []),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    '-- ',
    content.reason,
    `Unsubscribe: ${content.unsubscribeUrl}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>${escape(content.greeting)}</p>`,
    ...content.paragraphs.map((p) => `<p>${escape(p)}</p>`),
    ...(content.list?.length ? [`<ul>${content.list.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>`] : []),
    ...(content.action ? [`<p><a href="${escape(content.action.url)}">${escape(content.action.label)}</a></p>`] : []),
    `<hr><p><small>${escape(content.reason)} <a href="${escape(content.unsubscribeUrl)}">Unsubscribe</a></small></p>`,
    '</body></html>',
  ].join('\n');
  return { text, html };
}
