import { Group, Paper, Progress, SimpleGrid, Text, ThemeIcon, UnstyledButton } from '@mantine/core'
import { IconCheck } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { StepProgress } from '@shared/schemas/workflow'
import { useApi } from '../../api/query'

/** Progress across Diagnose → Fix → Delist → Verify → Report: what is done and what remains. */
export function StepsBar({
  caseSummary,
  active,
  onSelect
}: {
  caseSummary: CaseSummary
  active: string
  onSelect: (step: string) => void
}) {
  const { t } = useTranslation('workflow')
  // Refreshed with the case (case:changed and the panels' own invalidation), see api/query.ts.
  const status = useApi('workflow.status', { caseId: caseSummary.id })
  const steps: StepProgress[] =
    status.data?.steps ??
    (['diagnose', 'fix', 'delist', 'verify', 'report'] as const).map((step) => ({
      step,
      done: 0,
      remaining: 0,
      complete: false
    }))
  return (
    // Container queries: five cards in a row where the workspace is wide enough, fewer per row where it is not.
    <SimpleGrid
      type="container"
      cols={{ base: 2, '420px': 3, '640px': 5 }}
      spacing="xs"
      data-testid="steps-bar"
    >
      {steps.map((s, i) => {
        const total = s.done + s.remaining
        const pct = s.complete ? 100 : total ? (s.done / total) * 100 : 0
        const isActive = active === s.step
        return (
          <UnstyledButton
            key={s.step}
            onClick={() => onSelect(s.step)}
            data-testid={`step-${s.step}`}
            data-complete={s.complete}
            data-remaining={s.remaining}
            aria-current={isActive ? 'step' : undefined}
          >
            <Paper
              withBorder
              p="xs"
              style={{
                borderColor: isActive ? 'var(--mantine-color-blue-6)' : undefined,
                borderWidth: isActive ? 2 : 1
              }}
            >
              <Group gap={6} wrap="nowrap" justify="space-between">
                <Text size="sm" fw={600} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                  {i + 1}. {t(`step.${s.step}`)}
                </Text>
                {s.complete && (
                  <ThemeIcon
                    size="sm"
                    radius="xl"
                    color="teal"
                    aria-label={t('stepComplete')}
                    style={{ flexShrink: 0 }}
                  >
                    <IconCheck size={12} />
                  </ThemeIcon>
                )}
              </Group>
              <Progress
                value={pct}
                size="sm"
                mt={6}
                color={s.complete ? 'teal' : 'blue'}
                aria-label={t(`step.${s.step}`)}
              />
              <Text size="xs" c="dimmed" mt={4} data-testid={`step-${s.step}-counts`}>
                {s.pending
                  ? t(`pending.${s.pending}`)
                  : t('stepCounts', { done: s.done, remaining: s.remaining })}
              </Text>
            </Paper>
          </UnstyledButton>
        )
      })}
    </SimpleGrid>
  )
}
