import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip
} from '@mantine/core'
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { FixSnippet } from '@shared/schemas/fix'
import type { Severity } from '@shared/schemas/common'
import type { Text as Text_ } from '@shared/text'
import { useText } from '../../i18n'

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red',
  error: 'red',
  warning: 'yellow',
  info: 'blue',
  ok: 'teal'
}

/**
 * Saves bytes through the platform's save flow: a download of a Blob, which the browser saves and Electron turns
 * into its save dialog. Nothing is written by the backend, so a private key never touches the disk unasked.
 */
export function saveBytes(fileName: string, mimeType: string, bytes: Uint8Array | string): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type: mimeType })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function CopyIcon({ value, testId }: { value: string; testId?: string }) {
  const { t } = useTranslation('workflow')
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('copied') : t('copy')} withArrow>
          <ActionIcon
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={t('copy')}
            data-testid={testId}
          >
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  )
}

/** One generated snippet: the whole text to copy, then each line with what it does. */
export function SnippetView({ snippet }: { snippet: FixSnippet }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const explained = snippet.lines.filter((l) => l.text || l.explanation)
  return (
    <Paper withBorder p="sm" data-testid="snippet" data-snippet={snippet.id}>
      <Group justify="space-between" wrap="nowrap" mb={4}>
        <Text fw={600} size="sm">
          {tx(snippet.titleText, snippet.title)}
        </Text>
        <CopyIcon value={snippet.text} testId={`copy-${snippet.id}`} />
      </Group>
      {snippet.name && (
        <Text size="xs" c="dimmed">
          {t('snippet.name')}: <Code>{snippet.name}</Code>
        </Text>
      )}
      {snippet.record && (
        <Text size="xs" c="dimmed" mb={4}>
          {t('snippet.value')}: <Code data-testid="snippet-record">{snippet.record}</Code>
        </Text>
      )}
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="snippet-text">
        {snippet.text}
      </Code>
      {explained.length > 0 && (
        <Table mt="xs" withTableBorder fz="xs" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="45%">{t('snippet.line')}</Table.Th>
              <Table.Th>{t('snippet.explanation')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {explained.map((l, i) => (
              <Table.Tr key={i}>
                <Table.Td
                  style={{ fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' }}
                >
                  {l.text}
                </Table.Td>
                <Table.Td>{tx(l.explanationText, l.explanation)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Warnings items={snippet.warnings} texts={snippet.warningTexts} />
    </Paper>
  )
}

/** Warnings in the reader's language when the generator gave them as Texts (`texts`, index for index). */
export function Warnings({ items, texts }: { items: string[]; texts?: Text_[] }) {
  const tx = useText()
  if (items.length === 0) return null
  return (
    <Alert mt="xs" color="yellow" variant="light" icon={<IconAlertTriangle size={16} />} p="xs">
      <Stack gap={2}>
        {items.map((w, i) => (
          <Text key={i} size="xs">
            {tx(texts?.[i], w)}
          </Text>
        ))}
      </Stack>
    </Alert>
  )
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation('workflow')
  return (
    <Badge size="xs" color={SEVERITY_COLOR[severity]} variant="light">
      {t(`severity.${severity}`)}
    </Badge>
  )
}

export const Mono = ({ children }: { children: string }) => (
  <Box component="span" style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
    {children}
  </Box>
)
