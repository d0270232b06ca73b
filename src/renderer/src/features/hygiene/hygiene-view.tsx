import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  NumberInput,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  PasswordInput,
  Title
} from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fmtDate } from '../../i18n'
import { ClustersPanel, RatesPanel } from './health-charts'
import { RulesForm } from './rules-form'
import { SuppressionTable } from './suppression-table'
import { renderError, renderText } from './text'
import { useInvalidateMethods } from '../../api/query'
import { useHygieneData, useIngest } from './use-hygiene'

/** Picks a folder (webkitdirectory, Chromium and Electron) or files; the bytes are uploaded, never a path. */
function FolderPicker({
  disabled,
  onFiles
}: {
  disabled: boolean
  onFiles: (files: File[], label: string) => void
}) {
  const { t } = useTranslation('hygiene')
  return (
    <Group>
      <Button component="label" variant="light" disabled={disabled}>
        {t('sources.pickFolder')}
        <input
          hidden
          type="file"
          multiple
          data-testid="hy-folder-input"
          ref={(el) => {
            el?.setAttribute('webkitdirectory', '')
          }}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])]
            const label = files[0]?.webkitRelativePath.split('/')[0] || 'folder'
            e.currentTarget.value = ''
            if (files.length) onFiles(files, label)
          }}
        />
      </Button>
      <Button component="label" variant="default" disabled={disabled}>
        {t('sources.pickFiles')}
        <input
          hidden
          type="file"
          multiple
          data-testid="hy-files-input"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])]
            e.currentTarget.value = ''
            if (files.length) onFiles(files, 'files')
          }}
        />
      </Button>
    </Group>
  )
}

function ImapForm({
  disabled,
  onRead
}: {
  disabled: boolean
  onRead: (input: Parameters<ReturnType<typeof useIngest>['ingestImap']>[0]) => void
}) {
  const { t } = useTranslation('hygiene')
  const [f, setF] = useState({
    host: '',
    port: '' as number | '',
    user: '',
    mailbox: 'INBOX',
    tls: 'tls' as 'tls' | 'starttls',
    auth: 'password' as 'password' | 'oauth2',
    secret: '',
    remember: false,
    caPem: '',
    markSeen: false
  })
  return (
    <Stack gap="xs" data-testid="hy-imap">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextInput
          label={t('imap.host')}
          value={f.host}
          onChange={(e) => setF({ ...f, host: e.currentTarget.value })}
        />
        <NumberInput
          label={t('imap.port')}
          value={f.port}
          min={1}
          max={65535}
          onChange={(v) => setF({ ...f, port: v === '' ? '' : Number(v) })}
        />
        <TextInput
          label={t('imap.user')}
          value={f.user}
          onChange={(e) => setF({ ...f, user: e.currentTarget.value })}
        />
        <TextInput
          label={t('imap.mailbox')}
          value={f.mailbox}
          onChange={(e) => setF({ ...f, mailbox: e.currentTarget.value })}
        />
      </SimpleGrid>
      <Group>
        <SegmentedControl
          aria-label={t('imap.security')}
          value={f.tls}
          onChange={(v) => setF({ ...f, tls: v as 'tls' | 'starttls' })}
          data={[
            { value: 'tls', label: t('imap.tls') },
            { value: 'starttls', label: t('imap.starttls') }
          ]}
        />
        <SegmentedControl
          aria-label={t('imap.auth')}
          value={f.auth}
          onChange={(v) => setF({ ...f, auth: v as 'password' | 'oauth2' })}
          data={[
            { value: 'password', label: t('imap.password') },
            { value: 'oauth2', label: t('imap.oauth2') }
          ]}
        />
      </Group>
      <PasswordInput
        label={t('imap.secret')}
        value={f.secret}
        onChange={(e) => setF({ ...f, secret: e.currentTarget.value })}
      />
      <Textarea
        label={t('imap.caPem')}
        value={f.caPem}
        onChange={(e) => setF({ ...f, caPem: e.currentTarget.value })}
        autosize
        minRows={1}
        maxRows={4}
        data-testid="hy-ca"
      />
      <Checkbox
        label={t('imap.remember')}
        checked={f.remember}
        onChange={(e) => setF({ ...f, remember: e.currentTarget.checked })}
      />
      <Checkbox
        label={t('imap.markSeen')}
        checked={f.markSeen}
        onChange={(e) => setF({ ...f, markSeen: e.currentTarget.checked })}
      />
      <Group>
        <Button
          disabled={disabled || !f.host.trim() || !f.user.trim()}
          onClick={() =>
            onRead({
              source: {
                host: f.host.trim(),
                ...(f.port !== '' ? { port: f.port } : {}),
                user: f.user.trim(),
                mailbox: f.mailbox.trim() || 'INBOX',
                tls: f.tls,
                auth: f.auth,
                markSeen: f.markSeen,
                ...(f.caPem.trim() ? { caPem: f.caPem.trim() } : {})
              },
              ...(f.secret ? { secret: f.secret } : {}),
              remember: f.remember
            })
          }
        >
          {t('imap.read')}
        </Button>
      </Group>
    </Stack>
  )
}

export function HygieneView({ go }: { go: (path: string) => void }) {
  const { t, i18n } = useTranslation('hygiene')
  const invalidate = useInvalidateMethods()
  const bump = () => void invalidate('hygiene.')
  const { stats, sources } = useHygieneData()
  const ing = useIngest(bump)
  return (
    <Stack data-testid="hygiene-view">
      <Title order={3}>{t('title')}</Title>
      <Text c="dimmed">{t('intro')}</Text>
      <Card withBorder data-testid="hy-sources">
        <Stack gap="sm">
          <Title order={5}>{t('sources.title')}</Title>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Stack gap="xs">
              <Text fw={500}>{t('sources.folder')}</Text>
              <FolderPicker
                disabled={ing.running}
                onFiles={(files, label) => void ing.ingestFiles(files, label)}
              />
            </Stack>
            <Stack gap="xs">
              <Text fw={500}>{t('sources.imap')}</Text>
              <ImapForm disabled={ing.running} onRead={(input) => void ing.ingestImap(input)} />
            </Stack>
          </SimpleGrid>
          {ing.running && ing.progress && (
            <Group data-testid="hy-progress">
              <Progress
                value={ing.progress.total ? (100 * ing.progress.done) / ing.progress.total : 5}
                animated
                style={{ flex: 1 }}
              />
              <Text size="sm">{t('progress.label', ing.progress)}</Text>
              <Button size="xs" color="red" variant="light" onClick={ing.cancel}>
                {t('progress.cancel')}
              </Button>
            </Group>
          )}
          {ing.error && (
            <Alert color="red" data-testid="hy-error">
              {renderError(t, ing.error)}
            </Alert>
          )}
          {ing.summary && (
            <Alert color={ing.summary.errors.length ? 'yellow' : 'green'} data-testid="hy-summary">
              <Text size="sm">{t('summary.line', ing.summary)}</Text>
              <Text size="sm">{t('summary.suppressed', ing.summary)}</Text>
              {ing.summary.cancelled && <Text size="sm">{t('progress.cancelled')}</Text>}
              {ing.summary.notices.map((n, i) => (
                <Text size="sm" key={i}>
                  {renderText(t, n)}
                </Text>
              ))}
              {ing.summary.errors.length > 0 && (
                <>
                  <Text size="sm" fw={500} mt="xs">
                    {t('summary.errors')}
                  </Text>
                  <List size="sm" data-testid="hy-ingest-errors">
                    {ing.summary.errors.map((e, i) => (
                      <List.Item key={i}>{renderError(t, e)}</List.Item>
                    ))}
                  </List>
                </>
              )}
            </Alert>
          )}
          {(sources.data ?? []).length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('sources.none')}
            </Text>
          ) : (
            <List size="sm" data-testid="hy-source-list">
              {sources.data!.map((s) => {
                const last = s.lastSummary as { messages?: number; duplicates?: number } | null
                return (
                  <List.Item key={s.id}>
                    <Text span fw={500} size="sm">
                      {s.label}
                    </Text>
                    {s.lastRun && (
                      <Text span size="sm" c="dimmed">
                        {' — '}
                        {t('sources.lastRun', {
                          when: fmtDate(s.lastRun, i18n.language),
                          messages: last?.messages ?? 0,
                          duplicates: last?.duplicates ?? 0
                        })}
                        {s.kind === 'imap' && s.uidvalidity !== null
                          ? ` · ${t('sources.cursor', { uidvalidity: s.uidvalidity, uid: s.lastUid })}`
                          : ''}
                        {s.hasSecret ? ` · ${t('sources.savedSecret')}` : ''}
                      </Text>
                    )}
                  </List.Item>
                )
              })}
            </List>
          )}
        </Stack>
      </Card>
      {stats.data && <ClustersPanel stats={stats.data} go={go} />}
      <SuppressionTable onChange={bump} />
      {stats.data && <RatesPanel stats={stats.data} onChange={bump} />}
      <RulesForm onSaved={bump} />
    </Stack>
  )
}
