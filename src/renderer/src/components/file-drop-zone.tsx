import { Group, Paper, Text } from '@mantine/core'
import { IconFileUpload } from '@tabler/icons-react'
import { useState, type ReactNode } from 'react'

/**
 * A dashed area that takes dropped files (the DMARC reports and pre-send views): the drag-over highlight, the
 * icon, a title and a help line; the caller's buttons (pick, run again) go on the right, the rest below.
 */
export function FileDropZone({
  testId,
  title,
  help,
  onFiles,
  actions,
  children
}: {
  testId: string
  title: string
  help: string
  onFiles: (files: File[]) => void
  /** Buttons on the right (pick files, run again). */
  actions?: ReactNode
  /** Below the title row: the file input, progress, results. */
  children?: ReactNode
}) {
  const [over, setOver] = useState(false)
  return (
    <Paper
      withBorder
      p="lg"
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        onFiles(Array.from(e.dataTransfer.files))
      }}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: over ? 'var(--mantine-color-blue-filled)' : undefined
      }}
    >
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <IconFileUpload size={32} stroke={1.5} />
          <div>
            <Text fw={500}>{title}</Text>
            <Text size="xs" c="dimmed">
              {help}
            </Text>
          </div>
        </Group>
        {actions}
      </Group>
      {children}
    </Paper>
  )
}
