import { SimpleGrid, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps } from '../gen-form'

export function RdnsForm({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [ip, setIp] = useState(prefill.ips[0] ?? '')
  const [hostname, setHostname] = useState(
    prefill.ptrNames[prefill.ips[0] ?? ''] ?? prefill.helo ?? (prefill.domain ? `mail.${prefill.domain}` : '')
  )
  const [provider, setProvider] = useState('')
  const [requester, setRequester] = useState('')
  const [organisation, setOrganisation] = useState('')
  return (
    <GenForm
      testId="gen-rdns-run"
      onRun={() =>
        onGenerate({
          kind: 'reverse-dns',
          input: {
            ip: ip.trim(),
            hostname: hostname.trim(),
            provider: provider || undefined,
            requester: requester || undefined,
            organisation: organisation || undefined
          }
        })
      }
    >
      <SimpleGrid cols={3}>
        <TextInput label={t('rdns.ip')} value={ip} onChange={(e) => setIp(e.currentTarget.value)} />
        <TextInput
          label={t('rdns.hostname')}
          value={hostname}
          onChange={(e) => setHostname(e.currentTarget.value)}
        />
        <TextInput
          label={t('rdns.provider')}
          value={provider}
          onChange={(e) => setProvider(e.currentTarget.value)}
        />
        <TextInput
          label={t('rdns.requester')}
          value={requester}
          onChange={(e) => setRequester(e.currentTarget.value)}
        />
        <TextInput
          label={t('rdns.organisation')}
          value={organisation}
          onChange={(e) => setOrganisation(e.currentTarget.value)}
        />
      </SimpleGrid>
    </GenForm>
  )
}
