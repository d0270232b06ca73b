import {
  Alert,
  Badge,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title
} from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fmtNumber } from '../../i18n'
import { useReadiness } from './use-dmarc'

const COLORS: Record<string, string> = {
  'dmarc.readiness.ready': 'green',
  'dmarc.readiness.notReady': 'red',
  'dmarc.readiness.noLegitimate': 'yellow',
  'dmarc.readiness.noData': 'gray'
}

/** "Can I move to quarantine / reject?": legitimate sources' aligned pass rate over N days, and who would be hit. */
export function ReadinessPanel({ domain }: { domain: string }) {
  const { t } = useTranslation('dmarc')
  const [target, setTarget] = useState<'quarantine' | 'reject'>('quarantine')
  const [days, setDays] = useState(30)
  const { data, error } = useReadiness(domain, target, days)
  return (
    <Paper withBorder p="md" data-testid="dmarc-readiness">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={5}>{t('readiness.title')}</Title>
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              value={target}
              onChange={(v) => setTarget(v as 'quarantine' | 'reject')}
              data={[
                { value: 'quarantine', label: t('readiness.quarantine') },
                { value: 'reject', label: t('readiness.reject') }
              ]}
              data-testid="dmarc-readiness-target"
            />
            <NumberInput
              size="xs"
              w={110}
              min={1}
              max={366}
              value={days}
              onChange={(v) => setDays(typeof v === 'number' && v > 0 ? v : 30)}
              suffix={` ${t('readiness.daysSuffix')}`}
              aria-label={t('readiness.days')}
              data-testid="dmarc-readiness-days"
            />
          </Group>
        </Group>
        {error && <Alert color="red">{error.message}</Alert>}
        {data && (
          <>
            <Alert
              color={COLORS[data.verdict.code] ?? 'gray'}
              data-testid="dmarc-readiness-verdict"
              data-code={data.verdict.code}
            >
              {t(`readiness.verdict.${data.verdict.code.split('.').pop()}`, {
                ...data.verdict.params,
                target: t(`readiness.${String(data.verdict.params.target ?? target)}`)
              })}
              {data.stagedPct && data.verdict.code !== 'dmarc.readiness.noData' && (
                <Text size="xs" mt={4}>
                  {t('readiness.staged')}
                </Text>
              )}
            </Alert>
            {data.legitimate.length > 0 && (
              <Table withTableBorder data-testid="dmarc-readiness-legit">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('sources.ip')}</Table.Th>
                    <Table.Th>{t('sources.service')}</Table.Th>
                    <Table.Th>{t('sources.messages')}</Table.Th>
                    <Table.Th>{t('readiness.rate')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.legitimate.map((l) => (
                    <Table.Tr key={l.ip}>
                      <Table.Td>{l.ip}</Table.Td>
                      <Table.Td>{l.service ?? '—'}</Table.Td>
                      <Table.Td>{fmtNumber(l.messages)}</Table.Td>
                      <Table.Td>
                        <Badge color={l.ok ? 'green' : 'red'}>
                          {fmtNumber(l.rate, undefined, { style: 'percent', maximumFractionDigits: 1 })}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {data.wouldHit.length > 0 && (
              <>
                <Text size="sm" fw={500}>
                  {t('readiness.wouldHit', { count: data.failingMessages, target: t(`readiness.${target}`) })}
                </Text>
                <Table withTableBorder data-testid="dmarc-would-hit">
                  <Table.Tbody>
                    {data.wouldHit.slice(0, 20).map((h) => (
                      <Table.Tr key={h.ip} data-legitimate={String(h.legitimate)}>
                        <Table.Td>{h.ip}</Table.Td>
                        <Table.Td>{h.service ?? '—'}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={h.legitimate ? 'red' : 'gray'}>
                            {t(`category.${h.category}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{t('readiness.failing', { count: h.failing })}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            )}
          </>
        )}
      </Stack>
    </Paper>
  )
}
