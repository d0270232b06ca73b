import { RulesForm } from '../hygiene/rules-form'
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMantineColorScheme } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { readDroppedFiles } from '../diagnose/read-files'
import { useTranslation } from 'react-i18next'
import type { Settings } from '@shared/settings'
import { call } from '../../api/transport'
import { useApi } from '../../api/query'
import i18n, { systemLanguage } from '../../i18n'

export function SettingsView() {
  const { t } = useTranslation()
  const settings = useApi('settings.get', {})
  const info = useApi('app.info', {})
  const [draft, setDraft] = useState<Settings | null>(null)
  const { setColorScheme } = useMantineColorScheme()
  const restoreInput = useRef<HTMLInputElement>(null)
  const [restoring, setRestoring] = useState(false)
  useEffect(() => {
    if (settings.data) setDraft(settings.data)
  }, [settings.data])
  if (settings.error) return <Alert color="red">{settings.error.message}</Alert>
  if (!draft) return null
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setDraft({ ...draft, [k]: v })

  async function save() {
    try {
      const s = await call('settings.set', draft!)
      setDraft(s)
      await i18n.changeLanguage(s.language === 'system' ? systemLanguage() : s.language)
      setColorScheme(s.theme)
      // i18n.t, not this render's t: the confirmation is in the language just chosen, not the one it replaces.
      notifications.show({ color: 'green', message: i18n.t('settings.saved') })
    } catch (e) {
      notifications.show({ color: 'red', title: t('errors.title'), message: (e as Error).message })
    }
  }
  return (
    <Stack maw={720} data-testid="settings-view">
      <Title order={3}>{t('settings.title')}</Title>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <TextInput
            label={t('settings.resolver')}
            description={t('settings.resolverHelp')}
            placeholder="127.0.0.1:53"
            value={draft.resolver}
            onChange={(e) => set('resolver', e.currentTarget.value)}
            data-testid="setting-resolver"
          />
          <NumberInput
            label={t('settings.dnsTimeout')}
            min={200}
            max={30000}
            value={draft.dnsTimeoutMs}
            onChange={(v) => set('dnsTimeoutMs', Number(v) || 2000)}
          />
          <PasswordInput
            label={t('settings.dqsKey')}
            value={draft.spamhausDqsKey}
            onChange={(e) => set('spamhausDqsKey', e.currentTarget.value)}
          />
          <PasswordInput
            label={t('settings.abusixKey')}
            value={draft.abusixKey}
            onChange={(e) => set('abusixKey', e.currentTarget.value)}
          />
          <NumberInput
            label={t('settings.recheck')}
            min={1}
            max={1440}
            value={draft.recheckMinutes}
            onChange={(v) => set('recheckMinutes', Number(v) || 30)}
          />
          <NumberInput
            label={t('settings.maxFile')}
            min={1}
            max={1024}
            value={draft.maxFileMb}
            onChange={(v) => set('maxFileMb', Number(v) || 50)}
            data-testid="setting-maxfile"
          />
          <Select
            label={t('settings.language')}
            value={draft.language}
            allowDeselect={false}
            data={[
              { value: 'system', label: t('settings.system') },
              { value: 'en', label: 'English' },
              { value: 'fr', label: 'Français' }
            ]}
            onChange={(v) => v && set('language', v as Settings['language'])}
            data-testid="setting-language"
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('settings.theme')}
            </Text>
            <SegmentedControl
              value={draft.theme}
              onChange={(v) => set('theme', v as Settings['theme'])}
              data={[
                { value: 'auto', label: t('settings.auto') },
                { value: 'light', label: t('settings.light') },
                { value: 'dark', label: t('settings.dark') }
              ]}
            />
          </div>
          <Group justify="flex-end">
            <Button onClick={save} data-testid="settings-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            {t('settings.dataDir')}
          </Text>
          <Text size="sm" ff="monospace" data-testid="data-dir">
            {info.data?.dbFile}
          </Text>
          <Group>
            <Button
              variant="default"
              onClick={async () => {
                try {
                  const r = await call('db.backup', {})
                  notifications.show({ color: 'green', message: t('settings.backupDone', { path: r.path }) })
                } catch (e) {
                  notifications.show({ color: 'red', message: (e as Error).message })
                }
              }}
            >
              {t('settings.backup')}
            </Button>
            <Button
              variant="default"
              color="red"
              loading={restoring}
              onClick={() => restoreInput.current?.click()}
              data-testid="restore"
            >
              {t('settings.restore')}
            </Button>
            <input
              ref={restoreInput}
              type="file"
              hidden
              accept=".sqlite,.db,application/vnd.sqlite3,application/octet-stream"
              data-testid="restore-input"
              onChange={async (e) => {
                const f = e.currentTarget.files?.[0]
                e.currentTarget.value = ''
                if (!f || !window.confirm(t('settings.restoreConfirm', { name: f.name }))) return
                setRestoring(true)
                try {
                  const { uploads } = await readDroppedFiles([f], 1024)
                  const r = await call('db.restore', { file: uploads[0] })
                  notifications.show({
                    color: 'green',
                    message: t('settings.restoreDone', { count: r.cases, path: r.safetyBackup })
                  })
                } catch (err) {
                  notifications.show({
                    color: 'red',
                    title: t('errors.title'),
                    message: (err as Error).message
                  })
                } finally {
                  setRestoring(false)
                }
              }}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {t('settings.restoreHelp')}
          </Text>
        </Stack>
      </Paper>
      {/* The sending-health suppression rules are settings too (issue 12). */}
      <RulesForm />
    </Stack>
  )
}
