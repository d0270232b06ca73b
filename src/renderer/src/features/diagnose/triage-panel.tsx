import { BarChart, DonutChart } from '@mantine/charts'
import {
  Alert,
  Badge,
  Box,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  UnstyledButton
} from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { CaseTriage } from '@shared/contract/diagnose'
import { useApi } from '../../api/query'
import { fmtNumber } from '../../i18n'
import { CAUSE_COLOR } from './cause-colors'

const colorOf = (cause: string) => CAUSE_COLOR[cause] ?? 'gray'

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {title}
      </Text>
      {children}
    </Stack>
  )
}

/** Causes as a donut (messages per primary cause) with a clickable legend that opens the first such message. */
function Causes({ triage, onSelect }: { triage: CaseTriage; onSelect: (id: number) => void }) {
  const { t } = useTranslation('diagnose')
  const data = triage.byCause.map((c) => ({
    name: t(`cause.${c.cause}`, { defaultValue: c.cause }),
    value: c.messages,
    color: `${colorOf(c.cause)}.6`
  }))
  return (
    <Group gap="md" align="center" wrap="nowrap">
      {data.length > 0 && (
        <DonutChart
          data={data}
          size={120}
          thickness={18}
          withTooltip
          tooltipDataSource="segment"
          chartLabel={fmtNumber(triage.messages)}
          data-testid="triage-cause-chart"
        />
      )}
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        {triage.byCause.map((c) => (
          <Tooltip key={c.cause} label={t('triage.openFirst')} openDelay={400}>
            <UnstyledButton
              onClick={() => c.evidenceIds[0] !== undefined && onSelect(c.evidenceIds[0])}
              data-testid="triage-cause"
              data-cause={c.cause}
              data-messages={c.messages}
              data-recipients={c.recipients}
            >
              <Group gap={6} wrap="nowrap" justify="space-between">
                <Badge color={colorOf(c.cause)} variant="light" tt="none" style={{ cursor: 'pointer' }}>
                  {t(`cause.${c.cause}`, { defaultValue: c.cause })}
                </Badge>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {t('triage.causeCount', {
                    messages: fmtNumber(c.messages),
                    recipients: fmtNumber(c.recipients)
                  })}
                </Text>
              </Group>
            </UnstyledButton>
          </Tooltip>
        ))}
        {triage.noVerdict > 0 && (
          <Text size="xs" c="dimmed">
            {t('triage.noVerdict', { n: fmtNumber(triage.noVerdict) })}
          </Text>
        )}
      </Stack>
    </Group>
  )
}

function Reasons({ triage }: { triage: CaseTriage }) {
  const { t } = useTranslation('diagnose')
  if (triage.byReason.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('triage.none')}
      </Text>
    )
  return (
    <BarChart
      h={Math.min(40 + triage.byReason.length * 26, 260)}
      data={triage.byReason}
      dataKey="reason"
      orientation="vertical"
      yAxisProps={{ width: 110 }}
      xAxisProps={{ allowDecimals: false }}
      series={[{ name: 'count', label: t('triage.recipientsCol'), color: 'red.6' }]}
      valueFormatter={(n) => fmtNumber(n)}
      gridAxis="none"
      data-testid="triage-reason-chart"
    />
  )
}

const cell = { wordBreak: 'break-all' } as const

/**
 * The case's evidence at a glance (an mbox, or a pile of bounces): causes, reasons, receiving domains and their
 * remote servers, the blocklists named and the IPs involved. Shown above the evidence tabs from two pieces on.
 */
export function TriagePanel({ caseId, onSelect }: { caseId: number; onSelect: (id: number) => void }) {
  const { t } = useTranslation('diagnose')
  // Invalidated with the case (new or removed evidence sends case:changed).
  const { data, error } = useApi('cases.triage', { caseId })
  if (error)
    return (
      <Alert color="red" title={t('triage.failed')} data-testid="triage-error">
        {error.message}
      </Alert>
    )
  if (!data) return null
  return (
    <Paper withBorder p="sm" data-testid="triage-panel">
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={5} data-testid="triage-title">
          {t('triage.title', { count: data.messages })}
        </Title>
        <Group gap={6}>
          <Badge variant="light" color="gray" tt="none" data-testid="triage-bounces">
            {t('triage.bounces', { n: fmtNumber(data.bounces) })}
          </Badge>
          <Badge variant="light" color="red" tt="none" data-testid="triage-recipients">
            {t('triage.recipients', { n: fmtNumber(data.recipients) })}
          </Badge>
          {data.unreadable > 0 && (
            <Badge variant="light" color="yellow" tt="none">
              {t('triage.unreadable', { n: fmtNumber(data.unreadable) })}
            </Badge>
          )}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
        <Section title={t('triage.causes')}>
          <Causes triage={data} onSelect={onSelect} />
        </Section>
        <Section title={t('triage.reasons')}>
          <Reasons triage={data} />
        </Section>
      </SimpleGrid>
      <Box mt="sm">
        <Section title={t('triage.receivers')}>
          <Table fz="xs" verticalSpacing={2} striped data-testid="triage-receivers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('triage.domain')}</Table.Th>
                <Table.Th>{t('triage.recipientsCol')}</Table.Th>
                <Table.Th>{t('triage.causes')}</Table.Th>
                <Table.Th>{t('triage.remoteMtas')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.byReceiver.map((r) => (
                <Table.Tr key={r.domain} data-testid="triage-receiver" data-domain={r.domain}>
                  <Table.Td ff="monospace">{r.domain || '—'}</Table.Td>
                  <Table.Td data-testid="triage-receiver-count">{fmtNumber(r.count)}</Table.Td>
                  <Table.Td>
                    <Group gap={2}>
                      {r.causes.map((c) => (
                        <Badge
                          key={c}
                          size="xs"
                          variant="light"
                          color={colorOf(c)}
                          tt="none"
                          style={{ overflow: 'visible' }}
                        >
                          {t(`cause.${c}`, { defaultValue: c })}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td ff="monospace" style={cell}>
                    {r.remoteMtas.join(', ') || '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </Box>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm" mt="sm">
        <Section title={t('triage.lists')}>
          {data.byList.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('triage.none')}
            </Text>
          ) : (
            <Table fz="xs" verticalSpacing={2} striped layout="fixed" data-testid="triage-lists">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('triage.list')}</Table.Th>
                  <Table.Th>{t('triage.ip')}</Table.Th>
                  <Table.Th w={80}>{t('triage.messagesCol')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.byList.map((l) => (
                  <Table.Tr key={`${l.list} ${l.ip ?? ''}`} data-testid="triage-list" data-list={l.list}>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td ff="monospace" style={cell}>
                      {l.ip ?? '—'}
                    </Table.Td>
                    <Table.Td data-testid="triage-list-count">{fmtNumber(l.count)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
        <Stack gap="sm">
          <SimpleGrid cols={2} spacing="sm">
            <Section title={t('triage.sendingIps')}>
              <Group gap={4} data-testid="triage-ips">
                {data.sendingIps.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('triage.none')}
                  </Text>
                )}
                {data.sendingIps.map((s) => (
                  <Badge
                    key={s.ip}
                    variant="outline"
                    color="gray"
                    tt="none"
                    ff="monospace"
                    data-testid="triage-ip"
                  >
                    {s.ip} × {fmtNumber(s.count)}
                  </Badge>
                ))}
              </Group>
            </Section>
            <Section title={t('triage.statusCodes')}>
              <Group gap={4} data-testid="triage-statuses">
                {data.statusCodes.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('triage.none')}
                  </Text>
                )}
                {data.statusCodes.map((s) => (
                  <Badge key={s.status} variant="outline" color="gray" tt="none" ff="monospace">
                    {s.status} × {fmtNumber(s.count)}
                  </Badge>
                ))}
              </Group>
            </Section>
          </SimpleGrid>
          {data.sendingDomains.length > 0 && (
            <Section title={t('triage.sendingDomains')}>
              <Group gap={4}>
                {data.sendingDomains.map((s) => (
                  <Badge key={s.domain} variant="outline" color="gray" tt="none" ff="monospace">
                    {s.domain} × {fmtNumber(s.count)}
                  </Badge>
                ))}
              </Group>
            </Section>
          )}
        </Stack>
      </SimpleGrid>
    </Paper>
  )
}
