import { Select, Text } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps } from '../gen-form'

export function ContentForm({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [ev, setEv] = useState<string | null>(null)
  if (prefill.lintable.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('content.none')}
      </Text>
    )
  return (
    <GenForm
      testId="gen-content-run"
      onRun={() => onGenerate({ kind: 'content-lint', input: { evidenceId: ev ? Number(ev) : undefined } })}
    >
      <Select
        label={t('content.which')}
        placeholder={t('content.all')}
        clearable
        value={ev}
        onChange={setEv}
        data={prefill.lintable.map((e) => ({ value: String(e.id), label: e.name }))}
      />
    </GenForm>
  )
}
