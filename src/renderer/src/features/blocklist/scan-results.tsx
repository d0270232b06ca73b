import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  Paper,
  Stack,
  Text,
  Title,
  UnstyledButton
} from '@mantine/core'
import { BarChart } from '@mantine/charts'
import {
  IconAlertTriangle,
  IconChevronDown,
  IconChevronRight,
  IconCircleCheck,
  IconExternalLink,
  IconHelpCircle,
  IconShieldX
} from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScanResult } from '@shared/contract/blocklist'
import type { BlocklistEntry, ListResult, TargetReport } from '@shared/schemas/blocklist'
import { fmtDate, fmtNumber } from '../../i18n'

export type ListIndex = Map<string, BlocklistEntry>

export interface DelistAction {
  /** `${list}|${target}` of requests already tracked in the case. */
  tracked: Set<string>
  onRequest: (list: BlocklistEntry, target: string, result: ListResult) => void
}

/** Statuses per target as a stacked bar: the shape of the answer at a glance (what is listed, what is unknown). */
function StatusChart({ reports }: { reports: TargetReport[] }) {
  const { t } = useTranslation('blocklist')
  const data = reports.map((r) => ({
    target: r.target,
    listed: r.summary.listed,
    refused: r.summary.refused + r.summary.unreliable,
    error: r.summary.error,
    clean: r.summary.clean + r.summary.allowListed
  }))
  return (
    <Box data-testid="bl-chart">
      <BarChart
        h={Math.min(70 + data.length * 34, 360)}
        data={data}
        dataKey="target"
        orientation="vertical"
        type="stacked"
        yAxisProps={{ width: 190 }}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        series={[
          { name: 'listed', label: t('status.listed'), color: 'red.6' },
          { name: 'refused', label: t('status.refusedOrUnreliable'), color: 'yellow.5' },
          { name: 'error', label: t('status.error'), color: 'gray.5' },
          { name: 'clean', label: t('status.clean'), color: 'teal.5' }
        ]}
      />
    </Box>
  )
}

function ListName({ id, lists }: { id: string; lists: ListIndex }) {
  return <>{lists.get(id)?.name ?? id}</>
}

function ListedRow({
  r,
  target,
  lists,
  delist
}: {
  r: ListResult
  target: string
  lists: ListIndex
  delist?: DelistAction
}) {
  const { t } = useTranslation('blocklist')
  const list = lists.get(r.list)
  const tracked = delist?.tracked.has(`${r.list}|${target}`)
  return (
    <Paper withBorder p="xs" bg="var(--mantine-color-red-light)" data-testid={`bl-listed-${r.list}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ flex: 1 }}>
          <Group gap={6}>
            <IconShieldX size={16} color="var(--mantine-color-red-7)" />
            <Text fw={600} size="sm">
              <ListName id={r.list} lists={lists} />
            </Text>
            <Text size="xs" c="dimmed">
              {r.zone}
            </Text>
            {r.codes.map((c) => (
              <Badge key={c} size="xs" color="red" variant="light">
                {c}
              </Badge>
            ))}
            {list && (
              <Badge size="xs" variant="outline" color={list.weight.level === 'high' ? 'red' : 'gray'}>
                {t(`weight.${list.weight.level}`)}
              </Badge>
            )}
          </Group>
          {r.meanings.length > 0 && <Text size="sm">{r.meanings.join(' · ')}</Text>}
          {r.txt && (
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
              {t('result.txt')}: {r.txt}
            </Text>
          )}
          {list && (
            <Text size="xs">
              {t(`removal.${list.removal.method}`)}
              {list.removal.expiry ? ` — ${list.removal.expiry}` : ''}
              {list.removal.url && (
                <>
                  {' '}
                  <Anchor href={list.removal.url} target="_blank" rel="noreferrer" size="xs">
                    {t('result.removalPage')} <IconExternalLink size={11} />
                  </Anchor>
                </>
              )}
            </Text>
          )}
        </Stack>
        {delist &&
          list &&
          (tracked ? (
            <Badge color="blue" variant="light" data-testid="bl-tracked">
              {t('result.tracked')}
            </Badge>
          ) : (
            <Button
              size="xs"
              color="red"
              variant="filled"
              onClick={() => delist.onRequest(list, target, r)}
              data-testid={`request-delist-${r.list}`}
            >
              {t('result.requestDelisting')}
            </Button>
          ))}
      </Group>
    </Paper>
  )
}

function TargetCard({
  report,
  lists,
  delist
}: {
  report: TargetReport
  lists: ListIndex
  delist?: DelistAction
}) {
  const { t } = useTranslation('blocklist')
  const [showClean, setShowClean] = useState(false)
  const by = (s: ListResult['status']) => report.results.filter((r) => r.status === s)
  const listed = by('listed').filter((r) => r.polarity === 'block')
  const good = by('listed').filter((r) => r.polarity !== 'block')
  const refused = [...by('refused'), ...by('unreliable')]
  const errors = by('error')
  const clean = by('clean')
  const s = report.summary
  return (
    <Paper withBorder p="sm" data-testid={`bl-target-${report.target}`}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Title order={5}>{report.target}</Title>
          <Badge variant="outline" size="sm">
            {t(`type.${report.type}`)}
          </Badge>
        </Group>
        <Group gap={6}>
          <Badge
            color={s.listed ? 'red' : 'gray'}
            variant={s.listed ? 'filled' : 'light'}
            data-testid="bl-listed-count"
          >
            {t('summary.listed', { count: s.listed })}
          </Badge>
          {refused.length > 0 && (
            <Badge color="yellow">{t('summary.refused', { count: refused.length })}</Badge>
          )}
          {errors.length > 0 && <Badge color="gray">{t('summary.error', { count: errors.length })}</Badge>}
          <Badge color="teal" variant="light">
            {t('summary.clean', { count: clean.length })}
          </Badge>
        </Group>
      </Group>
      <Stack gap={6}>
        {listed.map((r) => (
          <ListedRow key={r.list} r={r} target={report.target} lists={lists} delist={delist} />
        ))}
        {refused.length > 0 && (
          <Alert
            color="yellow"
            icon={<IconAlertTriangle size={16} />}
            title={t('result.refusedTitle')}
            data-testid="bl-refused"
          >
            <Stack gap={4}>
              {refused.map((r) => (
                <Text size="sm" key={r.list}>
                  <b>
                    <ListName id={r.list} lists={lists} />
                  </b>{' '}
                  ({t(`status.${r.status}`)}): {r.reason}
                </Text>
              ))}
              <Text size="xs">{t('result.refusedWhy')}</Text>
              <Text size="xs" fw={500}>
                {t('result.refusedFix')}
              </Text>
            </Stack>
          </Alert>
        )}
        {errors.length > 0 && (
          <Alert
            color="gray"
            icon={<IconHelpCircle size={16} />}
            title={t('result.errorTitle')}
            data-testid="bl-errors"
          >
            <Stack gap={2}>
              {errors.map((r) => (
                <Text size="sm" key={r.list}>
                  <b>
                    <ListName id={r.list} lists={lists} />
                  </b>
                  : {r.reason}
                </Text>
              ))}
              <Text size="xs">{t('result.errorNotClean')}</Text>
            </Stack>
          </Alert>
        )}
        {good.map((r) => (
          <Text size="sm" key={r.list} c={r.polarity === 'allow' ? 'teal' : undefined}>
            <IconCircleCheck size={14} />{' '}
            {t(r.polarity === 'allow' ? 'result.allowListed' : 'result.info', {
              list: lists.get(r.list)?.name ?? r.list
            })}
            : {r.meanings.join(' · ')}
          </Text>
        ))}
        {s.skipped.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('result.skipped', {
              lists: s.skipped.map((x) => lists.get(x.list)?.name ?? x.list).join(', ')
            })}
          </Text>
        )}
        {s.notes
          .filter((n) => /range|None of the selected/.test(n))
          .map((n) => (
            <Text size="xs" c="dimmed" key={n}>
              {n}
            </Text>
          ))}
        {clean.length > 0 && (
          <div>
            <UnstyledButton onClick={() => setShowClean((v) => !v)} data-testid="bl-clean-toggle">
              <Group gap={4}>
                {showClean ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                <Text size="sm" c="teal">
                  {t('result.cleanCount', { count: clean.length })}
                </Text>
              </Group>
            </UnstyledButton>
            <Collapse in={showClean}>
              <Text size="xs" c="dimmed" pl="md">
                {clean.map((r) => lists.get(r.list)?.name ?? r.list).join(' · ')}
              </Text>
            </Collapse>
          </div>
        )}
        {report.results.length === 0 && s.skipped.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('result.nothingApplies')}
          </Text>
        )}
      </Stack>
    </Paper>
  )
}

/** A scan: chart, then one card per target — listed first, then refused/unreliable, could-not-check, clean. */
export function ScanResults({
  scan,
  lists,
  delist
}: {
  scan: ScanResult
  lists: ListIndex
  delist?: DelistAction
}) {
  const { t } = useTranslation('blocklist')
  const reports = [...scan.reports].sort((a, b) => b.summary.listed - a.summary.listed)
  return (
    <Stack gap="sm" data-testid="bl-results">
      <Text size="xs" c="dimmed">
        {t('result.checkedAt', {
          date: fmtDate(scan.checkedAt),
          resolver: scan.resolver === 'system' ? t('result.systemResolver') : scan.resolver
        })}{' '}
        ·{' '}
        {t('result.queries', {
          count: scan.reports.reduce((n, r) => n + r.results.length, 0),
          n: fmtNumber(scan.reports.reduce((n, r) => n + r.results.length, 0))
        })}
      </Text>
      {scan.invalid.length > 0 && (
        <Alert color="red" title={t('result.invalidTitle')} data-testid="bl-invalid">
          {scan.invalid.map((i) => (
            <Text size="sm" key={i.input}>
              “{i.input}”: {i.reason}
            </Text>
          ))}
        </Alert>
      )}
      {reports.length > 0 && <StatusChart reports={reports} />}
      {reports.map((r) => (
        <TargetCard key={r.target} report={r} lists={lists} delist={delist} />
      ))}
    </Stack>
  )
}
