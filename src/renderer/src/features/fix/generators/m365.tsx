import { SimpleGrid, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps } from '../gen-form'

export function M365Form({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [tenant, setTenant] = useState('')
  const [partition, setPartition] = useState('')
  return (
    <GenForm
      testId="gen-m365-run"
      onRun={() =>
        onGenerate({
          kind: 'm365-dkim',
          input: { domain: domain.trim(), tenant: tenant.trim(), partition: partition.trim() || undefined }
        })
      }
    >
      <SimpleGrid cols={3}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
        />
        <TextInput
          label={t('m365.tenant')}
          placeholder="contoso.onmicrosoft.com"
          value={tenant}
          onChange={(e) => setTenant(e.currentTarget.value)}
        />
        <TextInput
          label={t('m365.partition')}
          description={t('m365.partitionHelp')}
          value={partition}
          onChange={(e) => setPartition(e.currentTarget.value)}
        />
      </SimpleGrid>
    </GenForm>
  )
}
