import { Code, Paper, Table, Text, TextInput, Title, Group, Mark } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useDeferredValue, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HeaderField } from '@shared/schemas/analysis'
import { LongText, WRAP_ANYWHERE } from '../../components/long-text'
import { VirtualTable } from '../../components/virtual-table'
import { fmtNumber } from '../../i18n'

/** Highlights every occurrence of `q` in `text` (React escapes the text; no HTML is built from message data). */
export function Highlight({ text, q }: { text: string; q: string }) {
  if (!q) return <>{text}</>
  const parts: React.ReactNode[] = []
  const lower = text.toLowerCase()
  const needle = q.toLowerCase()
  let i = 0
  let k = 0
  for (;;) {
    const j = lower.indexOf(needle, i)
    if (j < 0) break
    parts.push(text.slice(i, j), <Mark key={k++}>{text.slice(j, j + needle.length)}</Mark>)
    i = j + needle.length
  }
  parts.push(text.slice(i))
  return <>{parts}</>
}

/**
 * Every header of the message, searchable. The list is windowed (10,000 Received headers keep a few dozen rows in
 * the DOM) and each value is cut with "show all", so a 1 MB header line is drawn only when asked for.
 */
export function HeadersPanel({ headers }: { headers: HeaderField[] }) {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  // Filtering 10,000 headers runs behind the typing, so the search box itself never lags.
  const query = useDeferredValue(q)
  const shown = useMemo(() => {
    if (!query) return headers
    const needle = query.toLowerCase()
    return headers.filter(
      (h) => h.name.toLowerCase().includes(needle) || h.value.toLowerCase().includes(needle)
    )
  }, [headers, query])
  return (
    <Paper withBorder p="sm" data-testid="headers-panel">
      <Group justify="space-between" mb={6}>
        <Title order={5}>
          {t('headers.title')}{' '}
          <Text span c="dimmed" size="sm" data-testid="headers-count">
            ({fmtNumber(shown.length)}/{fmtNumber(headers.length)})
          </Text>
        </Title>
        <TextInput
          size="xs"
          leftSection={<IconSearch size={12} />}
          placeholder={t('headers.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          aria-label={t('headers.search')}
          data-testid="headers-search"
        />
      </Group>
      <VirtualTable
        items={shown}
        fz="xs"
        verticalSpacing={2}
        striped
        maxHeight={360}
        boxed
        estimateRowHeight={24}
        scrollTestId="headers-scroll"
        row={(h, i, rowProps) => (
          <Table.Tr key={`${i}:${h.name}`} {...rowProps} data-testid="header-row">
            <Table.Td w={200} fw={600} style={{ verticalAlign: 'top', ...WRAP_ANYWHERE }}>
              <Highlight text={h.name} q={query} />
            </Table.Td>
            <Table.Td>
              <Code block style={{ ...WRAP_ANYWHERE, background: 'transparent', padding: 0 }}>
                <LongText text={h.value} render={(s) => <Highlight text={s} q={query} />} />
              </Code>
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Paper>
  )
}
