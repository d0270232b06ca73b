import {
  Checkbox,
  MultiSelect,
  SegmentedControl,
  SimpleGrid,
  TagsInput,
  Text,
  TextInput
} from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps } from '../gen-form'

export function SpfForm({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [services, setServices] = useState<string[]>(prefill.services)
  const [ips, setIps] = useState<string[]>(prefill.ips)
  const [keep, setKeep] = useState<string[]>(prefill.keepMechanisms)
  const [all, setAll] = useState<'-all' | '~all'>('~all')
  const [live, setLive] = useState(true)
  return (
    <GenForm
      testId="gen-spf-run"
      onRun={() =>
        onGenerate({
          kind: 'spf',
          input: { domain: domain.trim() || undefined, services, ips, keepMechanisms: keep, all, live }
        })
      }
    >
      {prefill.currentSpf && (
        <Text size="xs" c="dimmed" data-testid="current-spf">
          {t('spf.current')}: <code>{prefill.currentSpf}</code>
        </Text>
      )}
      {prefill.fromReports &&
        (prefill.fromReports.services.length > 0 || prefill.fromReports.ips.length > 0) && (
          <Text size="xs" c="dimmed" data-testid="spf-from-reports">
            {t('dmarc:fromReports', {
              services: prefill.fromReports.services.join(', ') || '—',
              ips: prefill.fromReports.ips.join(', ') || '—'
            })}
          </Text>
        )}
      <SimpleGrid cols={2}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
          data-testid="spf-domain"
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('spf.all')}
          </Text>
          <SegmentedControl
            value={all}
            onChange={(v) => setAll(v as '-all' | '~all')}
            data={[
              { value: '~all', label: t('spf.softfail') },
              { value: '-all', label: t('spf.fail') }
            ]}
          />
        </div>
      </SimpleGrid>
      <MultiSelect
        label={t('spf.services')}
        description={t('spf.servicesHelp')}
        searchable
        data={prefill.catalogue.map((s) => ({
          value: s.id,
          label: `${s.name} (~${s.typicalLookups})${s.verified === 'vendor-docs' ? '' : ' *'}${s.accountSpecific ? ' †' : ''}`
        }))}
        value={services}
        onChange={setServices}
        data-testid="spf-services"
      />
      <TagsInput
        label={t('spf.ips')}
        description={t('spf.ipsHelp')}
        value={ips}
        onChange={setIps}
        data-testid="spf-ips"
      />
      <TagsInput
        label={t('spf.keep')}
        description={t('spf.keepHelp')}
        value={keep}
        onChange={setKeep}
        data-testid="spf-keep"
      />
      <Checkbox label={t('spf.live')} checked={live} onChange={(e) => setLive(e.currentTarget.checked)} />
    </GenForm>
  )
}
