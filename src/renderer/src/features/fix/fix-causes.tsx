import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { IconArrowRight } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { CaseCause } from '@shared/schemas/workflow'
import { useOpenStep } from '../cases/case-step-context'
import { CauseCard } from '../causes/cause-card'
import { CausesList, LoadError } from '../causes/causes-list'
import { CoverageNotes } from '../causes/coverage-notes'
import { isOpen, openByStep, useCauses } from '../causes/use-causes'
import { REMEDY_TAB } from './generators'

/** The generator that answers a cause: from its members' remedies, else the content lint for content causes. */
function generatorOf(c: CaseCause): string | undefined {
  for (const f of c.findings) if (f.remedy && REMEDY_TAB[f.remedy]) return REMEDY_TAB[f.remedy]
  return c.kind === 'content' ? 'content' : undefined
}

/**
 * The Fix step's to-do: the root causes a record or a setting fixes, then the listings, which only a delisting
 * fixes (shown here so the admin sees them, with the way to the Delist step). It never says "nothing left" while
 * any cause of any step is open: it says what is left and where.
 */
export function FixCauses({
  caseId,
  onOpenGenerator,
  onChanged
}: {
  caseId: number
  onOpenGenerator: (tab: string) => void
  onChanged: () => void
}) {
  const { t } = useTranslation('workflow')
  const openStep = useOpenStep()
  const q = useCauses(caseId)
  if (!q.data) return <LoadError error={q.error} />
  const causes = q.data.causes
  const fix = causes.filter((c) => c.step === 'fix')
  const openFix = fix.filter(isOpen)
  const listings = causes.filter((c) => c.step === 'delist' && isOpen(c))
  const elsewhere = openByStep(causes).filter((x) => x.step !== 'fix')
  const elsewhereCount = elsewhere.reduce((n, x) => n + x.count, 0)

  return (
    <Stack gap="sm" data-testid="fix-causes">
      <CausesList
        caseId={caseId}
        causes={fix}
        title={t('causes.fixTitle', { count: openFix.length })}
        onChanged={onChanged}
        testId="fix-open"
        actions={(c) => {
          const g = generatorOf(c)
          return g && isOpen(c) ? (
            <Button
              size="compact-xs"
              variant="light"
              onClick={() => onOpenGenerator(g)}
              data-testid="open-generator"
            >
              {t(`gen.${g}`)}
            </Button>
          ) : null
        }}
      />
      {openFix.length === 0 &&
        (elsewhereCount > 0 ? (
          <Alert color="blue" variant="light" data-testid="fix-left-elsewhere">
            <Text size="sm" mb={6}>
              {t('causes.leftElsewhere', { count: elsewhereCount })}
            </Text>
            <Group gap="xs">
              {elsewhere.map((x) => (
                <Button
                  key={x.step}
                  size="compact-sm"
                  variant="light"
                  rightSection={<IconArrowRight size={14} />}
                  onClick={() => openStep(x.step)}
                  data-testid={`fix-left-${x.step}`}
                >
                  {t('causes.leftIn', { count: x.count, step: t(`step.${x.step}`) })}
                </Button>
              ))}
            </Group>
          </Alert>
        ) : (
          <Text c="dimmed" size="sm" data-testid="fix-none-open">
            {t('fix.noneOpen')}
          </Text>
        ))}
      {listings.length > 0 && (
        <Paper withBorder p="sm" data-testid="fix-by-delisting">
          <Title order={5} mb={4}>
            {t('causes.byDelisting', { count: listings.length })}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('causes.byDelistingHelp')}
          </Text>
          <Stack gap="xs">
            {listings.map((c) => (
              <CauseCard
                key={c.id}
                caseId={caseId}
                cause={c}
                onChanged={onChanged}
                actions={
                  <Button
                    size="compact-xs"
                    variant="light"
                    rightSection={<IconArrowRight size={12} />}
                    onClick={() => openStep('delist')}
                    data-testid="open-delist"
                  >
                    {t('causes.openStep', { step: t('step.delist') })}
                  </Button>
                }
              />
            ))}
          </Stack>
        </Paper>
      )}
      {/* What could not be checked, apart from the to-dos: a fix cannot be confirmed where nothing answered. */}
      <CoverageNotes notes={q.data.coverage} />
    </Stack>
  )
}
