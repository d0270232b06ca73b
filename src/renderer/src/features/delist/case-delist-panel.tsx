import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  Tooltip
} from '@mantine/core'
import { IconExternalLink, IconPlayerPlay, IconPlus, IconRefresh } from '@tabler/icons-react'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { BlocklistEntry } from '@shared/schemas/blocklist'
import { call } from '../../api/transport'
import { useApi, useInvalidateCase } from '../../api/query'
import { fmtDate, useText } from '../../i18n'
import { ScanProgressBar } from '../blocklist/scan-progress'
import { ScanResults } from '../blocklist/scan-results'
import { useCatalogue } from '../blocklist/use-catalogue'
import { useScan } from '../blocklist/use-scan'
import { DelistCauses } from '../causes/step-causes'
import { DelistForm } from './delist-form'
import { age, RequestActions, StatusBadge, StaleBadge } from './delist-ui'

/** The Delist step of a case: blocklist sweep of the case's targets and its delisting requests. */
export function CaseDelistPanel({
  caseSummary,
  onChanged
}: {
  caseSummary: CaseSummary
  onChanged: () => void
}) {
  const { t } = useTranslation('blocklist')
  const tx = useText()
  const caseId = caseSummary.id
  const { catalogue, index } = useCatalogue()
  const invalidate = useInvalidateCase()
  const targets = useApi('blocklist.caseTargets', { caseId })
  const lastScan = useApi('blocklist.lastScan', { caseId })
  const requests = useApi('delist.list', { caseId })
  const scan = useScan()
  const [selected, setSelected] = useState<string[] | null>(null)
  const [form, setForm] = useState<{ list?: BlocklistEntry; target?: string } | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const [checkingAll, setCheckingAll] = useState(false)

  // Pre-select the suggested targets (public IPs, sender domains) once they are known.
  useEffect(() => {
    if (targets.data && selected === null)
      setSelected(targets.data.targets.filter((x) => x.suggested).map((x) => x.value))
  }, [targets.data, selected])

  const shown = scan.result ?? lastScan.data?.scan ?? null
  const providers = useMemo(() => (catalogue?.lists ?? []).filter((l) => l.kind === 'provider'), [catalogue])
  const tracked = useMemo(
    () =>
      new Set(
        (requests.data ?? [])
          .filter((r) => r.status === 'listed' || r.status === 'requested' || r.status === 'pending')
          .map((r) => `${r.list}|${r.target}`)
      ),
    [requests.data]
  )

  const refresh = () => {
    void invalidate(caseId)
    onChanged()
  }

  async function sweep() {
    if (!selected?.length) return
    const r = await scan.run({ targets: selected, caseId })
    if (r) refresh()
  }

  async function checkAll() {
    setCheckingAll(true)
    setActionError(null)
    try {
      for (const r of (requests.data ?? []).filter(
        (x) => !x.manual && ['listed', 'requested', 'pending'].includes(x.status)
      ))
        await call('delist.checkNow', { id: r.id })
      refresh()
    } catch (e) {
      setActionError((e as Error).message)
    } finally {
      setCheckingAll(false)
    }
  }

  const named = targets.data?.named ?? []
  return (
    <Stack gap="sm" data-testid="delist-panel">
      <DelistCauses caseId={caseId} />
      <Paper withBorder p="sm">
        <Title order={5} mb={4}>
          {t('case.sweepTitle')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('case.sweepHelp')}
        </Text>
        {named.length > 0 && (
          <Group gap={6} mb="xs" data-testid="delist-named">
            <Text size="sm">{t('case.named')}</Text>
            {named.map((n) => (
              <Tooltip key={n.list} label={n.match}>
                <Badge color={n.provider ? 'violet' : 'red'} variant="light">
                  {n.name}
                </Badge>
              </Tooltip>
            ))}
          </Group>
        )}
        {targets.error && <Alert color="red">{targets.error.message}</Alert>}
        {!targets.data && !targets.error && <Loader size="sm" />}
        {targets.data && targets.data.targets.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('case.noTargets')}
          </Text>
        )}
        {targets.data && targets.data.targets.length > 0 && (
          <Checkbox.Group value={selected ?? []} onChange={setSelected}>
            <Stack gap={4}>
              {targets.data.targets.map((x) => (
                <Group key={x.value} gap="xs" wrap="nowrap">
                  <Checkbox value={x.value} label={x.value} data-testid="delist-target-checkbox" />
                  {x.sources.map((s) => (
                    <Badge key={s} size="xs" variant="outline" color="gray">
                      {t(`source.${s}`)}
                    </Badge>
                  ))}
                  {!x.suggested && (
                    <Text size="xs" c="dimmed">
                      {t('case.notPublic')}
                    </Text>
                  )}
                </Group>
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Group mt="sm">
          <Button
            leftSection={<IconPlayerPlay size={14} />}
            onClick={sweep}
            loading={scan.running}
            disabled={!selected?.length}
            data-testid="delist-sweep"
          >
            {t('case.sweep', { count: selected?.length ?? 0 })}
          </Button>
        </Group>
      </Paper>
      {scan.progress && <ScanProgressBar progress={scan.progress} onCancel={scan.cancel} />}
      {scan.cancelled && <Alert color="gray">{t('check.cancelled')}</Alert>}
      {scan.error && (
        <Alert color="red" title={t('check.failed')}>
          {scan.error}
        </Alert>
      )}
      {shown && (
        <ScanResults
          scan={shown}
          lists={index}
          delist={{ tracked, onRequest: (list, target) => setForm({ list, target }) }}
        />
      )}

      <Paper withBorder p="sm" data-testid="delist-requests">
        <Group justify="space-between" mb="xs">
          <Title order={5}>{t('requests.title')}</Title>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconRefresh size={14} />}
              onClick={checkAll}
              loading={checkingAll}
              disabled={!requests.data?.some((r) => !r.manual)}
            >
              {t('requests.checkAll')}
            </Button>
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
              onClick={() => setForm({})}
              disabled={!providers.length}
              data-testid="delist-track-provider"
            >
              {t('requests.trackProvider')}
            </Button>
          </Group>
        </Group>
        {actionError && (
          <Alert
            color="red"
            mb="xs"
            withCloseButton
            onClose={() => setActionError(null)}
            data-testid="delist-action-error"
          >
            {actionError}
          </Alert>
        )}
        {requests.error && <Alert color="red">{requests.error.message}</Alert>}
        {requests.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('requests.empty')}
          </Text>
        )}
        {requests.data && requests.data.length > 0 && (
          <Table fz="sm" verticalSpacing={6} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('requests.list')}</Table.Th>
                <Table.Th>{t('requests.target')}</Table.Th>
                <Table.Th>{t('requests.status')}</Table.Th>
                <Table.Th>{t('requests.age')}</Table.Th>
                <Table.Th>{t('requests.lastCheck')}</Table.Th>
                <Table.Th>{t('requests.streak')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {requests.data.map((r) => (
                <Table.Tr key={r.id} data-testid={`delist-row-${r.id}`} data-list={r.list}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {r.listName}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {tx(r.timeline.at(-1)?.noteText, r.timeline.at(-1)?.note)}
                    </Text>
                    {r.reference && (
                      <Text size="xs">
                        {t('requests.reference')}: {r.reference}
                      </Text>
                    )}
                    {r.removalUrl && (
                      <Anchor href={r.removalUrl} target="_blank" rel="noreferrer" size="xs">
                        {t('result.removalPage')} <IconExternalLink size={11} />
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>{r.target}</Table.Td>
                  <Table.Td miw={110}>
                    <Group gap={4}>
                      <StatusBadge status={r.status} />
                      {r.manual && (
                        <Badge size="xs" variant="outline" color="violet">
                          {t('requests.manual')}
                        </Badge>
                      )}
                      <StaleBadge r={r} testId="delist-stale" />
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Tooltip label={fmtDate(r.createdAt)}>
                      <span>{age(r.createdAt)}</span>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td fz="xs">{r.manual ? t('requests.byHand') : fmtDate(r.lastCheckedAt)}</Table.Td>
                  <Table.Td data-testid="delist-streak">{r.manual ? '—' : `${r.cleanStreak}/2`}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <RequestActions request={r} onDone={refresh} onError={setActionError} compact />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {form && (
        <DelistForm
          caseId={caseId}
          list={form.list}
          target={form.target}
          providers={providers}
          targets={targets.data?.targets ?? []}
          onClose={() => setForm(null)}
          onCreated={refresh}
        />
      )}
    </Stack>
  )
}
