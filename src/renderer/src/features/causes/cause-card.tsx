import { Badge, Box, Button, Code, Collapse, Group, Modal, Paper, Stack, Text, Textarea } from '@mantine/core'
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react'
import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseCause, CaseFinding } from '@shared/schemas/workflow'
import { call } from '../../api/transport'
import { fmtDate, useText } from '../../i18n'
import { CopyIcon, SeverityBadge } from '../workflow/ui'

export const STATUS_COLOR = { open: 'red', resolved: 'teal', accepted: 'gray' } as const

/**
 * One root cause: its title with severity and status, and an expander with every finding that is evidence of it
 * (from every message and check), each with its quoted evidence verbatim. Accepting acts on the whole cause.
 */
export function CauseCard({
  caseId,
  cause: c,
  showStep,
  actions,
  onChanged
}: {
  caseId: number
  cause: CaseCause
  /** Show which step deals with it (the Diagnose overview lists the causes of every step). */
  showStep?: boolean
  /** Step-specific buttons (open a generator, open the Delist step). */
  actions?: ReactNode
  onChanged: () => void
}) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const [expanded, setExpanded] = useState(false)
  const [accepting, setAccepting] = useState(false)
  const panelId = useId()
  const lead = c.findings.find((f) => f.id === c.lead) ?? c.findings[0]
  const title = tx(c.titleText, c.title)
  return (
    <Paper
      withBorder
      p="xs"
      data-testid="cause-card"
      data-cause={c.id}
      data-status={c.status}
      data-step={c.step}
      data-kind={c.kind}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start" justify="space-between">
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <SeverityBadge severity={c.severity} />
            {c.status !== 'open' && (
              <Badge size="xs" color={STATUS_COLOR[c.status]} data-testid="cause-status">
                {t(`status.${c.status}`)}
              </Badge>
            )}
            {showStep && (
              <Badge size="xs" variant="outline" color="gray" data-testid="cause-step">
                {t(`step.${c.step}`)}
              </Badge>
            )}
            <Text size="sm" fw={600} data-testid="cause-title" style={{ overflowWrap: 'anywhere' }}>
              {title}
            </Text>
          </Group>
          {lead && (lead.detailText || lead.detail) && (
            <Text size="xs" c="dimmed" lineClamp={3}>
              {tx(lead.detailText, lead.detail)}
            </Text>
          )}
          {c.status === 'accepted' && c.note && (
            <Text size="xs" fs="italic" data-testid="cause-note">
              {t('fix.acceptedNote', { note: c.note })}
            </Text>
          )}
          <Box>
            <Button
              size="compact-xs"
              variant="subtle"
              px={4}
              leftSection={expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
              onClick={() => setExpanded((x) => !x)}
              aria-expanded={expanded}
              aria-controls={panelId}
              data-testid="cause-expand"
            >
              {expanded ? t('causes.hideEvidence') : t('causes.showEvidence', { count: c.findings.length })}
            </Button>
          </Box>
        </Stack>
        <Stack gap={4} style={{ flexShrink: 0 }}>
          {actions}
          {c.actionable &&
            (c.status === 'open' ? (
              <Button
                size="compact-xs"
                variant="default"
                onClick={() => setAccepting(true)}
                data-testid="accept-cause"
              >
                {t('fix.accept')}
              </Button>
            ) : (
              <Button
                size="compact-xs"
                variant="subtle"
                data-testid="reopen-cause"
                onClick={async () => {
                  await call('findings.reopen', { caseId, findingId: c.lead })
                  onChanged()
                }}
              >
                {t('fix.reopen')}
              </Button>
            ))}
        </Stack>
      </Group>
      <Collapse in={expanded} id={panelId}>
        {expanded && (
          <Stack gap={6} mt="xs" data-testid="cause-findings">
            {c.findings.map((f) => (
              <MemberFinding key={f.id} finding={f} />
            ))}
          </Stack>
        )}
      </Collapse>
      {accepting && (
        <AcceptModal
          caseId={caseId}
          cause={c}
          title={title}
          onClose={() => setAccepting(false)}
          onDone={onChanged}
        />
      )}
    </Paper>
  )
}

/** One member finding: what it says, where it was seen, and the quoted evidence exactly as it was read. */
export function MemberFinding({ finding: f }: { finding: CaseFinding }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  return (
    <Paper
      withBorder
      p={6}
      bg="var(--mantine-color-default-hover)"
      data-testid="cause-finding"
      data-finding={f.id}
    >
      <Group gap={6} wrap="wrap">
        <SeverityBadge severity={f.severity} />
        {f.status !== 'open' && (
          <Badge size="xs" variant="light" color={STATUS_COLOR[f.status]}>
            {t(`status.${f.status}`)}
          </Badge>
        )}
        <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {tx(f.titleText, f.title)}
        </Text>
      </Group>
      {(f.detailText || f.detail) && (
        <Text size="xs" mt={2}>
          {tx(f.detailText, f.detail)}
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={2}>
        {t('causes.seenIn', { source: f.source })} · {t('causes.firstSeen', { date: fmtDate(f.firstSeen) })}
      </Text>
      {f.evidence.map((e, i) => (
        // Quoted evidence stays verbatim: the text the receiver or the DNS gave, never translated.
        <Box key={i} mt={4} data-testid="cause-evidence">
          <Text size="xs" c="dimmed" component="span">
            {e.source}:{' '}
          </Text>
          <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{e.text}</Code>
        </Box>
      ))}
      {f.current && (
        <Text size="xs" mt={4}>
          {t('fix.current')}: <Code style={{ wordBreak: 'break-all' }}>{f.current}</Code>
        </Text>
      )}
      {f.fix && (
        <Text size="xs" mt={4}>
          <b>{t('fix.remedy')}:</b> {tx(f.fixText, f.fix)}
        </Text>
      )}
      {f.fixRecord && (
        <Group gap={4} wrap="nowrap" mt={2}>
          <Code style={{ wordBreak: 'break-all' }}>{f.fixRecord}</Code>
          <CopyIcon value={f.fixRecord} />
        </Group>
      )}
    </Paper>
  )
}

function AcceptModal({
  caseId,
  cause,
  title,
  onClose,
  onDone
}: {
  caseId: number
  cause: CaseCause
  title: string
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useTranslation('workflow')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <Modal opened onClose={onClose} title={t('causes.acceptTitle')}>
      <Text size="sm" mb="xs">
        {title}
      </Text>
      <Textarea
        label={t('fix.acceptNote')}
        description={t('causes.acceptHelp')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={2}
        data-testid="accept-note"
        error={error}
      />
      <Group justify="flex-end" mt="sm">
        <Button variant="default" onClick={onClose}>
          {t('cancel')}
        </Button>
        <Button
          data-testid="accept-confirm"
          onClick={async () => {
            if (!note.trim()) return setError(t('fix.noteRequired'))
            try {
              // Any member accepts the whole cause (the backend's contract); the lead names it.
              await call('findings.accept', { caseId, findingId: cause.lead, note: note.trim() })
              onClose()
              onDone()
            } catch (e) {
              setError((e as Error).message)
            }
          }}
        >
          {t('fix.accept')}
        </Button>
      </Group>
    </Modal>
  )
}
