import { ReportError } from './unpack'

/**
 * SMTP TLS reports (RFC 8460 §4): JSON with one entry per policy (sts, tlsa or no-policy-found), its session
 * counts and failure details by result type (§4.3: starttls-not-supported, certificate-host-mismatch,
 * sts-policy-fetch-error, validation-failure, …) and receiving MX.
 */
export interface TlsFailure {
  resultType: string
  sendingMtaIp?: string
  receivingMx?: string
  receivingIp?: string
  count: number
  reason?: string
}

export interface TlsPolicyResult {
  policyType: string
  policyDomain: string
  mxHosts: string[]
  successful: number
  failed: number
  failures: TlsFailure[]
}

export interface TlsReport {
  kind: 'tls'
  orgName: string
  reportId: string
  contact?: string
  begin: number
  end: number
  policies: TlsPolicyResult[]
}

type Node = Record<string, unknown>
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {})
const s = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')
const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0)

export function parseTlsReport(text: string, file: string): TlsReport {
  if (!text.trim()) throw new ReportError('dmarc.empty', { file }, `${file} is empty.`)
  let doc: Node
  try {
    doc = obj(JSON.parse(text))
  } catch (e) {
    throw new ReportError(
      'dmarc.badJson',
      { file, detail: (e as Error).message },
      `${file} is not valid JSON (truncated?): ${(e as Error).message}`
    )
  }
  const range = obj(doc['date-range'])
  const policies = doc.policies
  if (!Array.isArray(policies) || !s(doc['report-id']))
    throw new ReportError(
      'dmarc.notTls',
      { file },
      `${file} is JSON but not an SMTP TLS report (RFC 8460 needs "report-id" and "policies").`
    )
  const epoch = (v: unknown) => {
    const t = Date.parse(s(v))
    return Number.isNaN(t) ? 0 : Math.floor(t / 1000)
  }
  return {
    kind: 'tls',
    orgName: s(doc['organization-name']),
    reportId: s(doc['report-id']),
    contact: s(doc['contact-info']) || undefined,
    begin: epoch(range['start-datetime']),
    end: epoch(range['end-datetime']),
    policies: policies.map((raw) => {
      const p = obj(raw)
      const pol = obj(p.policy)
      const sum = obj(p.summary)
      const mx = pol['mx-host']
      return {
        policyType: s(pol['policy-type']) || 'no-policy-found',
        policyDomain: s(pol['policy-domain']).toLowerCase(),
        mxHosts: (Array.isArray(mx) ? mx : mx ? [mx] : []).map(s).filter(Boolean),
        successful: n(sum['total-successful-session-count']),
        failed: n(sum['total-failure-session-count']),
        failures: (Array.isArray(p['failure-details']) ? p['failure-details'] : []).map((fr) => {
          const f = obj(fr)
          return {
            resultType: s(f['result-type']) || 'unknown',
            sendingMtaIp: s(f['sending-mta-ip']) || undefined,
            receivingMx: s(f['receiving-mx-hostname']).toLowerCase().replace(/\.$/, '') || undefined,
            receivingIp: s(f['receiving-ip']) || undefined,
            count: n(f['failed-session-count']),
            reason: s(f['failure-reason-code']) || s(f['additional-information']) || undefined
          }
        })
      }
    })
  }
}
