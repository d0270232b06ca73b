import {
  Alert,
  Badge,
  Button,
  Collapse,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title
} from '@mantine/core'
import { IconChevronDown, IconChevronRight, IconRefresh } from '@tabler/icons-react'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { CaseCause, VerifyItem, VerifyOutcome, VerifyResult } from '@shared/schemas/workflow'
import { useApi, useInvalidateCase } from '../../api/query'
import { call, onEvent } from '../../api/transport'
import { fmtDate, useText } from '../../i18n'
import { MemberFinding } from '../causes/cause-card'
import { CoverageNotes } from '../causes/coverage-notes'
import { useCauses } from '../causes/use-causes'
import { SeverityBadge } from '../workflow/ui'

const OUTCOME_COLOR: Record<VerifyOutcome, string> = {
  resolved: 'teal',
  'still-open': 'red',
  new: 'orange',
  'could-not-check': 'yellow',
  accepted: 'gray',
  'not-rechecked': 'gray'
}

/**
 * The Verify step: re-run every check of the case and show, per root cause, what changed (with the cause's findings
 * in an expander), and what could not be checked as coverage, apart from the causes.
 */
export function VerifyPanel({ caseSummary, onChanged }: { caseSummary: CaseSummary; onChanged: () => void }) {
  const { t } = useTranslation('workflow')
  const caseId = caseSummary.id
  const last = useApi('workflow.lastVerify', { caseId })
  const causes = useCauses(caseId)
  const invalidate = useInvalidateCase()
  const [result, setResult] = useState<VerifyResult | null>(null)
  const [running, setRunning] = useState<{
    taskId: string
    label: string
    done: number
    total: number
  } | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(
    () =>
      onEvent((name, p) => {
        if (name !== 'progress') return
        const pr = p as { taskId: string; label: string; done: number; total: number }
        // Sub-tasks (the sweep) report under "<taskId>-bl": show their label, keep the overall count.
        setRunning((r) =>
          r && pr.taskId === r.taskId
            ? { ...r, ...pr }
            : r && pr.taskId.startsWith(r.taskId)
              ? { ...r, label: pr.label }
              : r
        )
      }),
    []
  )

  async function run() {
    const taskId = `verify-${caseId}-${Date.now()}`
    setError(null)
    setRunning({ taskId, label: t('verify.starting'), done: 0, total: 1 })
    try {
      setResult(await call('workflow.verify', { caseId, taskId }))
      void invalidate(caseId)
      onChanged()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setRunning(null)
    }
  }

  const shown = result ?? last.data ?? null
  return (
    <Stack gap="sm" data-testid="verify-panel">
      <Paper withBorder p="sm">
        <Group justify="space-between">
          <div>
            <Title order={5}>{t('verify.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('verify.help')}
            </Text>
          </div>
          <Button
            leftSection={<IconRefresh size={16} />}
            onClick={run}
            loading={!!running}
            data-testid="verify-run"
          >
            {t('verify.run')}
          </Button>
        </Group>
        {running && (
          <Stack gap={4} mt="sm" data-testid="verify-progress">
            <Progress value={running.total ? (running.done / running.total) * 100 : 0} animated />
            <Text size="xs" c="dimmed">
              {running.label}
            </Text>
          </Stack>
        )}
        {error && (
          <Alert color="red" mt="sm" data-testid="verify-error">
            {error}
          </Alert>
        )}
      </Paper>
      {causes.data && <CoverageNotes notes={causes.data.coverage} />}
      {shown && <VerifyView result={shown} causes={causes.data?.causes ?? []} />}
      {!shown && !last.isPending && <Text c="dimmed">{t('verify.never')}</Text>}
    </Stack>
  )
}

function VerifyView({ result, causes }: { result: VerifyResult; causes: CaseCause[] }) {
  const { t } = useTranslation('workflow')
  const byId = new Map(causes.map((c) => [c.id, c]))
  const open = result.items.filter((i) => i.after === 'open').length
  return (
    <Paper withBorder p="sm" data-testid="verify-result" data-open={open} data-run={result.runId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('verify.checkedAt', { date: fmtDate(result.checkedAt) })}</Text>
        <Group gap={4}>
          {(Object.keys(OUTCOME_COLOR) as VerifyOutcome[])
            .filter((o) => (result.counts[o] ?? 0) > 0)
            .map((o) => (
              <Badge key={o} color={OUTCOME_COLOR[o]} variant="light" data-testid={`verify-count-${o}`}>
                {t(`outcome.${o}`)}: {result.counts[o]}
              </Badge>
            ))}
        </Group>
      </Group>
      {open === 0 && result.items.length > 0 && (
        <Alert color="teal" mb="xs" data-testid="verify-all-resolved">
          {t('verify.allResolved')}
        </Alert>
      )}
      <Group gap="xs" mb="xs">
        {result.checks.map((c) => (
          <Badge
            key={c.check}
            color={c.state === 'done' ? 'teal' : c.state === 'failed' ? 'red' : 'gray'}
            variant="outline"
            title={c.message}
          >
            {t(`verify.check.${c.check}`)}: {t(`verify.state.${c.state}`)}
          </Badge>
        ))}
      </Group>
      {result.checks
        .filter((c) => c.state === 'failed')
        .map((c) => (
          <Alert key={c.check} color="red" mb="xs">
            {t(`verify.check.${c.check}`)}: {c.message}
          </Alert>
        ))}
      <Table striped withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('verify.finding')}</Table.Th>
            <Table.Th>{t('verify.step')}</Table.Th>
            <Table.Th>{t('verify.before')}</Table.Th>
            <Table.Th w={170}>{t('verify.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.items.map((i) => (
            <Table.Tr
              key={i.findingId}
              data-testid="verify-item"
              data-finding={i.findingId}
              data-outcome={i.outcome}
            >
              <Table.Td>
                <VerifyCause item={i} cause={byId.get(i.findingId)} />
              </Table.Td>
              <Table.Td>{t(`step.${i.step}`)}</Table.Td>
              <Table.Td>{t(`status.${i.before}`)}</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOR[i.outcome]} style={{ overflow: 'visible' }} miw="max-content">
                  {t(`outcome.${i.outcome}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

/** A verified root cause: its title, what the re-check saw, and its findings with their evidence on demand. */
function VerifyCause({ item: i, cause }: { item: VerifyItem; cause?: CaseCause }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const [open, setOpen] = useState(false)
  const id = useId()
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <SeverityBadge severity={i.severity} />
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {tx(i.titleText ?? cause?.titleText, i.title)}
        </Text>
      </Group>
      {i.detail && (
        <Text size="xs" c="dimmed">
          {i.detail}
        </Text>
      )}
      {cause && (
        <>
          <Button
            size="compact-xs"
            variant="subtle"
            px={4}
            w="fit-content"
            leftSection={open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls={id}
            data-testid="verify-expand"
          >
            {open ? t('causes.hideEvidence') : t('causes.showEvidence', { count: cause.findings.length })}
          </Button>
          <Collapse in={open} id={id}>
            {open && (
              <Stack gap={4} aria-label={t('causes.verifyMembers')}>
                {cause.findings.map((f) => (
                  <MemberFinding key={f.id} finding={f} />
                ))}
              </Stack>
            )}
          </Collapse>
        </>
      )}
    </Stack>
  )
}
