import { cleanAddress } from '../dsn'
import { squash, type FormatContext, type FormatParser } from './types'

/**
 * Auto-replies (RFC 3834) and challenge-response requests: automatic answers that are not bounces.
 *
 * An auto-reply is recognised from the RFC 3834 §5 `Auto-Submitted: auto-replied` field, the fields vendors add
 * instead (Microsoft `X-Auto-Response-Suppress` / `X-MS-Exchange-Inbox-Rules-Loop`, Apple `X-Apple-Action:
 * vacation`, `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`), or from what clients put in the subject and
 * the first lines: "Automatic reply:", "Out of office" and their French, German, Spanish, Italian, Dutch,
 * Portuguese and Japanese forms. Exclusions follow sisimai lib/Sisimai/RFC3834.pm (sudo notices, Exim "Mail
 * failure -", mail from daemons). Not a bounce: reported as reason "vacation" for the sender of the reply.
 *
 * A challenge-response system (TMDA, Spam Arrest, Boxbe, qconfirm, Mailblocks, …) holds the message and asks the
 * sender to prove they are a person: the message is not refused and no address is bad; the sender may confirm.
 */
const AUTO_HEADERS: [string, RegExp][] = [
  ['auto-submitted', /^auto-(generated|replied|notified)/],
  ['x-auto-response-suppress', /oof|autoreply/],
  ['x-apple-action', /^vacation$/],
  ['precedence', /^auto_reply$/],
  ['x-autoreply', /^(yes|true|1)/],
  ['x-autorespond', /./],
  ['x-autoresponder', /./],
  ['x-vacationmessage', /./]
]

// Subject prefixes of out-of-office and automatic replies, as the common clients write them.
const AUTO_SUBJECT = new RegExp(
  '^(?:re:\\s*)?(?:' +
    [
      'auto:',
      'auto response',
      'auto[- ]?reply',
      'autoreply',
      'automatic reply',
      'automatic response',
      'out of (?:the )?office',
      'ooo\\b',
      'away from (?:the )?office',
      'on vacation',
      'vacation (?:reply|notice|message)',
      // French
      'r[ée]ponse automatique',
      'absen(?:t|ce)\\b',
      'message d.absence',
      'en cong[ée]s?',
      // German
      'automatische antwort',
      'abwesenheitsnotiz',
      'abwesend',
      'nicht im b[üu]ro',
      'autom\\. antwort',
      // Spanish / Portuguese / Italian / Dutch
      'respuesta autom[áa]tica',
      'fuera de (?:la )?oficina',
      'resposta autom[áa]tica',
      'aus[êe]ncia',
      'risposta automatica',
      'fuori sede',
      'automatisch antwoord',
      'afwezig',
      // Japanese: 自動応答 / 自動返信 / 不在 (auto-answer, auto-reply, absent)
      '\u81ea\u52d5\u5fdc\u7b54',
      '\u81ea\u52d5\u8fd4\u4fe1',
      '\u4e0d\u5728'
    ].join('|') +
    ')',
  'i'
)
// First-line wording of out-of-office bodies, for replies whose subject is just "Re: <your subject>".
const AUTO_BODY =
  /\b(?:i am|i'm|i will be) (?:currently )?(?:out of (?:the )?office|away|on (?:annual |parental )?leave|on vacation|on holiday)|\bje suis (?:actuellement )?(?:absente?|en cong[ée]s?)|\bich bin (?:derzeit |bis (?:zum )?)?[^.\n]{0,40}(?:nicht im b[üu]ro|abwesend|im urlaub)|\bestoy (?:fuera de la oficina|de vacaciones|ausente)|\u4e0d\u5728\u306b\u3057\u3066\u304a\u308a|\u4f11\u6687/i

const EXCLUDE_SUBJECT = /security information for|mail failure -/
const EXCLUDE_FROM = /(root|postmaster|mailer-daemon)@/

// Headers challenge-response products add (TMDA X-Delivery-Agent, Spam Arrest, Boxbe, Mailblocks, BlueBottle).
const CHALLENGE_HEADERS =
  /^(x-tmda-[a-z-]+|x-spamarrest-[a-z-]+|x-boxbe-[a-z-]+|x-mailblocks[a-z-]*|x-bluebottle-[a-z-]+|x-challenge[a-z-]*|x-cr-[a-z-]+)$/i
const CHALLENGE_TEXT =
  /\b(?:challenge[- ]response|please (?:confirm|verify) (?:that )?you(?:r message| are (?:a )?(?:human|real|person))|to (?:confirm|verify) (?:that )?you are (?:a )?(?:human|real person|not a (?:robot|spammer))|i use (?:a |an )?(?:spam[- ]?filter|anti-?spam (?:system|service)) that (?:requires|asks)|(?:approve|whitelist|authori[sz]e) (?:yourself|your (?:e-?mail )?address) (?:as a sender|by clicking)|sender verification (?:request|required)|your message is (?:being )?held (?:until|pending) (?:you|your) (?:confirm|verif))|\bmerci de confirmer (?:que vous [êe]tes|votre (?:adresse|message))|\bbitte best[äa]tigen sie (?:ihre|dass)/i

function autoReplyTo(ctx: FormatContext): string {
  return ctx.msg.from?.address || cleanAddress(ctx.header('return-path') ?? '')
}

function firstLines(body: string): string {
  return body
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 5)
    .join(' ')
}

export const rfc3834: FormatParser = {
  name: 'RFC3834',
  parse(ctx) {
    const { body, from, subject, header } = ctx
    if (EXCLUDE_SUBJECT.test(subject.toLowerCase()) || EXCLUDE_FROM.test(from.toLowerCase())) return undefined
    const hit =
      AUTO_HEADERS.some(([h, re]) => re.test((header(h) ?? '').trim().toLowerCase())) ||
      AUTO_SUBJECT.test(subject.trim()) ||
      AUTO_BODY.test(body.slice(0, 2000))
    if (!hit) return undefined
    const who = autoReplyTo(ctx)
    if (!who.includes('@')) return undefined
    return [{ recipient: who, diagnosticCode: squash(firstLines(body) || subject), reason: 'vacation' }]
  }
}

export const challengeResponse: FormatParser = {
  name: 'ChallengeResponse',
  parse(ctx) {
    const { msg, body, subject } = ctx
    const byHeader = msg.headers.some((h) => CHALLENGE_HEADERS.test(h.name))
    if (!byHeader && !CHALLENGE_TEXT.test(`${subject}\n${body.slice(0, 4000)}`)) return undefined
    const who = autoReplyTo(ctx)
    if (!who.includes('@')) return undefined
    return [{ recipient: who, diagnosticCode: squash(firstLines(body) || subject), reason: 'onhold' }]
  }
}
