import { Anchor, Badge, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core'
import { IconExternalLink, IconSearch } from '@tabler/icons-react'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CatalogueView } from '@shared/contract/blocklist'
import type { BlocklistEntry } from '@shared/schemas/blocklist'
import { fmtNumber } from '../../i18n'

type Filter = 'all' | 'active' | 'defunct' | 'provider'

function matches(l: BlocklistEntry, q: string): boolean {
  if (!q) return true
  const hay = [l.id, l.name, l.zone ?? '', l.notes ?? '', l.weight.note, ...Object.values(l.returnCodes)]
    .join(' ')
    .toLowerCase()
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((w) => hay.includes(w))
}

/** Every list the app knows: what a listing means, how much it weighs, how to get off it; defunct lists marked. */
export function CatalogueBrowser({ catalogue }: { catalogue: CatalogueView }) {
  const { t } = useTranslation('blocklist')
  const [query, setQuery] = useState('')
  const [filter, setFilter] = useState<Filter>('all')
  const rows = useMemo(
    () =>
      catalogue.lists.filter(
        (l) =>
          matches(l, query.trim()) &&
          (filter === 'all' ||
            (filter === 'defunct' && l.defunct) ||
            (filter === 'provider' && l.kind === 'provider') ||
            (filter === 'active' && !l.defunct && l.kind !== 'provider'))
      ),
    [catalogue, query, filter]
  )
  const c = catalogue.counts
  return (
    <Stack gap="sm" data-testid="bl-catalogue">
      <Text size="sm" c="dimmed">
        {t('catalogue.counts', {
          active: fmtNumber(c.active),
          defunct: fmtNumber(c.defunct),
          provider: fmtNumber(c.provider),
          updated: catalogue.updated
        })}
      </Text>
      <Group gap="sm">
        <TextInput
          placeholder={t('catalogue.search')}
          aria-label={t('catalogue.search')}
          leftSection={<IconSearch size={14} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={320}
          data-testid="bl-catalogue-search"
        />
        <SegmentedControl
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={(['all', 'active', 'defunct', 'provider'] as const).map((f) => ({
            value: f,
            label: t(`catalogue.filter.${f}`)
          }))}
        />
      </Group>
      <Table verticalSpacing={6} striped highlightOnHover fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('catalogue.list')}</Table.Th>
            <Table.Th>{t('catalogue.meaning')}</Table.Th>
            <Table.Th>{t('catalogue.weight')}</Table.Th>
            <Table.Th>{t('catalogue.removal')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((l) => (
            <Table.Tr key={l.id} data-testid="bl-catalogue-row" opacity={l.defunct ? 0.75 : 1}>
              <Table.Td valign="top" w={260}>
                <Text fw={600} size="sm">
                  {l.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {l.zone ?? t('catalogue.noZone')}
                </Text>
                <Group gap={4} mt={4}>
                  {l.type.map((ty) => (
                    <Badge key={ty} size="xs" variant="outline">
                      {t(`type.${ty}`)}
                    </Badge>
                  ))}
                  <Badge
                    size="xs"
                    variant="light"
                    color={l.kind === 'allow' ? 'teal' : l.kind === 'provider' ? 'violet' : 'gray'}
                  >
                    {t(`kind.${l.kind}`)}
                  </Badge>
                  {l.requiresKey && (
                    <Badge size="xs" color="orange">
                      {t('catalogue.needsKey')}
                    </Badge>
                  )}
                  {l.defunct && (
                    <Badge size="xs" color="dark" data-testid="bl-defunct">
                      {t('catalogue.defunct')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td valign="top">
                {l.defunct && (
                  <Text size="xs" fw={500}>
                    {t('catalogue.defunctHelp', { since: l.defunctSince ?? '?' })}
                  </Text>
                )}
                {Object.entries(l.returnCodes)
                  .slice(0, 6)
                  .map(([code, meaning]) => (
                    <Text size="xs" key={code}>
                      <code>{code}</code> {meaning}
                    </Text>
                  ))}
                {Object.keys(l.returnCodes).length > 6 && (
                  <Text size="xs" c="dimmed">
                    {t('catalogue.moreCodes', { count: Object.keys(l.returnCodes).length - 6 })}
                  </Text>
                )}
                {l.notes && (
                  <Text size="xs" c="dimmed" mt={2}>
                    {l.notes}
                  </Text>
                )}
              </Table.Td>
              <Table.Td valign="top" w={200}>
                <Badge
                  size="sm"
                  color={l.weight.level === 'high' ? 'red' : l.weight.level === 'medium' ? 'orange' : 'gray'}
                >
                  {t(`weight.${l.weight.level}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {l.weight.note}
                </Text>
              </Table.Td>
              <Table.Td valign="top" w={260}>
                <Text size="xs">{t(`removal.${l.removal.method}`)}</Text>
                {l.removal.expiry && (
                  <Text size="xs" c="dimmed">
                    {l.removal.expiry}
                  </Text>
                )}
                <Group gap={8}>
                  {l.removal.url && (
                    <Anchor href={l.removal.url} target="_blank" rel="noreferrer" size="xs">
                      {t('result.removalPage')} <IconExternalLink size={11} />
                    </Anchor>
                  )}
                  <Anchor href={l.docs} target="_blank" rel="noreferrer" size="xs">
                    {t('catalogue.docs')} <IconExternalLink size={11} />
                  </Anchor>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('catalogue.none')}
        </Text>
      )}
    </Stack>
  )
}
