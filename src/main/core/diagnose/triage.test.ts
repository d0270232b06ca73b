import { describe, expect, it } from 'vitest'
import { CaseTriage } from '../../../shared/contract/diagnose'
import { Analysis } from '../../../shared/schemas/analysis'
import type { BounceRecipient } from '../../../shared/schemas/bounce'
import type { ListedOn, VerdictCause } from '../../../shared/schemas/verdict'
import { isFailedRecipient, receiverDomain, triageCase, type TriageItem } from './triage'

/** A stored analysis built by hand: only the fields the triage reads vary. */
function analysis(opts: {
  kind?: Analysis['kind']
  recipients?: Partial<BounceRecipient>[]
  cause?: VerdictCause
  listedOn?: ListedOn[]
  ip?: string
  sendingIp?: string
  originalIp?: string
  originalDomain?: string
  sendingDomain?: string
}): Analysis {
  const summary = { from: null, to: null, subject: null, date: null, messageId: null }
  return Analysis.parse({
    file: 'x.eml',
    kind: opts.kind ?? 'bounce',
    summary,
    headers: [],
    hops: [],
    totalDelaySec: null,
    edge: null,
    sendingIp: opts.sendingIp ?? null,
    sendingDomain: opts.sendingDomain ?? null,
    bounce: opts.recipients
      ? {
          isBounce: true,
          format: 'RFC3464',
          recipients: opts.recipients.map((r) => ({ recipient: 'x@example.net', reason: 'undefined', ...r }))
        }
      : undefined,
    original:
      opts.originalIp || opts.originalDomain
        ? {
            headersOnly: true,
            summary,
            headers: [],
            hops: [],
            totalDelaySec: null,
            edge: null,
            sendingIp: opts.originalIp ?? null,
            sendingDomain: opts.originalDomain ?? null,
            auth: {
              recorded: {
                authResults: [],
                arcResults: [],
                receivedSpf: [],
                trusted: { headerIndexes: [], reason: '', ambiguous: false },
                dkim: [],
                findings: []
              }
            },
            antispam: { vendors: [], findings: [] }
          }
        : undefined,
    verdict: opts.cause
      ? {
          cause: opts.cause,
          title: opts.cause,
          summary: '',
          confidence: 0.9,
          evidence: [],
          quotes: [],
          nextSteps: [],
          urls: [],
          listedOn: opts.listedOn ?? [],
          ip: opts.ip,
          secondary: []
        }
      : undefined
  })
}

const zen: ListedOn = { list: 'spamhaus-zen', name: 'Spamhaus ZEN', target: '203.0.113.25' }

/** The mbox of the e2e test, as analyses: two Spamhaus blocks from one IP, a user unknown, a Gmail 5.7.26. */
const MBOX: TriageItem[] = [
  {
    id: 11,
    analysis: analysis({
      recipients: [
        {
          recipient: 'bob@Customer.example.net',
          status: '5.7.1',
          replyCode: '554',
          reason: 'blocked',
          remoteMta: 'mx.customer.example.net'
        }
      ],
      cause: 'blocklist',
      listedOn: [zen, zen],
      ip: '203.0.113.25',
      sendingIp: '198.51.100.200',
      originalDomain: 'example.org'
    })
  },
  {
    id: 12,
    analysis: analysis({
      recipients: [
        { recipient: 'carol@customer.example.net', status: '5.7.1', reason: 'blocked' },
        {
          recipient: 'dave@partner.example.com',
          status: '5.7.1',
          reason: 'blocked',
          remoteMta: 'mx.partner.example.com'
        }
      ],
      cause: 'blocklist',
      listedOn: [{ list: 'spamhaus-zen', name: 'Spamhaus ZEN' }],
      ip: '203.0.113.25',
      originalDomain: 'example.org'
    })
  },
  {
    id: 13,
    analysis: analysis({
      recipients: [
        {
          recipient: 'nobody@customer.example.net',
          status: '5.1.1',
          replyCode: '550',
          reason: 'userunknown'
        },
        // A delivered recipient in the same DSN is not a failure.
        { recipient: 'ok@customer.example.net', action: 'delivered', status: '2.0.0', reason: 'delivered' }
      ],
      cause: 'recipient-unknown',
      originalIp: '203.0.113.25',
      originalDomain: 'example.org'
    })
  },
  {
    id: 14,
    analysis: analysis({
      recipients: [
        { recipient: 'erin@gmail.com', replyCode: '550', reason: 'authfailure', remoteMta: 'MX.Google.com' }
      ],
      cause: 'authentication',
      originalIp: '203.0.113.77',
      originalDomain: 'Shop.example'
    })
  }
]

describe('triageCase', () => {
  it('counts messages, bounces and failed recipients per cause, reason and status', () => {
    const t = triageCase(MBOX)
    expect(CaseTriage.parse(t)).toEqual(t)
    expect(t).toMatchObject({ messages: 4, bounces: 4, recipients: 5, unreadable: 0, noVerdict: 0 })
    expect(t.byCause).toEqual([
      { cause: 'blocklist', messages: 2, recipients: 3, evidenceIds: [11, 12] },
      { cause: 'authentication', messages: 1, recipients: 1, evidenceIds: [14] },
      { cause: 'recipient-unknown', messages: 1, recipients: 1, evidenceIds: [13] }
    ])
    expect(t.byReason).toEqual([
      { reason: 'blocked', count: 3 },
      { reason: 'authfailure', count: 1 },
      { reason: 'userunknown', count: 1 }
    ])
    // The status code, else the reply code.
    expect(t.statusCodes).toEqual([
      { status: '5.7.1', count: 3 },
      { status: '5.1.1', count: 1 },
      { status: '550', count: 1 }
    ])
  })

  it('groups receivers by recipient domain with their causes and remote MTAs', () => {
    const t = triageCase(MBOX)
    expect(t.byReceiver).toEqual([
      {
        domain: 'customer.example.net',
        count: 3,
        causes: ['blocklist', 'recipient-unknown'],
        remoteMtas: ['mx.customer.example.net']
      },
      { domain: 'gmail.com', count: 1, causes: ['authentication'], remoteMtas: ['mx.google.com'] },
      {
        domain: 'partner.example.com',
        count: 1,
        causes: ['blocklist'],
        remoteMtas: ['mx.partner.example.com']
      }
    ])
  })

  it('names each blocklist once per message with its IP, and the IPs and domains involved', () => {
    const t = triageCase(MBOX)
    // The duplicate listing in message 11 counts once; message 12's untargeted listing takes the verdict's IP.
    expect(t.byList).toEqual([{ list: 'spamhaus-zen', name: 'Spamhaus ZEN', ip: '203.0.113.25', count: 2 }])
    // The rejection's IP first; the bounce's own edge (198.51.100.200) is never the sender.
    expect(t.sendingIps).toEqual([
      { ip: '203.0.113.25', count: 3 },
      { ip: '203.0.113.77', count: 1 }
    ])
    expect(t.sendingDomains).toEqual([
      { domain: 'example.org', count: 3 },
      { domain: 'shop.example', count: 1 }
    ])
  })

  it('keeps unreadable analyses and evidence without a verdict apart', () => {
    const t = triageCase([
      { id: 1, analysis: undefined },
      { id: 2, analysis: analysis({ kind: 'message', sendingIp: '192.0.2.9', sendingDomain: 'a.example' }) },
      { id: 3, analysis: analysis({ kind: 'smtp-text', recipients: [{ recipient: '', reason: 'blocked' }] }) }
    ])
    expect(t).toMatchObject({
      messages: 3,
      bounces: 1,
      recipients: 1,
      unreadable: 1,
      noVerdict: 2,
      byCause: []
    })
    // A plain message's own edge IP is its sender; a recipient without an address or MTA has no domain.
    expect(t.sendingIps).toEqual([{ ip: '192.0.2.9', count: 1 }])
    expect(t.byReceiver).toEqual([{ domain: '', count: 1, causes: [], remoteMtas: [] }])
  })

  it('is empty for an empty case', () => {
    const t = triageCase([])
    expect(t.messages).toBe(0)
    expect(t.byCause).toEqual([])
    expect(t.sendingIps).toEqual([])
  })
})

describe('triage helpers', () => {
  it('treats delivered, relayed and expanded recipients as not failed', () => {
    const r = (x: Partial<BounceRecipient>): BounceRecipient => ({
      recipient: 'a@b',
      reason: 'blocked',
      ...x
    })
    expect(isFailedRecipient(r({ action: 'failed' }))).toBe(true)
    expect(isFailedRecipient(r({ action: 'delayed' }))).toBe(true)
    expect(isFailedRecipient(r({}))).toBe(true)
    expect(isFailedRecipient(r({ action: 'Relayed' }))).toBe(false)
    expect(isFailedRecipient(r({ reason: 'delivered' }))).toBe(false)
    expect(receiverDomain(r({ recipient: '<Bob@Example.NET>' }))).toBe('example.net')
    expect(receiverDomain(r({ recipient: 'postmaster', remoteMta: 'MX.example.org' }))).toBe('mx.example.org')
  })
})
