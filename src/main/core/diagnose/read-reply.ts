import type { VerdictCause } from '../../../shared/schemas/verdict'

/**
 * Reading a reply nobody documented: who refused what, from the words themselves.
 *
 * Most unlisted 5.7.1 replies follow a handful of shapes. Postfix's access restrictions (postconf(5)
 * smtpd_*_restrictions, access(5)) say which party failed: "Client host rejected: …" is the sending server,
 * "Helo command rejected: …" its HELO name, "Sender address rejected: …" the envelope sender, "Recipient address
 * rejected: …" the receiver's own user. Other MTAs word the same things in their own way. What matters is the
 * direction: "TLS required" from the receiver means our side did not encrypt, while our own MTA saying the remote
 * "does not support STARTTLS" means theirs did not offer it; a quota or rate limit is about volume, not reputation.
 */
export type Subject = 'client' | 'helo' | 'sender' | 'recipient' | 'content' | 'relay' | 'connection'

export interface Reading {
  cause: VerdictCause
  /** Who or what the reply refused. */
  subject: Subject
  /** The reply's own words giving the reason, verbatim. */
  because: string
  confidence: number
  /** Where `because` (or the decisive phrase) sits in the text. */
  start: number
  end: number
}

const SUBJECTS: [RegExp, Subject][] = [
  [/\bClient host (?:\[[^\]]*\] )?rejected\s*:\s*/i, 'client'],
  [/\b(?:Helo|Ehlo) command rejected\s*:\s*/i, 'helo'],
  [/\bSender address rejected\s*:\s*/i, 'sender'],
  [/\bRecipient address rejected\s*:\s*/i, 'recipient'],
  [/\b(?:Data command|End-of-data|Message content) rejected\s*:\s*/i, 'content']
]

// Phrases whose meaning is settled whoever says them; first match wins, so specific ones come first.
const PHRASES: [RegExp, VerdictCause, Subject, number][] = [
  // volume: quotas and rate limits (RFC 3463 x.7.x is policy, but the words say volume)
  [
    /\b(?:(?:daily|hourly|sending|relay|submission|recipient|message) (?:quota|limit)|quota (?:exceeded|reached)|rate[- ]?limit(?:ed|ing)?|too many (?:messages|connections|recipients|emails|mails)|(?:exceeded|reached) (?:the |your |its )?(?:\w+ )?(?:limit|quota|rate)|sending rate|unusual rate|throttl(?:ed|ing))\b/i,
    'rate-limit',
    'connection',
    0.6
  ],
  // the remote side lacks TLS while ours requires it (our MTA's own words about the peer)
  [
    /\b(?:(?:remote|destination|recipient|peer|their) (?:mail )?server (?:does not|doesn'?t|did not) (?:support|offer) (?:STARTTLS|TLS)|(?:STARTTLS|TLS) (?:is )?(?:required|mandatory),? but (?:was )?not (?:offered|available|supported)|not offered by (?:the )?(?:remote )?(?:host|server)|must support TLS)\b/i,
    'tls-unavailable',
    'connection',
    0.55
  ],
  // the receiver requires TLS and we did not use it (RFC 3207 §4: 530 Must issue a STARTTLS command first)
  [
    /\b(?:must issue a STARTTLS command first|(?:TLS|encryption|STARTTLS) (?:is )?required|requires? (?:TLS|encryption|a secure connection)|Encryption needed)\b/i,
    'tls-required',
    'connection',
    0.6
  ],
  [
    /\brelay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed))|unable to relay|not permitted to relay\b/i,
    'relay-denied',
    'relay',
    0.6
  ],
  [
    /\b(?:cannot find your (?:reverse )?hostname|reverse (?:DNS|lookup) (?:failed|missing|mismatch)|no PTR record|PTR record (?:missing|required)|rDNS)\b/i,
    'reverse-dns',
    'client',
    0.6
  ],
  [
    /\b(?:SPF|DKIM|DMARC) (?:check )?(?:failed|failure|fail|violation|policy)\b/i,
    'authentication',
    'sender',
    0.55
  ],
  [
    /\b(?:spam|junk|bulk mail|UBE|content (?:rejected|filter|policy)|message (?:looks like|was classified as|identified as) spam|suspicious content|phishing|virus|malware)\b/i,
    'content-spam',
    'content',
    0.5
  ],
  [
    /\b(?:reputation|blacklist(?:ed)?|blocklist(?:ed)?|block ?list(?:ed)?|poor sender score)\b/i,
    'reputation',
    'client',
    0.45
  ]
]

function subjectCause(subject: Subject, because: string): [VerdictCause, number] {
  const b = because.toLowerCase()
  switch (subject) {
    case 'recipient':
      return /unknown|not found|does not exist|no such|invalid (?:user|mailbox|recipient)|undeliverable address/.test(
        b
      )
        ? ['recipient-unknown', 0.6]
        : ['recipient-policy', 0.45]
    case 'client':
    case 'helo':
      return /hostname|host not found|reverse|ptr|fully[- ]qualified|fqdn|invalid name|not resolv/.test(b)
        ? ['reverse-dns', 0.55]
        : ['recipient-policy', 0.35]
    case 'sender':
      return /spf|dmarc|dkim|not authori[sz]ed|unauthenticated/.test(b)
        ? ['authentication', 0.5]
        : ['recipient-policy', 0.35]
    case 'content':
      return ['content-spam', 0.45]
    default:
      return ['other', 0.2]
  }
}

/** What the words of one reply say; undefined when they say nothing we can read. */
export function readReply(text: string): Reading | undefined {
  for (const [re, cause, subject, confidence] of PHRASES) {
    const m = re.exec(text)
    if (m)
      return {
        cause,
        subject,
        because: m[0],
        confidence,
        start: m.index,
        end: m.index + m[0].length
      }
  }
  for (const [re, subject] of SUBJECTS) {
    const m = re.exec(text)
    if (!m) continue
    const from = m.index + m[0].length
    const rest = text.slice(from)
    // the reason runs to the end of the sentence or the "(in reply to …)" / ";" that closes it
    const because = (/^[^;()\n]*?(?=\s*(?:;|\(in reply|\(|$))/.exec(rest)?.[0] ?? rest)
      .trim()
      .replace(/[.]$/, '')
    const [cause, confidence] = subjectCause(subject, because)
    return {
      cause,
      subject,
      because: because || m[0].trim(),
      confidence,
      start: from,
      end: from + because.length
    }
  }
  return undefined
}
