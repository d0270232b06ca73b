import {
  Badge,
  Box,
  Button,
  Group,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
  Alert
} from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconPlus, IconSearch } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../api/transport'
import { useApi } from '../../api/query'
import { fmtDate } from '../../i18n'
import { CaseWorkspace } from './case-workspace'

export function CasesView({ caseId, go }: { caseId?: number; go: (p: string) => void }) {
  const { t } = useTranslation()
  const [query, setQuery] = useState('')
  const [debounced] = useDebouncedValue(query, 200)
  // Refreshed by the backend's case:changed events (api/query.ts useBackendInvalidation).
  const list = useApi('cases.list', { query: debounced || undefined })
  const [creating, setCreating] = useState(false)

  async function newCase() {
    setCreating(true)
    try {
      const c = await call('cases.create', {
        title: t('cases.untitled', { date: new Date().toLocaleString() }),
        autoTitle: true
      })
      void list.refetch()
      go(`cases/${c.id}`)
    } finally {
      setCreating(false)
    }
  }

  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      {/* Narrower on small screens (1024×768) so the case workspace keeps room for its title and steps. */}
      <Box w={{ base: 220, lg: 290 }} style={{ flexShrink: 0 }}>
        <Stack gap="xs">
          {/* One above the other: side by side, "Nouveau dossier" and the search box did not both fit at 1024 px. */}
          <Button
            leftSection={<IconPlus size={14} />}
            onClick={newCase}
            loading={creating}
            data-testid="new-case"
            fullWidth
          >
            {t('cases.new')}
          </Button>
          <TextInput
            placeholder={t('cases.search')}
            leftSection={<IconSearch size={14} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-testid="case-search"
            aria-label={t('cases.search')}
          />
          {list.error && <Alert color="red">{list.error.message}</Alert>}
          <ScrollArea h="calc(100vh - 184px)">
            <Stack gap={4} data-testid="case-list">
              {list.data?.length === 0 && (
                <Text c="dimmed" size="sm" p="sm">
                  {debounced ? t('cases.noMatch') : t('cases.empty')}
                </Text>
              )}
              {list.data?.map((c) => (
                <UnstyledButton key={c.id} onClick={() => go(`cases/${c.id}`)} data-testid="case-item">
                  <Paper
                    withBorder
                    p="xs"
                    bg={c.id === caseId ? 'var(--mantine-color-blue-light)' : undefined}
                  >
                    <Group justify="space-between" wrap="nowrap">
                      <Text fw={500} size="sm" lineClamp={1}>
                        {c.title}
                      </Text>
                      <Badge
                        size="xs"
                        variant="light"
                        style={{ flexShrink: 0 }}
                        color={c.status === 'open' ? 'blue' : c.status === 'resolved' ? 'green' : 'gray'}
                      >
                        {t(`caseStatus.${c.status}`)}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('cases.evidenceCount', { count: c.evidenceCount })} · {fmtDate(c.updatedAt)}
                    </Text>
                    {c.match && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {c.match}
                      </Text>
                    )}
                  </Paper>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea>
        </Stack>
      </Box>
      <Box style={{ flex: 1, minWidth: 0 }}>
        {caseId ? (
          <CaseWorkspace
            key={caseId}
            caseId={caseId}
            onChanged={() => void list.refetch()}
            onDeleted={() => (void list.refetch(), go('cases'))}
          />
        ) : (
          <Paper withBorder p="xl">
            <Stack align="center" gap="sm">
              <Text fw={600}>{t('cases.pickTitle')}</Text>
              <Text c="dimmed" size="sm" ta="center" maw={520}>
                {t('cases.pickHelp')}
              </Text>
              <Button onClick={newCase} loading={creating} leftSection={<IconPlus size={14} />}>
                {t('cases.new')}
              </Button>
            </Stack>
          </Paper>
        )}
      </Box>
    </Group>
  )
}
