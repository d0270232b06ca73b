import { Alert, Badge, Button, Group, Stack, Text, Timeline } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StoredFix } from '@shared/schemas/workflow'
import { fmtDate, useText } from '../../i18n'
import { saveBytes, SeverityBadge, SnippetView, Warnings } from '../workflow/ui'

export function FixResult({ result }: { result: { fix: StoredFix; privateKeyPem?: string } }) {
  const { t } = useTranslation('workflow')
  const [key, setKey] = useState(result.privateKeyPem)
  useEffect(() => setKey(result.privateKeyPem), [result])
  const tx = useText()
  const input = result.fix.input as { selector?: string; domain?: string }
  return (
    <Stack gap="xs" mt="md" data-testid="fix-result" data-kind={result.fix.kind}>
      <Text fw={600}>{tx(result.fix.output.titleText, result.fix.title)}</Text>
      {key && (
        <Alert color="orange" title={t('dkim.keyTitle')} data-testid="dkim-private-key">
          <Text size="sm" mb="xs">
            {t('dkim.keyHelp')}
          </Text>
          <Group>
            <Button
              size="xs"
              leftSection={<IconDownload size={14} />}
              onClick={() =>
                saveBytes(
                  `${input.selector ?? 'dkim'}.${input.domain ?? 'key'}.private`,
                  'application/x-pem-file',
                  key
                )
              }
              data-testid="dkim-save-key"
            >
              {t('dkim.save')}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => setKey(undefined)}>
              {t('dkim.forget')}
            </Button>
          </Group>
        </Alert>
      )}
      <StoredFixView fix={result.fix} />
    </Stack>
  )
}

/** The fix's warnings that no snippet shows already, in the reader's language when they are Texts. */
function FixWarnings({ output: o }: { output: StoredFix['output'] }) {
  const kept = o.warnings.flatMap((w, i) =>
    o.snippets.some((s) => s.warnings.includes(w)) ? [] : [{ w, t: o.warningTexts?.[i] }]
  )
  const texts = kept.map((k) => k.t)
  return (
    <Warnings items={kept.map((k) => k.w)} texts={texts.every((t) => t !== undefined) ? texts : undefined} />
  )
}

export function StoredFixView({ fix }: { fix: StoredFix }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const o = fix.output
  return (
    <Stack gap="xs">
      {o.lookups && (
        <Group gap="xs" data-testid="spf-lookups">
          <Badge variant="light">{t('spf.direct', { n: o.lookups.direct })}</Badge>
          <Badge variant="light">{t('spf.estimated', { n: o.lookups.estimated })}</Badge>
          {o.lookups.live !== undefined ? (
            <Badge variant="filled" color={o.lookups.live > 10 ? 'red' : 'teal'} data-testid="spf-live">
              {t('spf.liveCount', { n: o.lookups.live })}
            </Badge>
          ) : (
            <Badge color="gray">{t('spf.noLive')}</Badge>
          )}
        </Group>
      )}
      {o.stages && (
        <Timeline active={0} bulletSize={18} lineWidth={2} data-testid="dmarc-stages">
          {o.stages.map((s) => (
            <Timeline.Item
              key={s.name}
              title={`${tx(s.nameText, s.name)} — ${fmtDate(`${s.startDate}T00:00:00Z`).split(',')[0]}`}
            >
              <code style={{ fontSize: 12 }}>{s.record}</code>
              <Text size="xs" c="dimmed">
                {tx(s.explanationText, s.explanation)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {o.findings && (
        <Stack gap={4} data-testid="lint-findings">
          {o.findings.length === 0 && <Text size="sm">{t('content.clean')}</Text>}
          {o.findings.map((f) => (
            <Group key={f.id} gap={6} wrap="nowrap" align="flex-start">
              <SeverityBadge severity={f.severity} />
              <div>
                <Text size="sm" fw={600}>
                  {tx(f.titleText, f.title)}
                </Text>
                <Text size="xs" c="dimmed">
                  {tx(f.detailText, f.detail)}
                </Text>
                {f.fix && <Text size="xs">{tx(f.fixText, f.fix)}</Text>}
              </div>
            </Group>
          ))}
        </Stack>
      )}
      {o.snippets.map((s) => (
        <SnippetView key={s.id} snippet={s} />
      ))}
      <FixWarnings output={o} />
    </Stack>
  )
}
