import { Alert, Button, Group, Stack } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { FixPrefill, FixRequest, StoredFix } from '@shared/schemas/workflow'
import { useErrorText } from '../../i18n'

/** Runs one generator and stores its output in the case (fix.generate). */
export type Gen = (req: FixRequest) => Promise<{ fix: StoredFix; privateKeyPem?: string }>

/** What every generator form receives: the case's prefill and the function that runs the generator. */
export interface GeneratorProps {
  prefill: FixPrefill
  onGenerate: Gen
}

export const today = () => new Date().toISOString().slice(0, 10)

/** Runs a generator; bad input comes back as a message under the form, and the form keeps what was typed. */
export function GenForm({
  children,
  onRun,
  testId
}: {
  children: ReactNode
  onRun: () => Promise<unknown>
  testId: string
}) {
  const { t } = useTranslation('workflow')
  const errorText = useErrorText()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <Stack gap="xs">
      {children}
      {error && (
        <Alert color="red" data-testid="gen-error">
          {error}
        </Alert>
      )}
      <Group>
        <Button
          loading={busy}
          data-testid={testId}
          onClick={async () => {
            setBusy(true)
            setError(null)
            try {
              await onRun()
            } catch (e) {
              setError(errorText(e))
            } finally {
              setBusy(false)
            }
          }}
        >
          {t('fix.generate')}
        </Button>
      </Group>
    </Stack>
  )
}
