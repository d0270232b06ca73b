import { LineChart } from '@mantine/charts'
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconEye, IconPlayerPlay, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WatchAlert } from '@shared/contract/watch'
import { call } from '../../api/transport'
import { fmtDate, useText } from '../../i18n'
import { useReloadWatch, useWatchAlerts, useWatchHistory, useWatchRun, useWatchTargets } from './use-watch'

const KIND_COLOR: Record<WatchAlert['kind'], string> = {
  listed: 'red',
  delisted: 'teal',
  'record-changed': 'yellow',
  'finding-new': 'orange',
  'dmarc-drop': 'grape'
}

const split = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean)

/** The watchlist (issue 14): targets, run now with progress and cancel, each target's history, and the alerts. */
export function WatchView({ go }: { go: (path: string) => void }) {
  const { t } = useTranslation('watch')
  const tr = useText()
  const reload = useReloadWatch()
  const [selected, setSelected] = useState<string | null>(null)
  const [targets, setTargets] = useState('')
  const [selectors, setSelectors] = useState('')
  const [error, setError] = useState<string | null>(null)
  const list = useWatchTargets()
  const current = selected ?? list.data?.[0]?.value ?? null
  const history = useWatchHistory(current)
  const alerts = useWatchAlerts(null)
  const fail = (e: Error) =>
    notifications.show({ color: 'red', title: t('errors.title'), message: e.message })
  const runner = useWatchRun((r) => {
    notifications.show({
      color: r.alerts.length ? 'yellow' : 'teal',
      title: t('run.done', { checked: r.checked }),
      message: r.alerts.length ? t('run.alerts', { count: r.alerts.length }) : t('run.quiet')
    })
    reload()
  })

  async function add() {
    setError(null)
    const typed = { targets, selectors }
    const sels = split(selectors)
    try {
      await call('watch.add', { targets: split(targets), ...(sels.length ? { selectors: sels } : {}) })
      // Clear only what was sent: whatever was typed meanwhile stays
      setTargets((cur) => (cur === typed.targets ? '' : cur))
      setSelectors((cur) => (cur === typed.selectors ? '' : cur))
      reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }

  const points = history.data?.points ?? []
  return (
    <Stack gap="md" data-testid="watch-view">
      <div>
        <Title order={3}>{t('title')}</Title>
        <Text size="sm" c="dimmed">
          {t('intro')}
        </Text>
      </div>

      <Paper withBorder p="md">
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              style={{ flex: 2, minWidth: 240 }}
              label={t('add.targets')}
              placeholder="192.0.2.10 198.51.100.0/24 example.com"
              value={targets}
              onChange={(e) => setTargets(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Enter' && void add()}
              data-testid="watch-targets-input"
            />
            <TextInput
              style={{ flex: 1, minWidth: 160 }}
              label={t('add.selectors')}
              placeholder="selector1 s2024"
              value={selectors}
              onChange={(e) => setSelectors(e.currentTarget.value)}
              data-testid="watch-selectors-input"
            />
            <Button onClick={() => void add()} disabled={!targets.trim()} data-testid="watch-add">
              {t('add.button')}
            </Button>
          </Group>
          {error && (
            <Alert color="red" data-testid="watch-add-error">
              {error}
            </Alert>
          )}
        </Stack>
      </Paper>

      <Group>
        <Button
          leftSection={<IconPlayerPlay size={16} />}
          onClick={() => void runner.run().catch(fail)}
          loading={!!runner.progress}
          disabled={!list.data?.length}
          data-testid="watch-run"
        >
          {t('run.now')}
        </Button>
        {runner.progress && (
          <Group gap="xs" style={{ flex: 1 }}>
            <Progress
              style={{ flex: 1 }}
              value={runner.progress.total ? (runner.progress.done / runner.progress.total) * 100 : 5}
              animated
              data-testid="watch-progress"
            />
            <Text size="xs">
              {runner.progress.done}/{runner.progress.total}
            </Text>
            <Button size="xs" variant="subtle" color="red" onClick={runner.cancel} data-testid="watch-cancel">
              {t('run.cancel')}
            </Button>
          </Group>
        )}
      </Group>

      {list.data && list.data.length === 0 && <Text c="dimmed">{t('empty')}</Text>}
      {list.data && list.data.length > 0 && (
        <Table striped highlightOnHover data-testid="watch-targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('col.target')}</Table.Th>
              <Table.Th>{t('col.lastRun')}</Table.Th>
              <Table.Th>{t('col.state')}</Table.Th>
              <Table.Th>{t('col.alerts')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((w) => (
              <Table.Tr
                key={w.id}
                data-testid="watch-target"
                data-target={w.value}
                bg={w.value === current ? 'var(--mantine-color-blue-light)' : undefined}
              >
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {w.value}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`type.${w.type}`)}
                    {w.selectors.length ? ` · DKIM ${w.selectors.join(', ')}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{w.lastRunAt ? fmtDate(w.lastRunAt) : t('never')}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {w.listedOn.map((l) => (
                      <Badge key={l} color="red" size="sm" data-testid="watch-listed-on">
                        {l}
                      </Badge>
                    ))}
                    {w.errors > 0 && (
                      <Badge color="orange" size="sm">
                        {t('errorsCount', { count: w.errors })}
                      </Badge>
                    )}
                    {w.lastRunAt && !w.listedOn.length && !w.errors && (
                      <Badge color="teal" size="sm">
                        {t('ok')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{w.alerts}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconEye size={14} />}
                      onClick={() => setSelected(w.value)}
                      data-testid="watch-show"
                    >
                      {t('history.show')}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      leftSection={<IconTrash size={14} />}
                      data-testid="watch-remove"
                      onClick={() =>
                        void call('watch.remove', { targets: [w.value] })
                          .then(() => {
                            if (selected === w.value) setSelected(null)
                            reload()
                          })
                          .catch(fail)
                      }
                    >
                      {t('remove')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      {current && (
        <Paper withBorder p="md" data-testid="watch-history">
          <Title order={5} mb="xs">
            {t('history.title', { target: current })}
          </Title>
          {points.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('history.empty')}
            </Text>
          ) : (
            <>
              <LineChart
                h={220}
                data={points.map((p) => ({ ...p, when: fmtDate(p.at) }))}
                dataKey="when"
                series={[
                  { name: 'listed', label: t('chart.listed'), color: 'red.6' },
                  { name: 'errors', label: t('chart.errors'), color: 'orange.6' },
                  { name: 'unchecked', label: t('chart.unchecked'), color: 'gray.6' },
                  { name: 'alerts', label: t('chart.alerts'), color: 'blue.6' }
                ]}
                withLegend
                curveType="stepAfter"
              />
              <Table mt="sm" data-testid="watch-history-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('col.run')}</Table.Th>
                    <Table.Th>{t('chart.listed')}</Table.Th>
                    <Table.Th>{t('chart.errors')}</Table.Th>
                    <Table.Th>{t('chart.unchecked')}</Table.Th>
                    <Table.Th>{t('chart.alerts')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {points.map((p) => (
                    <Table.Tr key={p.id} data-testid="watch-point">
                      <Table.Td>{fmtDate(p.at)}</Table.Td>
                      <Table.Td data-testid="watch-point-listed">{p.listed}</Table.Td>
                      <Table.Td>{p.errors}</Table.Td>
                      <Table.Td>{p.unchecked}</Table.Td>
                      <Table.Td data-testid="watch-point-alerts">{p.alerts}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Paper>
      )}

      <Title order={5}>{t('alerts.title')}</Title>
      {alerts.data && alerts.data.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('alerts.empty')}
        </Text>
      )}
      <Stack gap={6} data-testid="watch-alerts">
        {alerts.data?.map((a) => (
          <Paper key={a.id} withBorder p="xs" data-testid="watch-alert" data-kind={a.kind}>
            <Group justify="space-between" wrap="nowrap">
              <Group gap="xs" wrap="nowrap" style={{ flex: 1 }}>
                <Badge color={KIND_COLOR[a.kind]} size="sm">
                  {t(`kind.${a.kind}`)}
                </Badge>
                <Text size="sm" style={{ flex: 1 }}>
                  {tr(a.text, a.summary)}
                </Text>
              </Group>
              <Group gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {fmtDate(a.createdAt)}
                </Text>
                {a.caseId !== null ? (
                  <Button size="xs" variant="subtle" onClick={() => go(`cases/${a.caseId}`)}>
                    {t('alerts.goCase', { id: a.caseId })}
                  </Button>
                ) : (
                  <Button
                    size="xs"
                    variant="light"
                    data-testid="watch-open-case"
                    onClick={() =>
                      void call('watch.openCase', { alertId: a.id })
                        .then((r) => go(`cases/${r.caseId}`))
                        .catch(fail)
                    }
                  >
                    {t('alerts.openCase')}
                  </Button>
                )}
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Stack>
  )
}
