import { ActionIcon, Button, Group, Paper, Stack, Text, Textarea, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconEdit, IconRobot, IconTrash, IconUser } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Note } from '@shared/schemas/case'
import { call } from '../../api/transport'
import { fmtDate, useText } from '../../i18n'

/** The case timeline: the admin's notes (editable) and what the app recorded (read-only events). */
export function Timeline({
  caseId,
  notes,
  onChanged
}: {
  caseId: number
  notes: Note[]
  onChanged: () => void
}) {
  const { t } = useTranslation()
  const tx = useText()
  const [draft, setDraft] = useState('')
  const [editing, setEditing] = useState<{ id: number; body: string } | null>(null)
  const fail = (e: Error) =>
    notifications.show({ color: 'red', title: t('errors.title'), message: e.message })

  async function add() {
    if (!draft.trim()) return
    try {
      await call('notes.add', { caseId, body: draft })
      setDraft('')
      onChanged()
    } catch (e) {
      fail(e as Error)
    }
  }
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Textarea
            placeholder={t('notes.placeholder')}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            autosize
            minRows={2}
            data-testid="note-input"
            aria-label={t('notes.add')}
          />
          <Group justify="flex-end">
            <Button onClick={add} disabled={!draft.trim()} data-testid="note-add">
              {t('notes.add')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Stack gap={6} data-testid="timeline">
        {[...notes].reverse().map((n) => (
          <Paper key={n.id} withBorder p="xs" data-testid={n.kind === 'note' ? 'note' : 'event'}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Group gap="xs" align="flex-start" wrap="nowrap" style={{ flex: 1 }}>
                {n.kind === 'note' ? <IconUser size={16} /> : <IconRobot size={16} color="gray" />}
                {editing?.id === n.id ? (
                  <Stack gap={4} style={{ flex: 1 }}>
                    <Textarea
                      value={editing.body}
                      onChange={(e) => setEditing({ id: n.id, body: e.currentTarget.value })}
                      autosize
                      data-testid="note-edit-input"
                    />
                    <Group gap="xs">
                      <Button
                        size="xs"
                        data-testid="note-save"
                        onClick={async () => {
                          try {
                            await call('notes.update', { id: n.id, body: editing.body })
                            setEditing(null)
                            onChanged()
                          } catch (e) {
                            fail(e as Error)
                          }
                        }}
                      >
                        {t('common.save')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setEditing(null)}>
                        {t('common.cancel')}
                      </Button>
                    </Group>
                  </Stack>
                ) : (
                  <Text
                    size="sm"
                    style={{ whiteSpace: 'pre-wrap', flex: 1 }}
                    c={n.kind === 'event' ? 'dimmed' : undefined}
                  >
                    {/* An app event is text-as-data: rendered in the reader's language; `body` is its English form. */}
                    {n.kind === 'event' ? tx(n.text, n.body) : n.body}
                  </Text>
                )}
              </Group>
              <Group gap={4} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {fmtDate(n.createdAt)}
                </Text>
                {n.kind === 'note' && editing?.id !== n.id && (
                  <>
                    <Tooltip label={t('common.edit')}>
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        onClick={() => setEditing({ id: n.id, body: n.body })}
                        aria-label={t('common.edit')}
                        data-testid="note-edit"
                      >
                        <IconEdit size={14} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('common.delete')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        size="sm"
                        aria-label={t('common.delete')}
                        data-testid="note-delete"
                        onClick={async () => {
                          await call('notes.delete', { id: n.id }).catch(fail)
                          onChanged()
                        }}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Tooltip>
                  </>
                )}
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Stack>
  )
}
