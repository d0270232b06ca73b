/** One colour per verdict cause, shared by the verdict card and the triage charts. */
export const CAUSE_COLOR: Record<string, string> = {
  authentication: 'orange',
  blocklist: 'red',
  reputation: 'red',
  'relay-denied': 'grape',
  'reverse-dns': 'yellow',
  'content-spam': 'pink',
  'recipient-policy': 'indigo',
  'recipient-unknown': 'cyan',
  mailbox: 'teal',
  'rate-limit': 'yellow',
  'tls-required': 'violet',
  'tls-unavailable': 'violet',
  other: 'gray'
}
