import {
  ActionIcon,
  Badge,
  Group,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  UnstyledButton
} from '@mantine/core'
import { IconMail, IconMailX, IconTrash, IconFileText, IconTerminal2 } from '@tabler/icons-react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EvidenceSummary } from '@shared/schemas/case'
import { call } from '../../api/transport'
import { DropZone } from './drop-zone'
import { EvidenceView } from './evidence-view'
import { TriagePanel } from './triage-panel'

const KIND_ICON: Record<string, React.ReactNode> = {
  bounce: <IconMailX size={16} color="var(--mantine-color-red-6)" />,
  message: <IconMail size={16} />,
  headers: <IconFileText size={16} />,
  'smtp-text': <IconTerminal2 size={16} />
}

/**
 * The case's evidence as a row of tabs above the selected evidence (the full width goes to the analysis; the
 * earlier side column squeezed tables and charts). A fresh drop selects its first item and re-verifies it once.
 */
export function DiagnosePanel({
  caseId,
  evidence,
  onChanged
}: {
  caseId: number
  evidence: EvidenceSummary[]
  onChanged: () => void
}) {
  const { t } = useTranslation()
  const [selected, setSelected] = useState<number | null>(evidence[0]?.id ?? null)
  const justDropped = useRef(new Set<number>())
  useEffect(() => {
    if (selected === null || !evidence.some((e) => e.id === selected)) setSelected(evidence[0]?.id ?? null)
  }, [evidence, selected])

  return (
    <Stack gap="sm">
      <DropZone
        caseId={caseId}
        onAdded={(ids) => {
          for (const id of ids) justDropped.current.add(id)
          onChanged()
          if (ids.length) setSelected(ids[0])
        }}
      />
      {evidence.length >= 2 && <TriagePanel caseId={caseId} onSelect={setSelected} />}
      {evidence.length > 0 && (
        <>
          <Paper withBorder p={4} data-testid="evidence-list">
            <Group gap={4} wrap="nowrap" align="center">
              <Text size="xs" c="dimmed" px="xs" fw={600} tt="uppercase" style={{ flexShrink: 0 }}>
                {t('evidence.title')}
              </Text>
              {evidence.length > TABS_WINDOW_THRESHOLD ? (
                <WindowedTabs
                  evidence={evidence}
                  selected={selected}
                  onSelect={setSelected}
                  onChanged={onChanged}
                />
              ) : (
                <ScrollArea type="auto" offsetScrollbars scrollbarSize={6} style={{ flex: 1 }}>
                  <Group gap={4} wrap="nowrap" role="group" aria-label={t('diagnose:evidenceTabs')}>
                    {evidence.map((e) => (
                      <EvidenceTab
                        key={e.id}
                        e={e}
                        active={e.id === selected}
                        onSelect={setSelected}
                        onChanged={onChanged}
                      />
                    ))}
                  </Group>
                </ScrollArea>
              )}
            </Group>
          </Paper>
          {selected !== null && (
            <EvidenceView key={selected} id={selected} autoReverify={justDropped.current.has(selected)} />
          )}
        </>
      )}
    </Stack>
  )
}

/** Up to this many evidence tabs are drawn whole; an mbox of thousands of messages gets a windowed row. */
const TABS_WINDOW_THRESHOLD = 50

/** The tab row, windowed horizontally: only the tabs in view (and a few beyond) are in the DOM. */
function WindowedTabs({
  evidence,
  selected,
  onSelect,
  onChanged
}: {
  evidence: EvidenceSummary[]
  selected: number | null
  onSelect: (id: number) => void
  onChanged: () => void
}) {
  const { t } = useTranslation()
  const scrollRef = useRef<HTMLDivElement>(null)
  const v = useVirtualizer({
    horizontal: true,
    count: evidence.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 240,
    gap: 4,
    overscan: 4
  })
  return (
    <div
      ref={scrollRef}
      style={{ flex: 1, overflowX: 'auto', overflowY: 'hidden', paddingBottom: 6 }}
      data-testid="evidence-tabs-scroll"
    >
      <div
        role="group"
        aria-label={t('diagnose:evidenceTabs')}
        style={{ position: 'relative', width: v.getTotalSize(), height: 52 }}
      >
        {v.getVirtualItems().map((vi) => {
          const e = evidence[vi.index]
          return (
            <div
              key={e.id}
              style={{ position: 'absolute', top: 0, left: 0, transform: `translateX(${vi.start}px)` }}
            >
              <EvidenceTab
                e={e}
                active={e.id === selected}
                onSelect={onSelect}
                onChanged={onChanged}
                measureRef={v.measureElement}
                index={vi.index}
              />
            </div>
          )
        })}
      </div>
    </div>
  )
}

/** A tab shows the start of a subject: a hostile 1 MB subject must not be laid out just to be clamped away. */
const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s)

function EvidenceTab({
  e,
  active,
  onSelect,
  onChanged,
  measureRef,
  index
}: {
  e: EvidenceSummary
  active: boolean
  onSelect: (id: number) => void
  onChanged: () => void
  measureRef?: (el: Element | null) => void
  index?: number
}) {
  const { t } = useTranslation()
  return (
    <Paper
      ref={measureRef}
      data-index={index}
      withBorder
      px={8}
      py={4}
      data-testid="evidence-item"
      data-active={active || undefined}
      style={{
        flexShrink: 0,
        maxWidth: 320,
        background: active ? 'var(--mantine-primary-color-light)' : undefined,
        borderColor: active ? 'var(--mantine-primary-color-filled)' : undefined
      }}
    >
      <Group gap={6} wrap="nowrap">
        <UnstyledButton
          // A toggle per evidence, not ARIA tabs: each also carries its own remove button, which a tablist may not own.
          aria-pressed={active}
          data-testid="evidence-select"
          onClick={() => onSelect(e.id)}
          style={{ minWidth: 0 }}
        >
          <Group gap={6} wrap="nowrap">
            {KIND_ICON[e.kind] ?? <IconMail size={16} />}
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text size="sm" lineClamp={1} fw={active ? 600 : 400}>
                {clip(e.subject || e.name)}
              </Text>
              <Group gap={4} wrap="nowrap">
                <Badge size="xs" variant="light" color={e.kind === 'bounce' ? 'red' : 'gray'}>
                  {t(`evidenceKind.${e.kind}`, { defaultValue: e.kind })}
                </Badge>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {clip(e.name)}
                </Text>
              </Group>
            </Stack>
          </Group>
        </UnstyledButton>
        <Tooltip label={t('evidence.remove')}>
          <ActionIcon
            size="sm"
            variant="subtle"
            color="red"
            aria-label={t('evidence.remove')}
            onClick={async () => {
              if (window.confirm(t('evidence.confirmRemove', { name: e.name }))) {
                await call('evidence.delete', { id: e.id })
                onChanged()
              }
            }}
          >
            <IconTrash size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Paper>
  )
}
