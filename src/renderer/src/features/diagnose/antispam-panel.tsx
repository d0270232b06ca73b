import { Accordion, Badge, Group, Paper, Table, Text, Title, Tooltip } from '@mantine/core'
import { BarChart } from '@mantine/charts'
import { useTranslation } from 'react-i18next'
import type { AntispamReport, VendorVerdict } from '@shared/schemas/antispam'
import { fmtNumber, useText } from '../../i18n'

const VERDICT_COLOR: Record<VendorVerdict['verdict'], string> = {
  spam: 'red',
  phish: 'red',
  bulk: 'orange',
  clean: 'green',
  unknown: 'gray'
}

/** Rule scores as bars: which rules pushed the message over the threshold (SpamAssassin, Rspamd symbols). */
function RuleChart({ v }: { v: VendorVerdict }) {
  const { t } = useTranslation('diagnose')
  const scored = v.rules
    .filter((r) => r.score !== undefined && r.score !== 0)
    .sort((a, b) => Math.abs(b.score!) - Math.abs(a.score!))
    .slice(0, 15)
    .map((r) => ({ rule: r.name, plus: Math.max(0, r.score!), minus: Math.min(0, r.score!) }))
  if (scored.length < 2) return null
  return (
    <BarChart
      h={Math.min(50 + scored.length * 24, 380)}
      data={scored}
      dataKey="rule"
      orientation="vertical"
      yAxisProps={{ width: 200 }}
      type="stacked"
      series={[
        { name: 'plus', label: t('antispam.ruleScores'), color: 'red.6' },
        { name: 'minus', label: t('antispam.ruleScores'), color: 'green.6' }
      ]}
      valueFormatter={(n) => fmtNumber(n, undefined, { maximumFractionDigits: 2 })}
      data-testid="antispam-rule-chart"
    />
  )
}

/** One block per filter that left a verdict: what it decided, each field with its meaning, rules with scores. */
export function AntispamPanel({ report, title }: { report: AntispamReport | undefined; title?: string }) {
  const { t } = useTranslation('diagnose')
  const tx = useText()
  if (!report || report.vendors.length === 0) {
    return (
      <Paper withBorder p="sm" data-testid="antispam-panel">
        <Title order={5}>{title ?? t('antispam.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('antispam.none')}
        </Text>
      </Paper>
    )
  }
  return (
    <Paper withBorder p="sm" data-testid="antispam-panel">
      <Title order={5} mb={6}>
        {title ?? t('antispam.title')}
      </Title>
      <Accordion
        multiple
        variant="separated"
        defaultValue={report.vendors.filter((v) => v.verdict !== 'clean').map((v) => v.vendor)}
      >
        {report.vendors.map((v) => (
          <Accordion.Item key={v.vendor} value={v.vendor} data-testid="antispam-vendor">
            <Accordion.Control>
              <Group gap="xs" wrap="nowrap">
                <Text fw={600} size="sm">
                  {v.label}
                </Text>
                <Badge color={VERDICT_COLOR[v.verdict]}>{t(`antispam.verdict.${v.verdict}`)}</Badge>
                {v.score !== undefined && (
                  <Text size="xs" c="dimmed">
                    {t('antispam.score', { score: fmtNumber(v.score) })}
                    {v.threshold !== undefined
                      ? ` / ${t('antispam.threshold', { threshold: fmtNumber(v.threshold) })}`
                      : ''}
                  </Text>
                )}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text size="sm" mb="xs">
                {tx(v.summaryText, v.summary)}
              </Text>
              {v.fields.length > 0 && (
                <Table fz="xs" verticalSpacing={2} striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={140}>{t('antispam.field')}</Table.Th>
                      <Table.Th w={200}>{t('antispam.value')}</Table.Th>
                      <Table.Th>{t('antispam.meaning')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {v.fields.map((f, i) => (
                      <Table.Tr
                        key={i}
                        // Opaque fields are set apart by a dashed rule and the badge, not by fading (fading broke
                        // the WCAG AA text contrast the e2e axe check enforces).
                        style={f.opaque ? { borderStyle: 'dashed' } : undefined}
                        data-opaque={f.opaque || undefined}
                      >
                        <Table.Td>
                          <Tooltip label={f.header}>
                            <Text size="xs" ff="monospace">
                              {f.key}
                            </Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td style={{ wordBreak: 'break-all' }} ff="monospace">
                          {f.value}
                        </Table.Td>
                        <Table.Td>
                          {f.meaning}
                          {f.opaque && (
                            <Badge size="xs" color="gray" variant="light" ml={4}>
                              {t('antispam.opaque')}
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <RuleChart v={v} />
              {v.rules.length > 0 && (
                <Table fz="xs" verticalSpacing={2} mt="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={220}>{t('antispam.rules')}</Table.Th>
                      <Table.Th w={70}>{t('antispam.score', { score: '' })}</Table.Th>
                      <Table.Th>{t('antispam.meaning')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {v.rules.map((r) => (
                      <Table.Tr key={r.name} data-testid="antispam-rule">
                        <Table.Td ff="monospace">{r.name}</Table.Td>
                        <Table.Td
                          c={
                            r.score !== undefined && r.score > 0
                              ? 'red'
                              : r.score !== undefined && r.score < 0
                                ? 'green'
                                : undefined
                          }
                        >
                          {r.score !== undefined ? fmtNumber(r.score) : '—'}
                        </Table.Td>
                        <Table.Td>{r.description}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Paper>
  )
}
