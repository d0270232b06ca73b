import { Select, SimpleGrid, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps, today } from '../gen-form'

export function DkimForm({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [selector, setSelector] = useState(`dd${today().slice(0, 7).replace('-', '')}`)
  const [algorithm, setAlgorithm] = useState<'rsa2048' | 'ed25519'>('rsa2048')
  return (
    <GenForm
      testId="gen-dkim-run"
      onRun={() =>
        onGenerate({ kind: 'dkim', input: { domain: domain.trim(), selector: selector.trim(), algorithm } })
      }
    >
      <Text size="xs" c="dimmed">
        {t('dkim.help')}
      </Text>
      <SimpleGrid cols={3}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
        />
        <TextInput
          label={t('dkim.selector')}
          value={selector}
          onChange={(e) => setSelector(e.currentTarget.value)}
          data-testid="dkim-selector"
        />
        <Select
          label={t('dkim.algorithm')}
          value={algorithm}
          allowDeselect={false}
          onChange={(v) => v && setAlgorithm(v as 'rsa2048' | 'ed25519')}
          data={[
            { value: 'rsa2048', label: 'RSA 2048' },
            { value: 'ed25519', label: 'Ed25519' }
          ]}
        />
      </SimpleGrid>
    </GenForm>
  )
}
