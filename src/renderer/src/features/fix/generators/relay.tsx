import { SegmentedControl, SimpleGrid, TagsInput, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps } from '../gen-form'

export function RelayForm({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [which, setWhich] = useState<'postfix' | 'exchange' | 'exo' | 'ef'>('postfix')
  const [nets, setNets] = useState<string[]>([])
  const [server, setServer] = useState('EX01')
  const [ranges, setRanges] = useState<string[]>([])
  const [name, setName] = useState('From on-premises')
  const [cert, setCert] = useState(prefill.domain ? `mail.${prefill.domain}` : '')
  const [ips, setIps] = useState<string[]>(prefill.ips)
  const [connector, setConnector] = useState('')
  const run = () => {
    if (which === 'postfix')
      return onGenerate({
        kind: 'postfix-relay',
        input: { mynetworks: nets, submission: true, sasl: 'dovecot' }
      })
    if (which === 'exchange')
      return onGenerate({ kind: 'exchange-relay', input: { server: server.trim(), remoteIpRanges: ranges } })
    if (which === 'exo')
      return onGenerate({
        kind: 'exo-connector',
        input: {
          direction: 'inbound-from-onprem',
          name: name.trim(),
          tlsCertificateName: cert.trim() || undefined,
          senderIps: ips
        }
      })
    return onGenerate({
      kind: 'enhanced-filtering',
      input: { connector: connector.trim(), skipLastIp: true }
    })
  }
  return (
    <GenForm testId="gen-relay-run" onRun={run}>
      <SegmentedControl
        value={which}
        onChange={(v) => setWhich(v as typeof which)}
        data={(['postfix', 'exchange', 'exo', 'ef'] as const).map((v) => ({
          value: v,
          label: t(`relay.${v}`)
        }))}
      />
      {which === 'postfix' && (
        <TagsInput
          label={t('relay.mynetworks')}
          description={t('relay.mynetworksHelp')}
          value={nets}
          onChange={setNets}
        />
      )}
      {which === 'exchange' && (
        <SimpleGrid cols={2}>
          <TextInput
            label={t('relay.server')}
            value={server}
            onChange={(e) => setServer(e.currentTarget.value)}
          />
          <TagsInput label={t('relay.ranges')} value={ranges} onChange={setRanges} />
        </SimpleGrid>
      )}
      {which === 'exo' && (
        <SimpleGrid cols={3}>
          <TextInput
            label={t('relay.connectorName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput label={t('relay.cert')} value={cert} onChange={(e) => setCert(e.currentTarget.value)} />
          <TagsInput label={t('relay.senderIps')} value={ips} onChange={setIps} />
        </SimpleGrid>
      )}
      {which === 'ef' && (
        <TextInput
          label={t('relay.connector')}
          value={connector}
          onChange={(e) => setConnector(e.currentTarget.value)}
        />
      )}
    </GenForm>
  )
}
