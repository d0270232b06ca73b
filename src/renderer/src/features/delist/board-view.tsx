import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  Title
} from '@mantine/core'
import { IconListCheck, IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DelistRequestView } from '@shared/contract/blocklist'
import { call } from '../../api/transport'
import { useApi } from '../../api/query'
import { fmtDate, fmtNumber } from '../../i18n'
import { age, RequestActions, STATUS_COLOR, STATUS_ORDER, StaleBadge } from './delist-ui'

function Card({
  r,
  go,
  onDone,
  onError
}: {
  r: DelistRequestView
  go: (p: string) => void
  onDone: () => void
  onError: (m: string) => void
}) {
  const { t } = useTranslation('blocklist')
  return (
    <Paper withBorder p="xs" data-testid="board-card" data-request={r.id}>
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Text fw={600} size="sm">
          {r.target}
        </Text>
        <StaleBadge r={r} testId="board-stale" />
      </Group>
      <Text size="xs">{r.listName}</Text>
      <Anchor size="xs" onClick={() => go(`cases/${r.caseId}`)} data-testid="board-case-link">
        {r.caseTitle}
      </Anchor>
      <Text size="xs" c="dimmed">
        {t('board.age', { age: age(r.createdAt) })}
        {r.requestedAt ? ` · ${t('board.requested', { age: age(r.requestedAt) })}` : ''}
      </Text>
      {!r.manual && (
        <Text size="xs" c="dimmed">
          {t('board.lastCheck', { date: fmtDate(r.lastCheckedAt) })} ·{' '}
          {t('board.streak', { n: r.cleanStreak })}
        </Text>
      )}
      <Group gap={4} mt={4} justify="flex-end">
        <RequestActions request={r} onDone={onDone} onError={onError} />
      </Group>
    </Paper>
  )
}

/** The delisting board across cases, grouped by status. */
export function BoardView({ go }: { go: (path: string) => void }) {
  const { t } = useTranslation('blocklist')
  // Refreshed by the backend's case:changed events (api/query.ts useBackendInvalidation).
  const list = useApi('delist.list', {})
  const [error, setError] = useState<string | null>(null)
  const [checking, setChecking] = useState(false)

  async function checkAll() {
    setChecking(true)
    setError(null)
    try {
      await call('delist.checkNow', {})
      void list.refetch()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setChecking(false)
    }
  }

  const all = list.data ?? []
  return (
    <Stack gap="sm" data-testid="board">
      <Paper withBorder p="md">
        <Group justify="space-between">
          <Group gap="xs">
            <IconListCheck size={22} />
            <Title order={3}>{t('board.title')}</Title>
          </Group>
          <Button
            leftSection={<IconRefresh size={14} />}
            onClick={checkAll}
            loading={checking}
            disabled={!all.some((r) => !r.manual)}
            data-testid="board-check-all"
          >
            {t('board.checkAll')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {t('board.intro')}
        </Text>
      </Paper>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {!list.data && !list.error && <Loader />}
      {list.data && all.length === 0 && (
        <Paper withBorder p="xl">
          <Text c="dimmed" ta="center">
            {t('board.empty')}
          </Text>
        </Paper>
      )}
      {all.length > 0 && (
        <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} spacing="xs">
          {STATUS_ORDER.map((s) => {
            const items = all.filter((r) => r.status === s)
            return (
              <Paper key={s} withBorder p="xs" bg="var(--mantine-color-body)" data-testid={`board-col-${s}`}>
                <Group justify="space-between" mb={6}>
                  <Text fw={600} size="sm" c={STATUS_COLOR[s]}>
                    {t(`delistStatus.${s}`)}
                  </Text>
                  <Badge size="sm" color={STATUS_COLOR[s]} variant="light">
                    {fmtNumber(items.length)}
                  </Badge>
                </Group>
                <ScrollArea.Autosize mah="calc(100vh - 260px)">
                  <Stack gap={6}>
                    {items.map((r) => (
                      <Card key={r.id} r={r} go={go} onDone={() => void list.refetch()} onError={setError} />
                    ))}
                  </Stack>
                </ScrollArea.Autosize>
              </Paper>
            )
          })}
        </SimpleGrid>
      )}
    </Stack>
  )
}
