import { AreaChart } from '@mantine/charts'
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip
} from '@mantine/core'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DmarcSource, DmarcSummary } from '@shared/schemas/dmarc'
import { fmtNumber } from '../../i18n'
import { DmarcDrop } from './dmarc-drop'
import { ReadinessPanel } from './readiness-panel'
import { useInvalidateMethods } from '../../api/query'
import { markSource, useDmarcDomains, useDmarcSummary } from './use-dmarc'

const pct = (n: number, d: number) =>
  d ? fmtNumber(n / d, undefined, { style: 'percent', maximumFractionDigits: 1 }) : '—'

const CATEGORY_COLORS: Record<string, string> = {
  legitimate: 'green',
  service: 'blue',
  authorised: 'teal',
  forwarder: 'grape',
  unknown: 'red',
  rejected: 'gray'
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      )}
    </Paper>
  )
}

function SourcesTable({
  s,
  onMark
}: {
  s: DmarcSummary
  onMark: (src: DmarcSource, key: string, v: boolean | null) => void
}) {
  const { t } = useTranslation('dmarc')
  return (
    <Table striped withTableBorder data-testid="dmarc-sources" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('sources.ip')}</Table.Th>
          <Table.Th>{t('sources.ptr')}</Table.Th>
          <Table.Th>{t('sources.service')}</Table.Th>
          <Table.Th>{t('sources.messages')}</Table.Th>
          <Table.Th>{t('sources.spf')}</Table.Th>
          <Table.Th>{t('sources.dkim')}</Table.Th>
          <Table.Th>{t('sources.dmarc')}</Table.Th>
          <Table.Th>{t('sources.category')}</Table.Th>
          <Table.Th>{t('sources.mark')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {s.sources.slice(0, 200).map((x) => (
          <Table.Tr key={x.ip} data-testid="dmarc-source" data-ip={x.ip} data-category={x.category}>
            <Table.Td>
              <code>{x.ip}</code>
            </Table.Td>
            <Table.Td>{x.ptr ?? '—'}</Table.Td>
            <Table.Td>
              {x.service ? (
                <Tooltip
                  label={t('sources.signals', {
                    signals: x.service.signals.map((g) => t(`signal.${g}`)).join(', ')
                  })}
                >
                  <Badge variant="light" data-testid="dmarc-source-service">
                    {x.service.name}
                  </Badge>
                </Tooltip>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td>{fmtNumber(x.messages)}</Table.Td>
            <Table.Td>{pct(x.spfAligned, x.messages)}</Table.Td>
            <Table.Td>{pct(x.dkimAligned, x.messages)}</Table.Td>
            <Table.Td>{pct(x.dmarcPass, x.messages)}</Table.Td>
            <Table.Td>
              <Badge color={CATEGORY_COLORS[x.category]} variant="light">
                {t(`category.${x.category}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant={x.legitimate === true ? 'filled' : 'default'}
                  color="green"
                  data-testid="dmarc-mark-legit"
                  onClick={() =>
                    onMark(
                      x,
                      x.service ? `service:${x.service.id}` : `ip:${x.ip}`,
                      x.legitimate === true ? null : true
                    )
                  }
                >
                  {x.service ? t('sources.markService') : t('sources.markIp')}
                </Button>
                <Button
                  size="compact-xs"
                  variant={x.legitimate === false ? 'filled' : 'default'}
                  color="red"
                  onClick={() => onMark(x, `ip:${x.ip}`, x.legitimate === false ? null : false)}
                >
                  {t('sources.notOurs')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function SmallTable({ title, rows, testId }: { title: string; rows: [string, string][]; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Title order={6} mb="xs">
        {title}
      </Title>
      <Table fz="sm">
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td>{k}</Table.Td>
              <Table.Td ta="right">{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

function TlsPanel({ s }: { s: DmarcSummary }) {
  const { t } = useTranslation('dmarc')
  if (!s.tls.reports) return null
  return (
    <Paper withBorder p="md" data-testid="dmarc-tls">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('tls.title')}</Title>
        <Anchor
          size="sm"
          href={`#/domain/${encodeURIComponent(s.domain)}`}
          data-testid="dmarc-tls-domain-link"
        >
          {t('tls.check', { mechanisms: s.tls.relatedFindings.map((m) => m.toUpperCase()).join(', ') })}
        </Anchor>
      </Group>
      <Text size="sm" mb="xs">
        {t('tls.sessions', { reports: s.tls.reports, ok: s.tls.successful, failed: s.tls.failed })}
      </Text>
      <SimpleGrid cols={2}>
        <SmallTable
          testId="dmarc-tls-types"
          title={t('tls.byType')}
          rows={s.tls.byResultType.map((r) => [r.resultType, fmtNumber(r.sessions)])}
        />
        <SmallTable
          testId="dmarc-tls-mx"
          title={t('tls.byMx')}
          rows={s.tls.byMx.map((r) => [`${r.mx} (${r.resultTypes.join(', ')})`, fmtNumber(r.sessions)])}
        />
      </SimpleGrid>
    </Paper>
  )
}

export function DmarcView({ initialDomain }: { initialDomain?: string }) {
  const { t } = useTranslation('dmarc')
  const invalidate = useInvalidateMethods()
  const refresh = () => void invalidate('dmarc.')
  const [domain, setDomain] = useState<string | null>(initialDomain ?? null)
  const [since, setSince] = useState('')
  const domains = useDmarcDomains()
  const sinceOk = /^\d{4}-\d{2}-\d{2}$/.test(since) ? since : null
  const summary = useDmarcSummary(domain, sinceOk)
  useEffect(() => {
    if (!domain && domains.data?.length) setDomain(domains.data[0].domain)
  }, [domain, domains.data])
  const s = summary.data
  return (
    <Stack data-testid="dmarc-view">
      <Title order={3}>{t('title')}</Title>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      <DmarcDrop
        onIngested={(r) => {
          if (!domain && r.domains[0]) setDomain(r.domains[0])
          refresh()
        }}
      />
      {domains.data && domains.data.length === 0 && <Alert color="gray">{t('empty')}</Alert>}
      {domains.data && domains.data.length > 0 && (
        <Group align="end">
          <Select
            label={t('domain')}
            data={domains.data.map((d) => ({
              value: d.domain,
              label: `${d.domain} (${fmtNumber(d.messages)})`
            }))}
            value={domain}
            onChange={setDomain}
            allowDeselect={false}
            data-testid="dmarc-domain"
            w={320}
          />
          <TextInput
            label={t('since')}
            placeholder="YYYY-MM-DD"
            value={since}
            onChange={(e) => setSince(e.currentTarget.value)}
            error={since && !sinceOk ? t('sinceInvalid') : undefined}
            data-testid="dmarc-since"
            w={160}
          />
        </Group>
      )}
      {summary.error && <Alert color="red">{summary.error.message}</Alert>}
      {s && domain && (
        <Stack data-testid="dmarc-summary">
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat
              testId="dmarc-stat-messages"
              label={t('stats.messages')}
              value={fmtNumber(s.messages)}
              sub={t('stats.reports', { count: s.reports })}
            />
            <Stat
              testId="dmarc-stat-pass"
              label={t('stats.dmarcPass')}
              value={pct(s.dmarcPass, s.messages)}
              sub={fmtNumber(s.dmarcPass)}
            />
            <Stat
              testId="dmarc-stat-spf"
              label={t('stats.spfAligned')}
              value={pct(s.spfAligned, s.messages)}
              sub={fmtNumber(s.spfAligned)}
            />
            <Stat
              testId="dmarc-stat-dkim"
              label={t('stats.dkimAligned')}
              value={pct(s.dkimAligned, s.messages)}
              sub={fmtNumber(s.dkimAligned)}
            />
          </SimpleGrid>
          {s.policy && (
            <Text size="sm" data-testid="dmarc-policy">
              {t('policy', { p: s.policy.p, pct: s.policy.pct ?? 100 })}
            </Text>
          )}
          <Paper withBorder p="md" data-testid="dmarc-chart">
            <Title order={5} mb="xs">
              {t('chart.title')}
            </Title>
            <AreaChart
              h={220}
              data={s.timeline.map((d) => ({ ...d, dmarcFail: d.messages - d.dmarcPass }))}
              dataKey="day"
              type="stacked"
              series={[
                { name: 'dmarcPass', label: t('chart.pass'), color: 'teal.6' },
                { name: 'dmarcFail', label: t('chart.fail'), color: 'red.6' }
              ]}
              withLegend
            />
          </Paper>
          <ReadinessPanel domain={domain} />
          <Title order={5}>{t('sources.title', { count: s.sources.length })}</Title>
          <SourcesTable
            s={s}
            onMark={(_src, key, v) => {
              void markSource(domain, key, v).then(refresh)
            }}
          />
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <SmallTable
              testId="dmarc-dispositions"
              title={t('dispositions')}
              rows={s.dispositions.map((d) => [d.disposition, fmtNumber(d.messages)])}
            />
            <SmallTable
              testId="dmarc-reporters"
              title={t('reporters')}
              rows={s.reporters.map((r) => [r.org, fmtNumber(r.messages)])}
            />
            <SmallTable
              testId="dmarc-failures"
              title={t('failures', { count: s.failures.reports })}
              rows={s.failures.items
                .slice(-10)
                .map((f) => [`${f.reporter} ${f.sourceIp ?? ''}`, f.authFailure ?? ''])}
            />
          </SimpleGrid>
          <TlsPanel s={s} />
        </Stack>
      )}
    </Stack>
  )
}
