import { ActionIcon, Badge, Grid, Group, NavLink, Paper, Stack, Text, Tooltip } from '@mantine/core'
import { IconMail, IconMailX, IconTrash, IconFileText, IconTerminal2 } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EvidenceSummary } from '@shared/schemas/case'
import { call } from '../../api/transport'
import { DropZone } from './drop-zone'
import { EvidenceView } from './evidence-view'

const KIND_ICON: Record<string, React.ReactNode> = {
  bounce: <IconMailX size={16} color="var(--mantine-color-red-6)" />,
  message: <IconMail size={16} />,
  headers: <IconFileText size={16} />,
  'smtp-text': <IconTerminal2 size={16} />
}

export function DiagnosePanel({ caseId, evidence, onChanged }: { caseId: number; evidence: EvidenceSummary[]; onChanged: () => void }) {
  const { t } = useTranslation()
  const [selected, setSelected] = useState<number | null>(evidence[0]?.id ?? null)
  useEffect(() => {
    if (selected === null || !evidence.some((e) => e.id === selected)) setSelected(evidence[0]?.id ?? null)
  }, [evidence, selected])

  return (
    <Stack gap="sm">
      <DropZone
        caseId={caseId}
        onAdded={(ids) => {
          onChanged()
          if (ids.length) setSelected(ids[0])
        }}
      />
      {evidence.length > 0 && (
        <Grid gutter="sm">
          <Grid.Col span={{ base: 12, lg: 3 }}>
            <Paper withBorder p={4} data-testid="evidence-list">
              <Text size="xs" c="dimmed" px="xs" py={4} fw={600} tt="uppercase">
                {t('evidence.title')}
              </Text>
              {evidence.map((e) => (
                <NavLink
                  key={e.id}
                  active={e.id === selected}
                  onClick={() => setSelected(e.id)}
                  leftSection={KIND_ICON[e.kind] ?? <IconMail size={16} />}
                  data-testid="evidence-item"
                  label={
                    <Text size="sm" lineClamp={1}>
                      {e.subject || e.name}
                    </Text>
                  }
                  description={
                    <Group gap={4} wrap="nowrap">
                      <Badge size="xs" variant="light" color={e.kind === 'bounce' ? 'red' : 'gray'}>
                        {t(`evidenceKind.${e.kind}`, { defaultValue: e.kind })}
                      </Badge>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {e.name}
                      </Text>
                    </Group>
                  }
                  rightSection={
                    <Tooltip label={t('evidence.remove')}>
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        color="red"
                        aria-label={t('evidence.remove')}
                        onClick={async (ev) => {
                          ev.stopPropagation()
                          if (window.confirm(t('evidence.confirmRemove', { name: e.name }))) {
                            await call('evidence.delete', { id: e.id })
                            onChanged()
                          }
                        }}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Tooltip>
                  }
                />
              ))}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 9 }}>{selected !== null && <EvidenceView key={selected} id={selected} />}</Grid.Col>
        </Grid>
      )}
    </Stack>
  )
}
