import { Button, Card, Checkbox, Group, NumberInput, Stack, Text, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useInvalidateMethods } from '../../api/query'
import { saveRules, useRules } from './use-hygiene'

/** The suppression rules, editable (also shown in Settings). Saving re-applies them to every address. */
export function RulesForm({ onSaved }: { onSaved?: () => void }) {
  const { t } = useTranslation('hygiene')
  const invalidate = useInvalidateMethods()
  const { data } = useRules()
  const [form, setForm] = useState(data)
  useEffect(() => setForm(data), [data])
  if (!form) return null
  return (
    <Card withBorder data-testid="hy-rules">
      <Stack gap="xs">
        <Title order={5}>{t('rules.title')}</Title>
        <Checkbox
          label={t('rules.hard')}
          checked={form.hardSuppresses}
          onChange={(e) => setForm({ ...form, hardSuppresses: e.currentTarget.checked })}
        />
        <Checkbox
          label={t('rules.complaint')}
          checked={form.complaintSuppresses}
          onChange={(e) => setForm({ ...form, complaintSuppresses: e.currentTarget.checked })}
        />
        <Group>
          <NumberInput
            label={t('rules.softCount')}
            min={1}
            max={100}
            value={form.softCount}
            onChange={(v) => setForm({ ...form, softCount: Number(v) || 1 })}
            w={200}
          />
          <NumberInput
            label={t('rules.softDays')}
            min={0}
            max={365}
            value={form.softDays}
            onChange={(v) => setForm({ ...form, softDays: Number(v) || 0 })}
            w={220}
          />
        </Group>
        <Text size="sm" c="dimmed">
          {t('rules.senderSide')}
        </Text>
        <Group>
          <Button
            variant="light"
            onClick={async () => {
              await saveRules(form)
              // The rules re-apply to every address: the suppression lists and stats change too.
              void invalidate('hygiene.')
              onSaved?.()
            }}
          >
            {t('rules.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
