import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Progress,
  Stack,
  Text,
  Title,
  Tooltip
} from '@mantine/core'
import { IconExternalLink, IconGavel } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { Analysis } from '@shared/schemas/analysis'
import type { EvidenceSpan } from '@shared/schemas/common'
import type { Verdict } from '@shared/schemas/verdict'
import { fmtNumber, useText } from '../../i18n'
import { CAUSE_COLOR } from './cause-colors'
import { REMEDY_STEP, useOpenStep } from './open-step'
import { PartiesLine } from './parties-line'
import { QuotedText } from './quoted-text'

/** Quotes drawn under the verdict: a DSN can quote one diagnostic per recipient, thousands of them. */
export const QUOTES_SHOWN = 20

/** A readable name for a quote's source: "diagnostic:bob@x" → "bob@x", "original:Authentication-Results#3" → header. */
function sourceLabel(source: string): string {
  const label = source
    .replace(/^diagnostic:/, '')
    .replace(/^original:/, '↩ ')
    .replace(/#\d+$/, '')
  // A label names a recipient or a header: a hostile one is cut rather than laid out whole.
  return label.length > 200 ? `${label.slice(0, 200)}…` : label
}

/** "Why was this rejected?" — the cause, its paragraph, how sure we are, what to do, and the text that says so. */
export function VerdictCard({ analysis: a }: { analysis: Analysis }) {
  const { t } = useTranslation('diagnose')
  const openStep = useOpenStep()
  const tx = useText()
  const v: Verdict | undefined = a.verdict
  if (!v) {
    return (
      <Paper withBorder p="sm" data-testid="verdict-card" data-cause="none">
        <Group gap="xs">
          <IconGavel size={18} />
          <Title order={5}>{t('verdict.title')}</Title>
        </Group>
        <Text size="sm" c="dimmed" mt={4}>
          {t('verdict.none')}
        </Text>
      </Paper>
    )
  }
  const spans: EvidenceSpan[] = [...v.evidence, ...v.secondary.flatMap((s) => s.evidence)]
  const spanSources = new Set(spans.map((s) => s.source))
  const quotes = v.quotes.filter((q) => spanSources.has(q.source) || q.source.startsWith('diagnostic:'))
  const color = CAUSE_COLOR[v.cause] ?? 'gray'
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="verdict-card"
      data-cause={v.cause}
      style={{ borderLeft: `4px solid var(--mantine-color-${color}-6)` }}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ flex: 1 }}>
          <Group gap="xs">
            <IconGavel size={18} />
            <Title order={5}>{t('verdict.title')}</Title>
            <Badge color={color} size="lg" data-testid="verdict-cause">
              {t(`cause.${v.cause}`)}
            </Badge>
            {v.reason && (
              <Badge variant="outline" color="gray" tt="none">
                {t('verdict.reason', { reason: v.reason })}
              </Badge>
            )}
            {v.ip && (
              <Badge variant="outline" color="gray" ff="monospace" tt="none">
                {t('verdict.ip', { ip: v.ip })}
              </Badge>
            )}
          </Group>
          <Text fw={600} data-testid="verdict-title">
            {tx(v.titleText, v.title)}
          </Text>
          {a.parties && <PartiesLine parties={a.parties} />}
        </Stack>
        <Stack gap={2} w={160}>
          <Text size="xs" c="dimmed" ta="right">
            {t('verdict.confidence', { value: fmtNumber(v.confidence, undefined, { style: 'percent' }) })}
          </Text>
          <Progress
            value={v.confidence * 100}
            color={color}
            aria-label={t('verdict.confidence', { value: v.confidence })}
            data-testid="verdict-confidence"
          />
        </Stack>
      </Group>
      <Text size="sm" mt="xs" data-testid="verdict-summary">
        {tx(v.summaryText, v.summary)}
      </Text>

      {v.nextSteps.length > 0 && (
        <Group gap="xs" mt="sm" data-testid="verdict-next-steps">
          {v.nextSteps.map((s, i) => {
            const step = REMEDY_STEP[s.remedy]
            if (s.url)
              return (
                <Tooltip key={i} label={tx(s.text, s.label)} multiline w={320}>
                  <Button
                    component="a"
                    href={s.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    size="xs"
                    variant={i === 0 ? 'filled' : 'light'}
                    color={color}
                    rightSection={<IconExternalLink size={12} />}
                    data-testid={s.remedy === 'delist' ? 'verdict-delist' : `next-${s.remedy}`}
                  >
                    {s.remedy === 'delist' ? t('verdict.delist') : t(`remedy.${s.remedy}`)}
                  </Button>
                </Tooltip>
              )
            return (
              <Tooltip key={i} label={tx(s.text, s.label)} multiline w={320}>
                <Button
                  size="xs"
                  variant={i === 0 ? 'filled' : 'light'}
                  color={step ? color : 'gray'}
                  onClick={step ? () => openStep(step) : undefined}
                  data-testid={`next-${s.remedy}`}
                  style={step ? undefined : { cursor: 'help' }}
                >
                  {t(`remedy.${s.remedy}`)}
                </Button>
              </Tooltip>
            )
          })}
        </Group>
      )}

      {quotes.length > 0 && (
        <Stack gap={4} mt="sm">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {t('verdict.evidence')}
          </Text>
          {quotes.slice(0, QUOTES_SHOWN).map((q) => (
            <div key={q.source} data-testid="verdict-quote" data-source={q.source}>
              <Text size="xs" c="dimmed">
                {sourceLabel(q.source)}
              </Text>
              <QuotedText text={q.text} spans={spans.filter((s) => s.source === q.source)} />
            </div>
          ))}
          {quotes.length > QUOTES_SHOWN && (
            <Text size="xs" c="dimmed" data-testid="verdict-quotes-capped">
              {t('verdict.quotesCapped', { shown: fmtNumber(QUOTES_SHOWN), total: fmtNumber(quotes.length) })}
            </Text>
          )}
        </Stack>
      )}

      {v.listedOn.length > 0 && (
        <Group gap="xs" mt="sm">
          <Text size="xs" c="dimmed">
            {t('verdict.listedOn')}:
          </Text>
          {v.listedOn.map((l) => (
            <Badge
              key={l.list + (l.target ?? '')}
              color="red"
              variant="light"
              tt="none"
              data-testid="verdict-listed"
            >
              {l.name}
              {l.target ? ` · ${l.target}` : ''}
            </Badge>
          ))}
        </Group>
      )}

      {v.secondary.length > 0 && (
        <Stack gap={2} mt="sm" data-testid="verdict-secondary">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {t('verdict.secondary')}
          </Text>
          <List size="sm" spacing={2}>
            {v.secondary.map((s) => (
              <List.Item key={s.cause}>
                <Badge size="xs" color={CAUSE_COLOR[s.cause]} variant="light" mr={6}>
                  {t(`cause.${s.cause}`)} · {fmtNumber(s.confidence, undefined, { style: 'percent' })}
                </Badge>
                {tx(s.titleText, s.title)}
              </List.Item>
            ))}
          </List>
        </Stack>
      )}

      {v.urls.length > 0 && (
        <Group gap="sm" mt="sm">
          <Text size="xs" c="dimmed">
            {t('verdict.links')}:
          </Text>
          {v.urls.map((u) => (
            <Anchor key={u.url} href={u.url} target="_blank" rel="noopener noreferrer" size="xs">
              {u.label}
            </Anchor>
          ))}
        </Group>
      )}
    </Paper>
  )
}
