import {
  ActionIcon,
  Alert,
  Group,
  Loader,
  Progress,
  Menu,
  Paper,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  Badge
} from '@mantine/core'
import { IconDots, IconRefresh, IconTrash } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseStatus } from '@shared/schemas/case'
import { call, onEvent } from '../../api/transport'
import { useApi, useInvalidateCase } from '../../api/query'
import { DiagnosePanel } from '../diagnose/diagnose-panel'
import { Timeline } from './timeline'
import { CaseDomainPanel } from '../domain/case-domain-panel'
import { CaseDelistPanel } from '../delist/case-delist-panel'
import { FixPanel } from '../fix/fix-panel'
import { VerifyPanel } from '../verify/verify-panel'
import { ReportPanel } from '../report/report-panel'
import { DiagnoseCauses } from '../causes/step-causes'
import { StepsBar } from '../workflow/steps-bar'
import { CaseStepContext } from './case-step-context'

export function CaseWorkspace({
  caseId,
  onChanged,
  onDeleted
}: {
  caseId: number
  onChanged: () => void
  onDeleted: () => void
}) {
  const { t } = useTranslation()
  // Refreshed by the backend's case:changed events (api/query.ts useBackendInvalidation).
  const detail = useApi('cases.get', { id: caseId })
  const invalidate = useInvalidateCase()
  const [title, setTitle] = useState('')
  const [tab, setTab] = useState<string | null>('diagnose')
  const [reanalysis, setReanalysis] = useState<{ done: number; total: number } | null>(null)

  useEffect(() => {
    if (detail.data) setTitle(detail.data.case.title)
  }, [detail.data])
  // Re-analysing every piece of evidence can take a while on a large mbox: show how far it is.
  useEffect(
    () =>
      onEvent((name, p) => {
        const e = p as { taskId?: string; done: number; total: number }
        if (name !== 'progress' || e.taskId !== `reanalyze:${caseId}`) return
        setReanalysis(e.done >= e.total ? null : { done: e.done, total: e.total })
      }),
    [caseId]
  )

  if (detail.error)
    return (
      <Alert color="red" title={t('errors.loadCase')}>
        {detail.error.message}
      </Alert>
    )
  if (!detail.data) return <Loader />
  const c = detail.data.case

  const refresh = () => {
    void invalidate(caseId)
    onChanged()
  }
  async function saveTitle() {
    const v = title.trim()
    if (v && v !== c.title) {
      await call('cases.update', { id: caseId, title: v })
      refresh()
    }
  }
  return (
    <CaseStepContext.Provider value={setTab}>
      <Stack gap="sm" data-testid="case-workspace">
        <Paper withBorder p="sm">
          {/* Wraps on narrow windows: the title keeps a readable width, the badges and controls go below. */}
          <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
            {/* A textarea so that long titles (named after the verdict) wrap instead of being cut; Enter saves. */}
            <Textarea
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value.replace(/\n/g, ' '))}
              onBlur={saveTitle}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault()
                  e.currentTarget.blur()
                }
              }}
              autosize
              minRows={1}
              maxRows={3}
              variant="unstyled"
              size="lg"
              styles={{ input: { fontWeight: 600 } }}
              style={{ flex: '1 1 260px', minWidth: 0 }}
              aria-label={t('case.title')}
              data-testid="case-title"
            />
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              {c.sendingDomain && <Badge variant="outline">{c.sendingDomain}</Badge>}
              {c.sendingIps.slice(0, 2).map((ip) => (
                <Badge key={ip} variant="outline" color="gray">
                  {ip}
                </Badge>
              ))}
              <Select
                w={130}
                size="xs"
                value={c.status}
                data={(['open', 'resolved', 'archived'] as CaseStatus[]).map((s) => ({
                  value: s,
                  label: t(`caseStatus.${s}`)
                }))}
                onChange={async (v) => {
                  if (v) {
                    await call('cases.update', { id: caseId, status: v as CaseStatus })
                    refresh()
                  }
                }}
                aria-label={t('case.status')}
                allowDeselect={false}
              />
              <Menu position="bottom-end">
                <Menu.Target>
                  <ActionIcon variant="default" aria-label={t('case.more')}>
                    <IconDots size={16} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item
                    leftSection={<IconRefresh size={14} />}
                    disabled={detail.data.evidence.length === 0}
                    data-testid="case-reanalyze"
                    onClick={async () => {
                      try {
                        const r = await call('evidence.reanalyze', { caseId })
                        notifications.show({
                          color: r.failed.length ? 'yellow' : 'green',
                          message:
                            t('case.reanalyzed', { count: r.updated }) +
                            r.failed.map((f) => `\n${f.file}: ${f.message}`).join('')
                        })
                        refresh()
                      } catch (e) {
                        notifications.show({
                          color: 'red',
                          title: t('errors.title'),
                          message: (e as Error).message
                        })
                      }
                    }}
                  >
                    {t('case.reanalyze')}
                  </Menu.Item>
                  <Menu.Item
                    color="red"
                    leftSection={<IconTrash size={14} />}
                    onClick={async () => {
                      if (window.confirm(t('case.confirmDelete', { title: c.title }))) {
                        await call('cases.delete', { id: caseId })
                        onDeleted()
                      }
                    }}
                  >
                    {t('case.delete')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
          <Text size="xs" c="dimmed" px={4}>
            {t('case.evidenceSummary', { count: detail.data.evidence.length })}
          </Text>
        </Paper>
        {reanalysis && (
          <Progress
            value={(reanalysis.done / Math.max(reanalysis.total, 1)) * 100}
            animated
            data-testid="reanalyze-progress"
            aria-label={t('case.reanalyze')}
          />
        )}
        <StepsBar caseSummary={c} active={tab ?? 'diagnose'} onSelect={setTab} />
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            {(['diagnose', 'fix', 'delist', 'verify', 'report'] as const).map((s) => (
              <Tabs.Tab key={s} value={s} data-testid={`tab-${s}`}>
                {t(`steps.${s}`)}
              </Tabs.Tab>
            ))}
            <Tabs.Tab value="timeline" data-testid="tab-timeline">
              {t('case.timeline')} ({detail.data.notes.length})
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="diagnose" pt="sm">
            <Stack gap="sm">
              <DiagnosePanel caseId={caseId} evidence={detail.data.evidence} onChanged={refresh} />
              <DiagnoseCauses caseId={caseId} />
              <CaseDomainPanel caseSummary={c} />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="fix" pt="sm">
            <FixPanel caseSummary={c} onChanged={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="delist" pt="sm">
            <CaseDelistPanel caseSummary={c} onChanged={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="verify" pt="sm">
            <VerifyPanel caseSummary={c} onChanged={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="report" pt="sm">
            <ReportPanel caseSummary={c} onChanged={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="timeline" pt="sm">
            <Timeline caseId={caseId} notes={detail.data.notes} onChanged={refresh} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </CaseStepContext.Provider>
  )
}
