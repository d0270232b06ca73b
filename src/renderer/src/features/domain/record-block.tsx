import { ActionIcon, Box, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core'
import { IconCheck, IconCopy } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'

/** A DNS record or config snippet in monospace with a copy button (what the admin pastes into the zone). */
export function RecordBlock({
  label,
  text,
  tone,
  testId
}: {
  label?: string
  text: string
  tone?: 'fix'
  testId?: string
}) {
  const { t } = useTranslation('domain')
  return (
    <Box mt={6} data-testid={testId}>
      {label && (
        <Text size="xs" c="dimmed" fw={600} mb={2}>
          {label}
        </Text>
      )}
      <Group gap={4} wrap="nowrap" align="flex-start">
        <Code
          block
          style={{
            flex: 1,
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
            borderLeft: tone === 'fix' ? '3px solid var(--mantine-color-teal-6)' : undefined
          }}
        >
          {text}
        </Code>
        <CopyButton value={text} timeout={1500}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('copied') : t('copy')} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? 'teal' : 'gray'}
                onClick={copy}
                aria-label={t('copy')}
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Box>
  )
}
