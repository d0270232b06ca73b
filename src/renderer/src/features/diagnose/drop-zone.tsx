import { Alert, Button, Collapse, Group, Paper, Progress, Stack, Text, Textarea } from '@mantine/core'
import { IconClipboardText, IconFileUpload } from '@tabler/icons-react'
import { useRef, useState, type DragEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { FileError } from '@shared/api'
import { call } from '../../api/transport'
import { readDroppedFiles } from './read-files'

/**
 * Drop .eml / .msg / mbox files (several at once), pick them, or paste raw headers / a bounce / an SMTP line.
 * Each file is one transaction on the backend; per-file errors are listed here and nothing else is lost.
 */
export function DropZone({ caseId, onAdded }: { caseId: number; onAdded: (ids: number[]) => void }) {
  const { t } = useTranslation()
  const [over, setOver] = useState(false)
  const [busy, setBusy] = useState<{ done: number; total: number } | null>(null)
  const [errors, setErrors] = useState<FileError[]>([])
  const [pasteOpen, setPasteOpen] = useState(false)
  const [paste, setPaste] = useState('')
  const input = useRef<HTMLInputElement>(null)

  async function upload(files: File[], text?: string) {
    if (files.length === 0 && !text) return
    setErrors([])
    setBusy({ done: 0, total: files.length + (text ? 1 : 0) })
    try {
      const settings = await call('settings.get', {})
      const { uploads, refused } = await readDroppedFiles(files, settings.maxFileMb, (done, total) =>
        setBusy({ done, total: total + (text ? 1 : 0) })
      )
      const res =
        uploads.length || text
          ? await call('evidence.add', { caseId, files: uploads, text })
          : { added: [], errors: [] }
      setErrors([...refused, ...res.errors])
      if (text && res.added.length) setPaste('')
      onAdded(res.added.map((a) => a.id))
    } catch (e) {
      setErrors([
        {
          file: files.map((f) => f.name).join(', ') || t('drop.pasted'),
          code: 'ERROR',
          message: (e as Error).message
        }
      ])
    } finally {
      setBusy(null)
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    void upload(Array.from(e.dataTransfer.files))
  }

  return (
    <Stack gap="xs">
      <Paper
        withBorder
        p="lg"
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          borderColor: over ? 'var(--mantine-color-blue-filled)' : undefined,
          background: over ? 'var(--mantine-color-blue-light)' : undefined
        }}
      >
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <IconFileUpload size={32} stroke={1.5} />
            <div>
              <Text fw={500}>{t('drop.title')}</Text>
              <Text size="xs" c="dimmed">
                {t('drop.help')}
              </Text>
            </div>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="default"
              size="xs"
              onClick={() => input.current?.click()}
              data-testid="pick-files"
            >
              {t('drop.pick')}
            </Button>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconClipboardText size={14} />}
              onClick={() => setPasteOpen((o) => !o)}
              data-testid="paste-toggle"
            >
              {t('drop.paste')}
            </Button>
          </Group>
        </Group>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept=".eml,.msg,.mbox,.txt,message/rfc822,text/plain,application/vnd.ms-outlook"
          data-testid="file-input"
          onChange={(e) => {
            void upload(Array.from(e.currentTarget.files ?? []))
            e.currentTarget.value = ''
          }}
        />
        {busy && (
          <Stack gap={2} mt="sm">
            <Progress
              value={(busy.done / Math.max(busy.total, 1)) * 100}
              animated
              data-testid="drop-progress"
            />
            <Text size="xs" c="dimmed">
              {t('drop.progress', { done: busy.done, total: busy.total })}
            </Text>
          </Stack>
        )}
      </Paper>
      <Collapse in={pasteOpen}>
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Textarea
              value={paste}
              onChange={(e) => setPaste(e.currentTarget.value)}
              placeholder={t('drop.pastePlaceholder')}
              autosize
              minRows={5}
              maxRows={16}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
              data-testid="paste-input"
              aria-label={t('drop.paste')}
            />
            <Group justify="flex-end">
              <Button
                size="xs"
                onClick={() => upload([], paste)}
                disabled={!paste.trim() || !!busy}
                data-testid="paste-add"
              >
                {t('drop.analyse')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Collapse>
      {errors.map((e, i) => (
        <Alert
          key={i}
          color="red"
          title={e.file}
          withCloseButton
          onClose={() => setErrors((x) => x.filter((_, j) => j !== i))}
          data-testid="drop-error"
        >
          {e.message}
        </Alert>
      ))}
    </Stack>
  )
}
