import { Button, Stack } from '@mantine/core'
import { IconArrowRight } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { useInvalidateCase } from '../../api/query'
import { useOpenStep } from '../cases/case-step-context'
import { CausesList, LoadError } from './causes-list'
import { CoverageNotes } from './coverage-notes'
import { isOpen, useCauses } from './use-causes'

/**
 * The Diagnose step's overview: every root cause of the case, whichever step deals with it (with the way there),
 * and, in a block of its own, what could not be checked.
 */
export function DiagnoseCauses({ caseId }: { caseId: number }) {
  const { t } = useTranslation('workflow')
  const openStep = useOpenStep()
  const invalidate = useInvalidateCase()
  const q = useCauses(caseId)
  if (!q.data) return <LoadError error={q.error} />
  const { causes, coverage } = q.data
  if (causes.length === 0 && coverage.length === 0) return null
  return (
    <Stack gap="sm">
      {causes.length > 0 && (
        <CausesList
          caseId={caseId}
          causes={causes}
          title={t('causes.title', { count: causes.filter(isOpen).length })}
          showStep
          onChanged={() => void invalidate(caseId)}
          testId="diagnose-causes"
          actions={(c) =>
            c.step !== 'diagnose' && isOpen(c) ? (
              <Button
                size="compact-xs"
                variant="light"
                rightSection={<IconArrowRight size={12} />}
                onClick={() => openStep(c.step)}
                data-testid="cause-open-step"
              >
                {t('causes.openStep', { step: t(`step.${c.step}`) })}
              </Button>
            ) : null
          }
        />
      )}
      <CoverageNotes notes={coverage} />
    </Stack>
  )
}

/** The Delist step's to-do: one root cause per list and target, and the blocklist coverage notes. */
export function DelistCauses({ caseId }: { caseId: number }) {
  const { t } = useTranslation('workflow')
  const invalidate = useInvalidateCase()
  const q = useCauses(caseId)
  if (!q.data) return <LoadError error={q.error} />
  const listings = q.data.causes.filter((c) => c.step === 'delist')
  return (
    <Stack gap="sm">
      <CausesList
        caseId={caseId}
        causes={listings}
        title={t('causes.delistTitle', { count: listings.filter(isOpen).length })}
        empty={listings.length === 0 ? t('causes.delistNone') : undefined}
        onChanged={() => void invalidate(caseId)}
        testId="delist-causes"
      />
      <CoverageNotes notes={q.data.coverage} checks={['blocklist']} />
    </Stack>
  )
}
