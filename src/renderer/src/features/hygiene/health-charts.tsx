import {
  Anchor,
  Alert,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title
} from '@mantine/core'
import { BarChart } from '@mantine/charts'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HygieneStats } from '@shared/contract/hygiene'
import { pct, renderText } from './text'
import { openClusterCase, saveVolumes } from './use-hygiene'

/** Rates per day and per receiving domain (@mantine/charts), the sent volume, and the published thresholds. */
export function RatesPanel({ stats, onChange }: { stats: HygieneStats; onChange: () => void }) {
  const { t, i18n } = useTranslation('hygiene')
  const [csv, setCsv] = useState('')
  const [errors, setErrors] = useState<string[]>([])
  const series = [
    { name: 'hard', label: t('rates.hard'), color: 'red.6' },
    { name: 'soft', label: t('rates.soft'), color: 'yellow.6' },
    { name: 'blocks', label: t('rates.blocks'), color: 'orange.6' },
    { name: 'complaints', label: t('rates.complaints'), color: 'grape.6' }
  ]
  const withRates = stats.days.filter((d) => d.sent !== null)
  return (
    <Card withBorder data-testid="hy-rates">
      <Stack gap="sm">
        <Title order={5}>{t('rates.title')}</Title>
        {stats.days.length === 0 ? (
          <Text c="dimmed">{t('rates.noData')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <div data-testid="hy-chart-days">
              <Text size="sm" fw={500}>
                {t('rates.byDay')}
              </Text>
              <BarChart h={220} data={stats.days} dataKey="key" type="stacked" series={series} withLegend />
            </div>
            <div data-testid="hy-chart-domains">
              <Text size="sm" fw={500}>
                {t('rates.byDomain')}
              </Text>
              <BarChart
                h={220}
                data={stats.domains.slice(0, 12)}
                dataKey="key"
                type="stacked"
                orientation="vertical"
                yAxisProps={{ width: 150 }}
                series={series}
              />
            </div>
          </SimpleGrid>
        )}
        {stats.alerts.map((a, i) => (
          <Alert key={i} color={a.code.endsWith('Over') ? 'red' : 'yellow'} data-testid="hy-alert">
            {renderText(t, a)}
          </Alert>
        ))}
        {withRates.length > 0 && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th>{t('rates.sent')}</Table.Th>
                <Table.Th>{t('rates.bounceRate')}</Table.Th>
                <Table.Th>{t('rates.complaintRate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {withRates.map((d) => (
                <Table.Tr key={d.key}>
                  <Table.Td>{d.key}</Table.Td>
                  <Table.Td>{d.sent}</Table.Td>
                  <Table.Td>{pct(d.bounceRate, i18n.language)}</Table.Td>
                  <Table.Td>{pct(d.complaintRate, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="sm">
          {t('rates.thresholds')}{' '}
          <Anchor href="https://support.google.com/a/answer/81126" target="_blank">
            {t('rates.gmail')}
          </Anchor>
          {' · '}
          <Anchor href="https://senders.yahooinc.com/best-practices/" target="_blank">
            {t('rates.yahoo')}
          </Anchor>
        </Text>
        <Textarea
          label={t('rates.volume')}
          description={t('rates.volumeHelp')}
          placeholder={'2025-11-03,12000\n2025-11-03,4000,outlook.com'}
          value={csv}
          onChange={(e) => setCsv(e.currentTarget.value)}
          autosize
          minRows={2}
          data-testid="hy-volume"
        />
        {errors.map((e, i) => (
          <Text key={i} c="red" size="sm">
            {e}
          </Text>
        ))}
        <Group>
          <Button
            variant="light"
            disabled={!csv.trim()}
            onClick={async () => {
              const r = await saveVolumes(csv)
              setErrors(r.errors.map((e) => renderText(t, e)))
              onChange()
            }}
          >
            {t('rates.saveVolume')}
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}

/** Sender-side problems grouped by domain, cause and provider code, each with "Open a case". */
export function ClustersPanel({ stats, go }: { stats: HygieneStats; go: (path: string) => void }) {
  const { t } = useTranslation('hygiene')
  return (
    <Card withBorder data-testid="hy-clusters">
      <Stack gap="sm">
        <Title order={5}>{t('cluster.title')}</Title>
        {stats.clusters.length === 0 && <Text c="dimmed">{t('cluster.none')}</Text>}
        {stats.clusters.map((c) => (
          <Group key={c.key} justify="space-between" wrap="nowrap" data-testid="hy-cluster">
            <Stack gap={0}>
              <Text>{renderText(t, c.summary)}</Text>
              {c.example && (
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {c.example}
                </Text>
              )}
            </Stack>
            <Button
              size="xs"
              variant="light"
              onClick={async () => {
                const r = await openClusterCase(c.key)
                notifications.show({ message: t('cluster.opened', { id: r.caseId, evidence: r.evidence }) })
                go(`cases/${r.caseId}`)
              }}
            >
              {t('cluster.openCase')}
            </Button>
          </Group>
        ))}
      </Stack>
    </Card>
  )
}
