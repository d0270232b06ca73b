import { Alert, Badge, Group, List, Paper, Table, Text, Title, Tooltip, Stack } from '@mantine/core'
import { BarChart } from '@mantine/charts'
import { IconAlertTriangle, IconLock, IconLockOpen, IconShieldCheck } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { Analysis } from '@shared/schemas/analysis'
import { WRAP_ANYWHERE } from '../../components/long-text'
import { VirtualTable } from '../../components/virtual-table'
import { fmtDate, fmtDuration, fmtNumber } from '../../i18n'

type Chain = Pick<Analysis, 'hops' | 'edge' | 'totalDelaySec' | 'hopAnomalies'>

/** Bars the delay chart draws at most: more than 50 bars in its 320 px are unreadable, and each costs recharts text
 * measurements (the table below and the export have every hop). */
export const CHART_MAX_HOPS = 50
/** Anomalies listed above the table; each hop's own anomalies stay on its row. */
const ANOMALIES_SHOWN = 8

/**
 * The Received chain, sender first: a delay chart (where did the time go?) above the hop table. The edge hop (where
 * the receiving organisation took the message from outside, RFC 5321 §4.4) is marked in both; anomalies are listed.
 * `idPrefix` keeps test ids distinct when the returned original's chain is shown on the same page.
 */
export function HopsPanel({
  analysis: a,
  idPrefix = '',
  title
}: {
  analysis: Chain
  idPrefix?: string
  title?: string
}) {
  const { t } = useTranslation('diagnose')
  if (a.hops.length === 0) {
    return (
      <Paper withBorder p="sm" data-testid={`${idPrefix}hops-panel`}>
        <Title order={5}>{title ?? t('hops.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('hops.none')}
        </Text>
      </Paper>
    )
  }
  const network = a.hops.filter((h) => !h.local)
  const chart = network.slice(0, CHART_MAX_HOPS).map((h) => ({
    hop: `${a.edge?.index === h.index ? '★ ' : ''}#${h.index + 1} ${h.by?.host ?? ''}`.slice(0, 30),
    delay: h.delaySec === null ? 0 : Math.max(0, h.delaySec),
    negative: h.delaySec !== null && h.delaySec < 0 ? h.delaySec : 0
  }))
  return (
    <Paper withBorder p="sm" data-testid={`${idPrefix}hops-panel`}>
      <Group justify="space-between" mb={6}>
        <Title order={5}>{title ?? t('hops.title')}</Title>
        <Group gap="xs">
          <Badge variant="light" data-testid={`${idPrefix}hop-count`}>
            {t('hops.count', { count: network.length, n: fmtNumber(network.length) })}
          </Badge>
          <Badge variant="light" color="grape" data-testid="total-delay">
            {t('hops.total')}: {fmtDuration(a.totalDelaySec)}
          </Badge>
        </Group>
      </Group>
      {chart.length > 1 && (
        <BarChart
          h={Math.min(60 + chart.length * 26, 320)}
          data={chart}
          dataKey="hop"
          orientation="vertical"
          yAxisProps={{ width: 180 }}
          series={[
            { name: 'delay', label: t('hops.delaySeconds'), color: 'blue.6' },
            { name: 'negative', label: t('hops.negativeDelay'), color: 'red.6' }
          ]}
          type="stacked"
          valueFormatter={(v) => fmtDuration(v)}
          data-testid={`${idPrefix}hop-chart`}
        />
      )}
      {network.length > CHART_MAX_HOPS && (
        <Text size="xs" c="dimmed" data-testid={`${idPrefix}hop-chart-capped`}>
          {t('hops.chartCapped', { shown: fmtNumber(CHART_MAX_HOPS), total: fmtNumber(network.length) })}
        </Text>
      )}
      {a.edge && chart.length > 1 && (
        <Text size="xs" c="dimmed">
          ★ {t('hops.edgeMarker')}
        </Text>
      )}
      {a.hopAnomalies.length > 0 && (
        <Alert
          color="orange"
          variant="light"
          p="xs"
          mt="xs"
          title={t('hops.anomalies')}
          data-testid={`${idPrefix}hop-anomalies`}
        >
          <List size="xs" spacing={0}>
            {a.hopAnomalies.slice(0, ANOMALIES_SHOWN).map((x, i) => (
              <List.Item key={i}>
                #{x.hop + 1}: {x.message}
              </List.Item>
            ))}
          </List>
          {a.hopAnomalies.length > ANOMALIES_SHOWN && (
            <Text size="xs" c="dimmed" mt={2} data-testid={`${idPrefix}hop-anomalies-more`}>
              {t('hops.moreAnomalies', { more: fmtNumber(a.hopAnomalies.length - ANOMALIES_SHOWN) })}
            </Text>
          )}
        </Alert>
      )}
      <VirtualTable
        items={a.hops}
        fz="xs"
        verticalSpacing={4}
        striped
        highlightOnHover
        mt="xs"
        data-testid={`${idPrefix}hop-table`}
        scrollTestId={`${idPrefix}hop-table-scroll`}
        estimateRowHeight={44}
        head={
          <Table.Tr>
            <Table.Th w={90}>#</Table.Th>
            <Table.Th>{t('hops.from')}</Table.Th>
            <Table.Th>{t('hops.by')}</Table.Th>
            <Table.Th w={90}>{t('hops.protocol')}</Table.Th>
            <Table.Th w={50}>TLS</Table.Th>
            <Table.Th w={170}>{t('hops.time')}</Table.Th>
            <Table.Th w={90}>{t('hops.delay')}</Table.Th>
          </Table.Tr>
        }
        row={(h, _i, rowProps) => {
          const isEdge = a.edge?.index === h.index
          return (
            <Table.Tr
              key={h.index}
              {...rowProps}
              data-testid={`${idPrefix}hop-row`}
              style={{
                ...(h.local ? { opacity: 0.6 } : {}),
                ...(isEdge ? { boxShadow: 'inset 3px 0 0 var(--mantine-color-teal-6)' } : {})
              }}
            >
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {h.index + 1}
                  {isEdge && (
                    <Tooltip label={a.edge?.reason ?? ''} multiline w={320}>
                      <Badge size="xs" color="teal" leftSection={<IconShieldCheck size={10} />}>
                        {t('hops.edge')}
                      </Badge>
                    </Tooltip>
                  )}
                  {h.local && (
                    <Badge size="xs" color="gray" variant="outline">
                      {t('hops.local')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td style={WRAP_ANYWHERE}>
                <Stack gap={0}>
                  <Text size="xs">{h.from?.host ?? h.from?.reverse ?? '—'}</Text>
                  {h.from?.ip && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {h.from.ip}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td style={WRAP_ANYWHERE}>{h.by?.host ?? '—'}</Table.Td>
              <Table.Td>{h.protocol ?? h.with ?? '—'}</Table.Td>
              <Table.Td>
                {h.tls.used === true ? (
                  <Tooltip label={[h.tls.version, h.tls.cipher].filter(Boolean).join(' ') || 'TLS'}>
                    <IconLock size={14} color="var(--mantine-color-green-7)" aria-label="TLS" />
                  </Tooltip>
                ) : h.tls.used === false ? (
                  <IconLockOpen
                    size={14}
                    color="var(--mantine-color-orange-7)"
                    aria-label={t('hops.noTls')}
                  />
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                {h.date ? (
                  fmtDate(h.date)
                ) : (
                  <Text size="xs" c="red">
                    {t('hops.noDate')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Text
                    size="xs"
                    c={
                      h.delaySec !== null && h.delaySec < 0
                        ? 'red'
                        : h.delaySec !== null && h.delaySec > 300
                          ? 'orange'
                          : undefined
                    }
                  >
                    {fmtDuration(h.delaySec)}
                  </Text>
                  {h.anomalies.length > 0 && (
                    <Tooltip label={h.anomalies.map((x) => x.message).join('\n')} multiline w={320}>
                      <IconAlertTriangle
                        size={14}
                        color="var(--mantine-color-orange-6)"
                        aria-label={t('hops.anomalies')}
                      />
                    </Tooltip>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          )
        }}
      />
    </Paper>
  )
}
