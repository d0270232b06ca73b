import { Accordion, Alert, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseCause } from '@shared/schemas/workflow'
import { CauseCard } from './cause-card'
import { isOpen, sortCauses } from './use-causes'

/**
 * A list of root causes: the open ones, then those resolved or accepted and the context (info) ones folded away.
 * `actions` adds the step's own buttons to a cause.
 */
export function CausesList({
  caseId,
  causes,
  title,
  empty,
  showStep,
  actions,
  onChanged,
  testId
}: {
  caseId: number
  causes: CaseCause[]
  title: string
  empty?: string
  showStep?: boolean
  actions?: (c: CaseCause) => ReactNode
  onChanged: () => void
  testId: string
}) {
  const { t } = useTranslation('workflow')
  const sorted = sortCauses(causes)
  const open = sorted.filter(isOpen)
  const done = sorted.filter((c) => c.actionable && c.status !== 'open')
  const context = sorted.filter((c) => !c.actionable)
  const card = (c: CaseCause) => (
    <CauseCard
      key={c.id}
      caseId={caseId}
      cause={c}
      showStep={showStep}
      actions={actions?.(c)}
      onChanged={onChanged}
    />
  )
  return (
    <Paper withBorder p="sm" data-testid={testId} data-open={open.length}>
      <Title order={5} mb="xs">
        {title}
      </Title>
      {open.length === 0 && empty && (
        <Text c="dimmed" size="sm" mb="xs">
          {empty}
        </Text>
      )}
      <Stack gap="xs">{open.map(card)}</Stack>
      {(done.length > 0 || context.length > 0) && (
        <Accordion mt="xs" variant="contained" multiple>
          {done.length > 0 && (
            <Accordion.Item value="done">
              <Accordion.Control>{t('causes.doneTitle', { count: done.length })}</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">{done.map(card)}</Stack>
              </Accordion.Panel>
            </Accordion.Item>
          )}
          {context.length > 0 && (
            <Accordion.Item value="context">
              <Accordion.Control>{t('causes.context', { count: context.length })}</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">{context.map(card)}</Stack>
              </Accordion.Panel>
            </Accordion.Item>
          )}
        </Accordion>
      )}
    </Paper>
  )
}

export function LoadError({ error }: { error: Error | null }) {
  return error ? <Alert color="red">{error.message}</Alert> : null
}
