import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title
} from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Suppression } from '@shared/contract/hygiene'
import { fmtDate } from '../../i18n'
import { renderText } from './text'
import { exportList, releaseAddress, useSuppressions } from './use-hygiene'

const COLOR = { hard: 'red', soft: 'yellow', complaint: 'grape' } as const

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** The suppression list: search, filter by category and state, release with a note, export CSV/JSON. */
export function SuppressionTable({ onChange }: { onChange: () => void }) {
  const { t, i18n } = useTranslation('hygiene')
  const [query, setQuery] = useState('')
  const [category, setCategory] = useState<string | null>(null)
  const [state, setState] = useState<string | null>('suppressed')
  const [releasing, setReleasing] = useState<Suppression | null>(null)
  const [note, setNote] = useState('')
  const { data } = useSuppressions({
    ...(query.trim() ? { query: query.trim() } : {}),
    ...(category ? { category: category as Suppression['category'] } : {}),
    ...(state ? { state: state as Suppression['state'] } : {})
  })
  const rows = data?.rows ?? []
  return (
    <Card withBorder data-testid="hy-suppressions">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={5}>
            {t('table.title')} · {t('table.total', { count: data?.total ?? 0 })}
          </Title>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              data-testid="hy-export-csv"
              onClick={async () =>
                download('suppressions.csv', (await exportList('csv')).content ?? '', 'text/csv')
              }
            >
              {t('table.exportCsv')}
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={async () =>
                download('suppressions.json', (await exportList('json')).content ?? '', 'application/json')
              }
            >
              {t('table.exportJson')}
            </Button>
          </Group>
        </Group>
        <Group>
          <TextInput
            placeholder={t('table.search')}
            aria-label={t('table.search')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={320}
            data-testid="hy-search"
          />
          <Select
            aria-label={t('table.category')}
            placeholder={t('table.all')}
            clearable
            value={category}
            onChange={setCategory}
            data={(['hard', 'soft', 'complaint'] as const).map((c) => ({ value: c, label: t(`table.${c}`) }))}
            w={180}
          />
          <Select
            aria-label={t('table.state')}
            clearable
            value={state}
            onChange={setState}
            data={(['suppressed', 'released'] as const).map((c) => ({ value: c, label: t(`table.${c}`) }))}
            w={160}
          />
        </Group>
        {rows.length === 0 ? (
          <Text c="dimmed">{t('table.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('table.email')}</Table.Th>
                  <Table.Th>{t('table.category')}</Table.Th>
                  <Table.Th>{t('table.reason')}</Table.Th>
                  <Table.Th>{t('table.status')}</Table.Th>
                  <Table.Th>{t('table.lastSeen')}</Table.Th>
                  <Table.Th>{t('table.count')}</Table.Th>
                  <Table.Th>{t('table.why')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.email} data-testid="hy-row">
                    <Table.Td>{r.email}</Table.Td>
                    <Table.Td>
                      <Badge color={COLOR[r.category]} variant="light">
                        {t(`table.${r.category}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{r.reason}</Table.Td>
                    <Table.Td>{r.status}</Table.Td>
                    <Table.Td>{fmtDate(r.last_seen, i18n.language)}</Table.Td>
                    <Table.Td>{r.count}</Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {r.state === 'released'
                          ? `${t('table.released')}: ${r.releaseNote ?? ''}`
                          : renderText(t, r.explanation)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {r.state === 'suppressed' && (
                        <Button size="compact-xs" variant="subtle" onClick={() => setReleasing(r)}>
                          {t('table.release')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal opened={!!releasing} onClose={() => setReleasing(null)} title={releasing?.email}>
        <Stack>
          <Textarea
            label={t('table.releaseNote')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <Button
            disabled={!note.trim()}
            onClick={async () => {
              await releaseAddress(releasing!.email, note.trim())
              setReleasing(null)
              setNote('')
              onChange()
            }}
          >
            {t('table.confirmRelease')}
          </Button>
        </Stack>
      </Modal>
    </Card>
  )
}
