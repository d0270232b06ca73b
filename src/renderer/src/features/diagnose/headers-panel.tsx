import { Code, Paper, ScrollArea, Table, Text, TextInput, Title, Group, Mark } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HeaderField } from '@shared/schemas/analysis'

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

export function HeadersPanel({ headers }: { headers: HeaderField[] }) {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const shown = useMemo(
    () =>
      q ? headers.filter((h) => `${h.name}: ${h.value}`.toLowerCase().includes(q.toLowerCase())) : headers,
    [headers, q]
  )
  return (
    <Paper withBorder p="sm" data-testid="headers-panel">
      <Group justify="space-between" mb={6}>
        <Title order={5}>
          {t('headers.title')}{' '}
          <Text span c="dimmed" size="sm">
            ({shown.length}/{headers.length})
          </Text>
        </Title>
        <TextInput
          size="xs"
          leftSection={<IconSearch size={12} />}
          placeholder={t('headers.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          aria-label={t('headers.search')}
        />
      </Group>
      <ScrollArea.Autosize mah={360}>
        <Table fz="xs" verticalSpacing={2} striped>
          <Table.Tbody>
            {shown.map((h, i) => (
              <Table.Tr key={i}>
                <Table.Td w={200} fw={600} style={{ verticalAlign: 'top' }}>
                  <Highlight text={h.name} q={q} />
                </Table.Td>
                <Table.Td>
                  <Code
                    block
                    style={{
                      whiteSpace: 'pre-wrap',
                      wordBreak: 'break-all',
                      background: 'transparent',
                      padding: 0
                    }}
                  >
                    <Highlight text={h.value} q={q} />
                  </Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Paper>
  )
}
