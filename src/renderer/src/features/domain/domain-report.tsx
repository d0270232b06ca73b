import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core'
import { DonutChart } from '@mantine/charts'
import { IconHelpCircle } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import {
  MECHANISMS,
  isCouldNotCheck,
  mechanismOf,
  mechanismStates,
  nothingAnswered,
  type Mechanism
} from '@shared/contract/domain'
import type { CheckState, Finding } from '@shared/schemas/common'
import type { DomainReport } from '@shared/schemas/domain'
import { fmtDate, fmtNumber, useText } from '../../i18n'
import { FindingCard } from './finding-card'
import { RecordBlock } from './record-block'
import { SEVERITY_COLOR, SEVERITY_ORDER, STATE_COLOR } from './domain-ui'
import { SpfTree } from './spf-tree'

const SEV_RANK: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3, ok: 4 }
const bySeverity = (a: Finding, b: Finding) => (SEV_RANK[a.severity] ?? 9) - (SEV_RANK[b.severity] ?? 9)

export function StateBadge({ state, size = 'sm' }: { state: CheckState; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation('domain')
  const unknown = state === 'could_not_check'
  return (
    <Badge
      size={size}
      color={STATE_COLOR[state]}
      variant={unknown ? 'outline' : 'light'}
      leftSection={unknown ? <IconHelpCircle size={12} /> : undefined}
      data-state={state}
    >
      {t(`state.${state}`)}
    </Badge>
  )
}

/** Counts by severity (donut), and one state per mechanism: the "how bad is it" glance. */
export function SummaryStrip({ report }: { report: DomainReport }) {
  const { t } = useTranslation('domain')
  const states = mechanismStates(report)
  const problems = report.findings.filter((f) => !isCouldNotCheck(f))
  const counts = SEVERITY_ORDER.map((s) => ({ s, n: problems.filter((f) => f.severity === s).length }))
  const unknown = report.findings.filter(isCouldNotCheck).length
  const passing = MECHANISMS.filter((m) => states[m] === 'pass').length
  const data = [
    ...counts
      .filter((c) => c.n > 0)
      .map((c) => ({ name: t(`severity.${c.s}`), value: c.n, color: SEVERITY_COLOR[c.s] })),
    ...(unknown ? [{ name: t('state.could_not_check'), value: unknown, color: 'yellow.5' }] : [])
  ]
  return (
    <Paper withBorder p="sm" data-testid="domain-summary">
      <Group align="center" gap="lg" wrap="wrap">
        {data.length > 0 && (
          <DonutChart
            data={data}
            size={110}
            thickness={16}
            withTooltip
            tooltipDataSource="segment"
            chartLabel={fmtNumber(report.findings.length)}
            data-testid="severity-chart"
          />
        )}
        <Stack gap={6} style={{ flex: 1, minWidth: 260 }}>
          <Group gap="xs">
            <Title order={4} ff="monospace">
              {report.domain}
            </Title>
            <Text size="sm" c="dimmed">
              {t('checkedAt', { date: fmtDate(report.checkedAt) })}
            </Text>
          </Group>
          <Text size="sm" data-testid="domain-score">
            {t('score', { passing, total: MECHANISMS.length })}
          </Text>
          <Group gap={6}>
            {counts.map((c) => (
              <Badge
                key={c.s}
                color={SEVERITY_COLOR[c.s]}
                variant={c.n ? 'filled' : 'light'}
                data-testid={`count-${c.s}`}
              >
                {t(`severity.${c.s}`)}: {fmtNumber(c.n)}
              </Badge>
            ))}
            {unknown > 0 && (
              <Badge
                color="yellow"
                variant="outline"
                leftSection={<IconHelpCircle size={12} />}
                data-testid="count-could-not-check"
              >
                {t('state.could_not_check')}: {fmtNumber(unknown)}
              </Badge>
            )}
          </Group>
        </Stack>
        <SimpleGrid cols={4} spacing={6} verticalSpacing={6}>
          {MECHANISMS.map((m) => (
            <Group key={m} gap={4} wrap="nowrap" data-testid={`mech-state-${m}`}>
              <Text size="xs" fw={600} w={92}>
                {t(`mechanism.${m}`)}
              </Text>
              <StateBadge state={states[m]} size="xs" />
            </Group>
          ))}
        </SimpleGrid>
      </Group>
      {nothingAnswered(report) && (
        <Alert
          color="yellow"
          mt="xs"
          icon={<IconHelpCircle size={16} />}
          data-testid="domain-nothing-answered"
        >
          {t('nothingAnswered')}
        </Alert>
      )}
    </Paper>
  )
}

function KeyValues({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={1} fz="sm">
      <Table.Tbody>
        {rows
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w={170} c="dimmed">
                {k}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{v}</Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  )
}

/** What DNS holds for a mechanism today, beyond the findings: records, keys, hosts. */
function MechanismDetails({ m, r }: { m: Mechanism; r: DomainReport }) {
  const { t } = useTranslation('domain')
  const tx = useText()
  const yes = (b: boolean | null | undefined) =>
    b === null || b === undefined ? '—' : b ? t('yes') : t('no')
  switch (m) {
    case 'spf':
      return (
        <>
          {r.spf.record && <RecordBlock label={t('record')} text={r.spf.record} testId="spf-record" />}
          <SpfTree spf={r.spf} />
          {r.spf.evaluations.length > 0 && (
            <Table fz="xs" mt="xs" striped data-testid="spf-evaluations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ip')}</Table.Th>
                  <Table.Th>{t('spf.result')}</Table.Th>
                  <Table.Th>{t('spf.path')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.spf.evaluations.map((e) => (
                  <Table.Tr key={e.ip}>
                    <Table.Td ff="monospace">{e.ip}</Table.Td>
                    <Table.Td>
                      <Badge
                        size="xs"
                        color={
                          e.result === 'pass'
                            ? 'green'
                            : e.result === 'temperror'
                              ? 'yellow'
                              : e.result === 'none' || e.result === 'neutral'
                                ? 'gray'
                                : 'red'
                        }
                      >
                        {e.result}
                      </Badge>
                    </Table.Td>
                    <Table.Td ff="monospace">{e.path.join(' → ') || e.comment}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )
    case 'dkim':
      return r.dkim.length === 0 ? null : (
        <Table fz="xs" striped data-testid="dkim-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dkim.selector')}</Table.Th>
              <Table.Th>{t('dkim.source')}</Table.Th>
              <Table.Th>{t('stateLabel')}</Table.Th>
              <Table.Th>{t('dkim.key')}</Table.Th>
              <Table.Th>{t('dkim.name')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.dkim.map((d) => (
              <Table.Tr key={d.selector} data-testid="dkim-row" data-selector={d.selector}>
                <Table.Td ff="monospace">{d.selector}</Table.Td>
                <Table.Td>{t(`dkim.from.${d.source}`)}</Table.Td>
                <Table.Td>
                  <StateBadge state={d.state} size="xs" />
                </Table.Td>
                <Table.Td>
                  {[
                    d.keyType,
                    d.keyBits ? t('dkim.bits', { bits: d.keyBits }) : null,
                    d.testing ? 't=y' : null,
                    d.revoked ? t('dkim.revoked') : null
                  ]
                    .filter(Boolean)
                    .join(' · ') || '—'}
                </Table.Td>
                <Table.Td ff="monospace">{d.cname ? `${d.name} → ${d.cname}` : d.name}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )
    case 'dmarc':
      return (
        <>
          <KeyValues
            rows={[
              [
                t('dmarc.foundAt'),
                r.dmarc.name ? (
                  <Text span ff="monospace" size="sm">
                    {r.dmarc.name}
                    {r.dmarc.inherited ? ` (${t('dmarc.inherited')})` : ''}
                  </Text>
                ) : undefined
              ],
              [
                t('dmarc.policy'),
                r.dmarc.effectivePolicy ? (
                  <Badge size="sm" color={r.dmarc.effectivePolicy === 'none' ? 'orange' : 'green'}>
                    p={r.dmarc.effectivePolicy}
                  </Badge>
                ) : undefined
              ],
              [t('dmarc.pct'), r.dmarc.pct !== undefined ? `${r.dmarc.pct} %` : undefined],
              [t('dmarc.rua'), r.dmarc.rua.map((u) => u.uri).join(', ')]
            ]}
          />
          {r.dmarc.record && <RecordBlock label={t('record')} text={r.dmarc.record} testId="dmarc-record" />}
          {/* The planner's next step, unless a finding already offers that very record as its fix. */}
          {r.dmarc.nextStep && !r.findings.some((f) => f.fixRecord === r.dmarc.nextStep?.record) && (
            <Paper
              withBorder
              p="xs"
              mt="xs"
              bg="var(--mantine-color-teal-light)"
              data-testid="dmarc-next-step"
            >
              <Text size="sm" fw={600}>
                {t('dmarc.nextStep')}
              </Text>
              <Text size="sm">{tx(r.dmarc.nextStep.explanationText, r.dmarc.nextStep.explanation)}</Text>
              <RecordBlock text={r.dmarc.nextStep.record} tone="fix" />
            </Paper>
          )}
        </>
      )
    case 'mx':
      return r.mx.length === 0 ? null : (
        <Table fz="xs" striped data-testid="mx-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('mx.priority')}</Table.Th>
              <Table.Th>{t('mx.host')}</Table.Th>
              <Table.Th>{t('mx.addresses')}</Table.Th>
              <Table.Th>{t('stateLabel')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.mx.map((x) => (
              <Table.Tr key={`${x.priority}-${x.exchange}`}>
                <Table.Td>{x.priority}</Table.Td>
                <Table.Td ff="monospace">
                  {x.isNull ? t('mx.null') : x.exchange}
                  {x.isCname ? ' (CNAME)' : ''}
                </Table.Td>
                <Table.Td ff="monospace">{x.addresses.join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <StateBadge state={x.state} size="xs" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )
    case 'ptr':
      return r.ptr.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="ptr-not-checked">
          {t('ptr.noIps')}
        </Text>
      ) : (
        <Table fz="xs" striped data-testid="ptr-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ip')}</Table.Th>
              <Table.Th>{t('ptr.names')}</Table.Th>
              <Table.Th>{t('ptr.fcrdns')}</Table.Th>
              <Table.Th>{t('ptr.helo')}</Table.Th>
              <Table.Th>{t('stateLabel')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.ptr.map((p) => (
              <Table.Tr key={p.ip}>
                <Table.Td ff="monospace">{p.ip}</Table.Td>
                <Table.Td ff="monospace">{p.names.join(', ') || '—'}</Table.Td>
                <Table.Td ff="monospace">{p.confirmedName ?? '—'}</Table.Td>
                <Table.Td ff="monospace">{p.helo ? `${p.helo} (${yes(p.heloResolves)})` : '—'}</Table.Td>
                <Table.Td>
                  <StateBadge state={p.state} size="xs" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )
    case 'mta-sts':
      return (
        <>
          <KeyValues
            rows={[
              [
                t('mtaSts.policyUrl'),
                r.mtaSts.record ? (
                  <Text span ff="monospace" size="sm">
                    {r.mtaSts.policyUrl}
                  </Text>
                ) : undefined
              ],
              [t('mtaSts.mode'), r.mtaSts.policy?.mode],
              [t('mtaSts.mx'), r.mtaSts.policy?.mx.join(', ')],
              [
                t('mtaSts.maxAge'),
                r.mtaSts.policy?.maxAge !== undefined ? String(r.mtaSts.policy.maxAge) : undefined
              ],
              [t('mtaSts.fetchError'), r.mtaSts.fetchError]
            ]}
          />
          {r.mtaSts.record && <RecordBlock label={t('record')} text={r.mtaSts.record} />}
        </>
      )
    case 'tls-rpt':
      return r.tlsRpt.record ? <RecordBlock label={t('record')} text={r.tlsRpt.record} /> : null
    case 'bimi':
      return (
        <>
          <KeyValues
            rows={[
              [t('bimi.logo'), r.bimi.logo],
              [t('bimi.authority'), r.bimi.authority],
              [t('bimi.dmarcEnforced'), r.bimi.record ? yes(r.bimi.dmarcEnforced) : undefined]
            ]}
          />
          {r.bimi.record && <RecordBlock label={t('record')} text={r.bimi.record} />}
        </>
      )
  }
}

function MechanismSection({
  m,
  report,
  findings
}: {
  m: Mechanism
  report: DomainReport
  findings: Finding[]
}) {
  const { t } = useTranslation('domain')
  const state = mechanismStates(report)[m]
  return (
    <Paper withBorder p="sm" data-testid={`mechanism-${m}`} data-state={state}>
      <Group justify="space-between" mb={4}>
        <Group gap="xs">
          <Title order={5}>{t(`mechanism.${m}`)}</Title>
          <StateBadge state={state} />
        </Group>
        <Tooltip label={t(`about.${m}`)} multiline w={320}>
          <Text size="xs" c="dimmed" style={{ cursor: 'help' }}>
            {t(`rfc.${m}`)}
          </Text>
        </Tooltip>
      </Group>
      <Text size="xs" c="dimmed" mb={6}>
        {t(`about.${m}`)}
      </Text>
      <MechanismDetails m={m} r={report} />
      <Stack gap={6} mt="xs">
        {findings.map((f) => (
          <FindingCard key={f.id} finding={f} />
        ))}
      </Stack>
    </Paper>
  )
}

/** The full report: summary strip, then one section per mechanism with its records, tree and findings. */
export function DomainReportView({ report }: { report: DomainReport }) {
  const grouped = new Map<Mechanism, Finding[]>(MECHANISMS.map((m) => [m, []]))
  for (const f of [...report.findings].sort(bySeverity)) grouped.get(mechanismOf(f))!.push(f)
  return (
    <Stack gap="sm" data-testid="domain-report">
      <SummaryStrip report={report} />
      {MECHANISMS.map((m) => (
        <MechanismSection key={m} m={m} report={report} findings={grouped.get(m)!} />
      ))}
    </Stack>
  )
}

/** The compact form for the case panel: the strip and the problems by title, most serious first. */
export function DomainReportCompact({ report, limit = 6 }: { report: DomainReport; limit?: number }) {
  const { t } = useTranslation('domain')
  const problems = report.findings
    .filter((f) => f.severity === 'critical' || f.severity === 'error' || f.severity === 'warning')
    .sort(bySeverity)
  return (
    <Stack gap="xs" data-testid="domain-report-compact">
      <SummaryStrip report={report} />
      {problems.slice(0, limit).map((f) => (
        <FindingCard key={f.id} finding={f} compact />
      ))}
      {problems.length > limit && (
        <Text size="sm" c="dimmed">
          {t('moreProblems', { count: problems.length - limit })}
        </Text>
      )}
    </Stack>
  )
}
