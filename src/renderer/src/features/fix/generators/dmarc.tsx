import { Checkbox, Group, SegmentedControl, SimpleGrid, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GenForm, type GeneratorProps, today } from '../gen-form'

export function DmarcForm({ prefill, onGenerate }: GeneratorProps) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [rua, setRua] = useState(prefill.domain ? `dmarc-reports@${prefill.domain}` : '')
  const [start, setStart] = useState(today())
  const [adkim, setAdkim] = useState<'r' | 's'>('r')
  const [aspf, setAspf] = useState<'r' | 's'>('r')
  const [staged, setStaged] = useState(prefill.stagedPct ?? false)
  return (
    <GenForm
      testId="gen-dmarc-run"
      onRun={() =>
        onGenerate({
          kind: 'dmarc',
          input: {
            domain: domain.trim(),
            ruaAddress: rua.trim(),
            startDate: start,
            adkim,
            aspf,
            stagedPct: staged,
            currentRecord: prefill.currentDmarc ?? undefined
          }
        })
      }
    >
      {prefill.currentDmarc && (
        <Text size="xs" c="dimmed">
          {t('dmarc.current')}: <code>{prefill.currentDmarc}</code>
        </Text>
      )}
      <SimpleGrid cols={3}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
          data-testid="dmarc-domain"
        />
        <TextInput
          label={t('dmarc.rua')}
          description={t('dmarc.ruaHelp')}
          value={rua}
          onChange={(e) => setRua(e.currentTarget.value)}
          data-testid="dmarc-rua"
        />
        <TextInput
          type="date"
          label={t('dmarc.start')}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          data-testid="dmarc-start"
        />
      </SimpleGrid>
      <Group>
        <div>
          <Text size="sm" fw={500}>
            {t('dmarc.adkim')}
          </Text>
          <SegmentedControl
            size="xs"
            value={adkim}
            onChange={(v) => setAdkim(v as 'r' | 's')}
            data={[
              { value: 'r', label: t('dmarc.relaxed') },
              { value: 's', label: t('dmarc.strict') }
            ]}
          />
        </div>
        <div>
          <Text size="sm" fw={500}>
            {t('dmarc.aspf')}
          </Text>
          <SegmentedControl
            size="xs"
            value={aspf}
            onChange={(v) => setAspf(v as 'r' | 's')}
            data={[
              { value: 'r', label: t('dmarc.relaxed') },
              { value: 's', label: t('dmarc.strict') }
            ]}
          />
        </div>
        <Checkbox
          mt="lg"
          label={t('dmarc.staged')}
          checked={staged}
          onChange={(e) => setStaged(e.currentTarget.checked)}
        />
      </Group>
    </GenForm>
  )
}
