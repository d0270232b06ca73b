import ipaddr from 'ipaddr.js'
import type { FixSnippet } from '../../../shared/schemas/fix'
import { text, type Text } from '../../../shared/text'
import { line, snippet } from './snippet'

/**
 * Relay and connector fixes: Postfix (postconf(5) smtpd_relay_restrictions, master.cf submission), Exchange
 * Server anonymous relay (learn.microsoft.com/exchange/mail-flow/connectors/allow-anonymous-relay) and Exchange
 * Online connectors / Enhanced Filtering for Connectors (New-InboundConnector, Set-InboundConnector -EFSkip*).
 */

function checkRanges(ranges: string[], warnings: Text[]): string[] {
  const ok: string[] = []
  for (const r of ranges) {
    try {
      const [addr, len] = r.includes('/') ? ipaddr.parseCIDR(r) : [ipaddr.parse(r), undefined]
      const max = addr.kind() === 'ipv6' ? 128 : 32
      const bits = len ?? max
      if (bits === 0) warnings.push(text('fixgen:relay.warn.everyAddress', { range: r }))
      else if ((addr.kind() === 'ipv4' && bits < 24) || (addr.kind() === 'ipv6' && bits < 56))
        warnings.push(text('fixgen:relay.warn.largeRange', { range: r }))
      ok.push(len === undefined ? addr.toString() : `${addr.toString()}/${len}`)
    } catch {
      warnings.push(text('fixgen:relay.warn.notIp', { value: r }))
    }
  }
  return ok
}

export interface PostfixRelayInput {
  /** Networks allowed to relay without authentication (besides localhost). */
  mynetworks?: string[]
  /** Add a SASL-authenticated submission service on port 587 (RFC 6409). */
  submission?: boolean
  /** SASL backend; Dovecot is the common one. */
  sasl?: 'dovecot' | 'cyrus'
}

export function postfixRelayFix(input: PostfixRelayInput = {}): FixSnippet[] {
  const warnings: Text[] = []
  const nets = checkRanges(input.mynetworks ?? [], warnings)
  const fmt = (n: string): string =>
    n.includes(':') ? `[${n.split('/')[0]}]${n.includes('/') ? '/' + n.split('/')[1] : ''}` : n
  const mynetworks = ['127.0.0.0/8', '[::1]/128', ...nets.map(fmt)].join(' ')
  const main = snippet(
    'postfix-main-relay',
    text('fixgen:relay.postfixMainTitle'),
    'config',
    [
      line(`mynetworks = ${mynetworks}`, text('fixgen:relay.postfix.mynetworks')),
      line(
        'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination',
        text('fixgen:relay.postfix.restrictions')
      ),
      ...(input.submission
        ? [
            line(`smtpd_sasl_type = ${input.sasl ?? 'dovecot'}`, text('fixgen:relay.postfix.saslType')),
            line(
              input.sasl === 'cyrus' ? 'smtpd_sasl_path = smtpd' : 'smtpd_sasl_path = private/auth',
              text('fixgen:relay.postfix.saslPath')
            )
          ]
        : []),
      line('postfix reload', text('fixgen:relay.postfix.reload'))
    ],
    { warnings }
  )
  const out = [main]
  if (input.submission) {
    out.push(
      snippet('postfix-master-submission', text('fixgen:relay.submissionTitle'), 'config', [
        line(
          'submission inet n       -       y       -       -       smtpd',
          text('fixgen:relay.submission.listen')
        ),
        line('  -o syslog_name=postfix/submission', text('fixgen:relay.submission.syslog')),
        line('  -o smtpd_tls_security_level=encrypt', text('fixgen:relay.submission.tls')),
        line('  -o smtpd_sasl_auth_enable=yes', text('fixgen:relay.submission.auth')),
        line('  -o smtpd_tls_auth_only=yes', text('fixgen:relay.submission.authOnly')),
        line(
          '  -o smtpd_client_restrictions=permit_sasl_authenticated,reject',
          text('fixgen:relay.submission.clients')
        ),
        line(
          '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject',
          text('fixgen:relay.submission.relay')
        ),
        line('  -o milter_macro_daemon_name=ORIGINATING', text('fixgen:relay.submission.originating'))
      ])
    )
  }
  return out
}

export interface ExchangeRelayInput {
  name?: string
  /** Exchange server that gets the connector, e.g. "EX01". */
  server: string
  /** Devices / application servers allowed to relay anonymously. */
  remoteIpRanges: string[]
  port?: number
}

export function exchangeAnonymousRelay(input: ExchangeRelayInput): FixSnippet {
  const warnings: Text[] = []
  const ranges = checkRanges(input.remoteIpRanges, warnings)
  if (ranges.length === 0) warnings.push(text('fixgen:relay.warn.noRanges'))
  const name = input.name ?? 'Anonymous Relay'
  const id = `${input.server}\\${name}`
  return snippet(
    'exchange-anonymous-relay',
    text('fixgen:relay.exchangeTitle'),
    'powershell',
    [
      line(
        `New-ReceiveConnector -Name "${name}" -Server ${input.server} -TransportRole FrontendTransport -Custom -Bindings 0.0.0.0:${input.port ?? 25} -RemoteIPRanges ${ranges.join(',')}`,
        text('fixgen:relay.exchange.connector')
      ),
      line(
        `Set-ReceiveConnector "${id}" -PermissionGroups AnonymousUsers`,
        text('fixgen:relay.exchange.anonymous')
      ),
      line(
        `Get-ReceiveConnector "${id}" | Add-ADPermission -User "NT AUTHORITY\\ANONYMOUS LOGON" -ExtendedRights "Ms-Exch-SMTP-Accept-Any-Recipient"`,
        text('fixgen:relay.exchange.permission')
      )
    ],
    { warnings: [...warnings, text('fixgen:relay.warn.externalAuthoritative')] }
  )
}

export interface ExchangeOnlineConnectorInput {
  direction: 'inbound-from-onprem' | 'outbound-to-partner'
  name: string
  /** Inbound: certificate subject the on-premises server presents; outbound: the partner's TLS name. */
  tlsCertificateName?: string
  /** Inbound: public IPs of the on-premises server(s). */
  senderIps?: string[]
  /** Outbound: recipient domains routed through the connector and smart hosts. */
  recipientDomains?: string[]
  smartHosts?: string[]
}

export function exchangeOnlineConnector(input: ExchangeOnlineConnectorInput): FixSnippet {
  const warnings: Text[] = []
  if (input.direction === 'inbound-from-onprem') {
    const ips = checkRanges(input.senderIps ?? [], warnings)
    if (!input.tlsCertificateName && ips.length === 0) warnings.push(text('fixgen:relay.warn.identify'))
    const id = input.tlsCertificateName
      ? `-RequireTls $true -TlsSenderCertificateName ${input.tlsCertificateName}`
      : `-SenderIPAddresses ${ips.join(',')} -RestrictDomainsToIPAddresses $false`
    return snippet(
      'exo-inbound-connector',
      text('fixgen:relay.inboundTitle'),
      'powershell',
      [
        line(
          `New-InboundConnector -Name "${input.name}" -ConnectorType OnPremises -SenderDomains * ${id}`,
          text('fixgen:relay.inbound')
        )
      ],
      { warnings }
    )
  }
  const domains = input.recipientDomains ?? []
  const hosts = input.smartHosts ?? []
  if (!domains.length) warnings.push(text('fixgen:relay.warn.noDomains'))
  return snippet(
    'exo-outbound-connector',
    text('fixgen:relay.outboundTitle'),
    'powershell',
    [
      line(
        `New-OutboundConnector -Name "${input.name}" -ConnectorType Partner -RecipientDomains ${domains.join(',')}${
          hosts.length ? ` -UseMXRecord $false -SmartHosts ${hosts.join(',')}` : ' -UseMXRecord $true'
        } -TlsSettings DomainValidation${input.tlsCertificateName ? ` -TlsDomain ${input.tlsCertificateName}` : ''}`,
        text('fixgen:relay.outbound')
      )
    ],
    { warnings }
  )
}

export interface EnhancedFilteringInput {
  connector: string
  /** Skip only the last hop (the third-party filter in front of Microsoft 365). */
  skipLastIp?: boolean
  /** Or skip these specific IPs/ranges of the filter service. */
  skipIps?: string[]
}

export function enhancedFilteringFix(input: EnhancedFilteringInput): FixSnippet {
  const warnings: Text[] = []
  const ips = checkRanges(input.skipIps ?? [], warnings)
  const lines = ips.length
    ? [
        line(
          `Set-InboundConnector -Identity "${input.connector}" -EFSkipLastIP $false -EFSkipIPs ${ips.join(',')}`,
          text('fixgen:relay.ef.skipIps')
        )
      ]
    : [
        line(
          `Set-InboundConnector -Identity "${input.connector}" -EFSkipLastIP $true`,
          text('fixgen:relay.ef.skipLast')
        )
      ]
  if (!ips.length && input.skipLastIp === false) warnings.push(text('fixgen:relay.warn.efDefault'))
  return snippet('exo-enhanced-filtering', text('fixgen:relay.efTitle'), 'powershell', lines, {
    warnings: [...warnings, text('fixgen:relay.warn.efWhy')]
  })
}
