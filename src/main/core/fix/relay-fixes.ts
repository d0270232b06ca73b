import ipaddr from 'ipaddr.js'
import type { FixSnippet } from '../../../shared/schemas/fix'
import { line, snippet } from './snippet'

/**
 * Relay and connector fixes: Postfix (postconf(5) smtpd_relay_restrictions, master.cf submission), Exchange
 * Server anonymous relay (learn.microsoft.com/exchange/mail-flow/connectors/allow-anonymous-relay) and Exchange
 * Online connectors / Enhanced Filtering for Connectors (New-InboundConnector, Set-InboundConnector -EFSkip*).
 */

function checkRanges(ranges: string[], warnings: string[]): string[] {
  const ok: string[] = []
  for (const r of ranges) {
    try {
      const [addr, len] = r.includes('/') ? ipaddr.parseCIDR(r) : [ipaddr.parse(r), undefined]
      const max = addr.kind() === 'ipv6' ? 128 : 32
      const bits = len ?? max
      if (bits === 0) warnings.push(`${r} allows every address: that makes an open relay.`)
      else if ((addr.kind() === 'ipv4' && bits < 24) || (addr.kind() === 'ipv6' && bits < 56))
        warnings.push(`${r} is a large range; allow only the hosts that really need to relay.`)
      ok.push(len === undefined ? addr.toString() : `${addr.toString()}/${len}`)
    } catch {
      warnings.push(`"${r}" is not an IP address or CIDR range; skipped.`)
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
  const warnings: string[] = []
  const nets = checkRanges(input.mynetworks ?? [], warnings)
  const fmt = (n: string): string =>
    n.includes(':') ? `[${n.split('/')[0]}]${n.includes('/') ? '/' + n.split('/')[1] : ''}` : n
  const mynetworks = ['127.0.0.0/8', '[::1]/128', ...nets.map(fmt)].join(' ')
  const main = snippet(
    'postfix-main-relay',
    'Postfix main.cf: who may relay',
    'config',
    [
      line(
        `mynetworks = ${mynetworks}`,
        'Hosts trusted to relay without logging in: localhost plus the listed networks only.'
      ),
      line(
        'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination',
        'Relay for trusted networks and authenticated users; anything else may only send to domains this server handles. defer_ answers 4xx, so a mistake is retried rather than bounced (Postfix ≥ 2.10).'
      ),
      ...(input.submission
        ? [
            line(
              `smtpd_sasl_type = ${input.sasl ?? 'dovecot'}`,
              'Which SASL implementation checks passwords.'
            ),
            line(
              input.sasl === 'cyrus' ? 'smtpd_sasl_path = smtpd' : 'smtpd_sasl_path = private/auth',
              'Where Postfix asks for authentication (Dovecot auth socket inside the Postfix queue directory).'
            )
          ]
        : []),
      line('postfix reload', 'Apply the change (run as root; not part of main.cf).')
    ],
    { warnings }
  )
  const out = [main]
  if (input.submission) {
    out.push(
      snippet(
        'postfix-master-submission',
        'Postfix master.cf: authenticated submission on port 587',
        'config',
        [
          line(
            'submission inet n       -       y       -       -       smtpd',
            'Listen on port 587 (RFC 6409) with its own smtpd settings below.'
          ),
          line(
            '  -o syslog_name=postfix/submission',
            'Separate log tag, to tell client submissions from server-to-server mail.'
          ),
          line('  -o smtpd_tls_security_level=encrypt', 'Require STARTTLS before anything else.'),
          line('  -o smtpd_sasl_auth_enable=yes', 'Offer SMTP AUTH here (and only here).'),
          line('  -o smtpd_tls_auth_only=yes', 'Never accept passwords over an unencrypted connection.'),
          line(
            '  -o smtpd_client_restrictions=permit_sasl_authenticated,reject',
            'Only logged-in clients may use this port.'
          ),
          line(
            '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject',
            'Authenticated clients may relay anywhere.'
          ),
          line(
            '  -o milter_macro_daemon_name=ORIGINATING',
            'Tells OpenDKIM these messages originate here, so they get signed.'
          )
        ]
      )
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
  const warnings: string[] = []
  const ranges = checkRanges(input.remoteIpRanges, warnings)
  if (ranges.length === 0) warnings.push('No valid remote IP ranges: the connector would not match anything.')
  const name = input.name ?? 'Anonymous Relay'
  const id = `${input.server}\\${name}`
  return snippet(
    'exchange-anonymous-relay',
    'Exchange Server: dedicated anonymous relay connector',
    'powershell',
    [
      line(
        `New-ReceiveConnector -Name "${name}" -Server ${input.server} -TransportRole FrontendTransport -Custom -Bindings 0.0.0.0:${input.port ?? 25} -RemoteIPRanges ${ranges.join(',')}`,
        'A separate receive connector used only by the listed devices (the most specific RemoteIPRanges wins), so other clients keep the default rules.'
      ),
      line(
        `Set-ReceiveConnector "${id}" -PermissionGroups AnonymousUsers`,
        'The devices connect without logging in.'
      ),
      line(
        `Get-ReceiveConnector "${id}" | Add-ADPermission -User "NT AUTHORITY\\ANONYMOUS LOGON" -ExtendedRights "Ms-Exch-SMTP-Accept-Any-Recipient"`,
        'Grants relay to external recipients for anonymous sessions on this connector only.'
      )
    ],
    {
      warnings: [
        ...warnings,
        'Do not use -AuthMechanism ExternalAuthoritative for devices: it treats the sessions as internal and bypasses anti-spam checks.'
      ]
    }
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
  const warnings: string[] = []
  if (input.direction === 'inbound-from-onprem') {
    const ips = checkRanges(input.senderIps ?? [], warnings)
    if (!input.tlsCertificateName && ips.length === 0)
      warnings.push('Give a certificate name or sender IPs, or Microsoft 365 cannot recognise your server.')
    const id = input.tlsCertificateName
      ? `-RequireTls $true -TlsSenderCertificateName ${input.tlsCertificateName}`
      : `-SenderIPAddresses ${ips.join(',')} -RestrictDomainsToIPAddresses $false`
    return snippet(
      'exo-inbound-connector',
      'Exchange Online: inbound connector from your on-premises server',
      'powershell',
      [
        line(
          `New-InboundConnector -Name "${input.name}" -ConnectorType OnPremises -SenderDomains * ${id}`,
          'Identifies your own server (by certificate — preferred — or by IP) so Microsoft 365 attributes relayed mail to your tenant; a mismatch causes 5.7.64 TenantAttribution errors.'
        )
      ],
      { warnings }
    )
  }
  const domains = input.recipientDomains ?? []
  const hosts = input.smartHosts ?? []
  if (!domains.length) warnings.push('No recipient domains: the connector would never be used.')
  return snippet(
    'exo-outbound-connector',
    'Exchange Online: outbound connector to a partner',
    'powershell',
    [
      line(
        `New-OutboundConnector -Name "${input.name}" -ConnectorType Partner -RecipientDomains ${domains.join(',')}${
          hosts.length ? ` -UseMXRecord $false -SmartHosts ${hosts.join(',')}` : ' -UseMXRecord $true'
        } -TlsSettings DomainValidation${input.tlsCertificateName ? ` -TlsDomain ${input.tlsCertificateName}` : ''}`,
        "Routes mail for the partner domains through this connector and requires TLS with a certificate valid for the partner's name."
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
  const warnings: string[] = []
  const ips = checkRanges(input.skipIps ?? [], warnings)
  const lines = ips.length
    ? [
        line(
          `Set-InboundConnector -Identity "${input.connector}" -EFSkipLastIP $false -EFSkipIPs ${ips.join(',')}`,
          'Enhanced Filtering for Connectors: ignore these filter-service IPs and evaluate SPF and IP reputation against the original sender found in the Received headers.'
        )
      ]
    : [
        line(
          `Set-InboundConnector -Identity "${input.connector}" -EFSkipLastIP $true`,
          'Enhanced Filtering for Connectors: skip the last hop (your third-party filter) so SPF, DMARC and IP reputation see the real sending server instead of the filter.'
        )
      ]
  if (!ips.length && input.skipLastIp === false)
    warnings.push('Neither skipLastIp nor skipIps given; defaulting to -EFSkipLastIP $true.')
  return snippet(
    'exo-enhanced-filtering',
    'Exchange Online: Enhanced Filtering for Connectors',
    'powershell',
    lines,
    {
      warnings: [
        ...warnings,
        'Without it, mail routed through another filter looks like it comes from that filter: SPF fails and spoof detection misfires.'
      ]
    }
  )
}
