import { Group, Text, Tooltip } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { Parties, PartyValue } from '@shared/schemas/analysis'

/** One party's values joined ("relay.example 192.0.2.66"), each with its source in a tooltip. */
function Values({ values, testId }: { values: (PartyValue | null)[]; testId: string }) {
  const { t } = useTranslation('diagnose')
  const shown = values.filter((x): x is PartyValue => !!x)
  const seen = new Set<string>()
  const unique = shown.filter((x) => !seen.has(x.value) && seen.add(x.value))
  if (unique.length === 0)
    return (
      <Text span size="sm" c="dimmed" data-testid={testId}>
        {t('parties.unknown')}
      </Text>
    )
  return (
    <Text span size="sm" ff="monospace" data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
      {unique.map((x, i) => (
        <Tooltip key={x.value} label={t('parties.source', { source: x.source })}>
          <span>
            {i > 0 ? ' ' : ''}
            {x.value}
          </span>
        </Tooltip>
      ))}
    </Text>
  )
}

/**
 * Who is who: "You: relay.example 192.0.2.66 · Receiver: mx.partner.example 203.0.113.50". Fixes, sweeps and
 * letters only ever use the "You" side (core/diagnose/parties.ts).
 */
export function PartiesLine({ parties }: { parties: Parties }) {
  const { t } = useTranslation('diagnose')
  const s = parties.sender
  const r = parties.receiver
  return (
    <Group gap="xs" wrap="wrap" data-testid="verdict-parties">
      <Text span size="sm" fw={600}>
        {t('parties.you')}
      </Text>
      <Values values={[s.host ?? s.helo ?? s.domain, s.ip]} testId="parties-sender" />
      <Text span size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Text span size="sm" fw={600}>
        {t('parties.receiver')}
      </Text>
      <Values values={[r.host ?? r.domain, r.ip]} testId="parties-receiver" />
    </Group>
  )
}
