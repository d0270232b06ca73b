import { Alert, Button, Code, Group, Loader, Paper, SegmentedControl, Text, Title } from '@mantine/core'
import { IconShieldLock } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MessageBodyOut } from '@shared/contract/diagnose'
import { call } from '../../api/transport'

/**
 * The message body, loaded on demand. Text is rendered as text (React escapes it). HTML — already stripped of
 * scripts and remote references by the backend — goes only into `<iframe sandbox="">` with `srcDoc`: no
 * allow-scripts, no allow-same-origin (a unique opaque origin), so even a missed script cannot run or reach the app;
 * the page CSP and the document's own CSP meta block any remote load (no tracking pixel fires).
 */
export function BodyPanel({ id }: { id: number }) {
  const { t } = useTranslation('diagnose')
  const [body, setBody] = useState<MessageBodyOut | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [view, setView] = useState<'text' | 'html'>('text')

  async function load() {
    setLoading(true)
    setError(null)
    try {
      const b = await call('evidence.body', { id })
      setBody(b)
      setView(b.text.trim() ? 'text' : b.html ? 'html' : 'text')
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setLoading(false)
    }
  }

  return (
    <Paper withBorder p="sm" data-testid="body-panel">
      <Group justify="space-between" mb={6}>
        <Title order={5}>{t('body.title')}</Title>
        {body?.html !== undefined && (
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(v) => setView(v as 'text' | 'html')}
            data={[
              { value: 'text', label: t('body.text') },
              { value: 'html', label: t('body.html') }
            ]}
            data-testid="body-view"
          />
        )}
      </Group>
      {!body && (
        <Button size="xs" variant="light" onClick={load} loading={loading} data-testid="body-show">
          {t('body.show')}
        </Button>
      )}
      {loading && !body && <Loader size="xs" />}
      {error && <Alert color="red">{error}</Alert>}
      {body && view === 'text' && (
        <Code
          block
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 480, overflow: 'auto' }}
          data-testid="body-text"
        >
          {body.text || t('body.empty')}
        </Code>
      )}
      {body && view === 'html' && body.html !== undefined && (
        <>
          <Group gap={6} mb={4}>
            <IconShieldLock size={14} color="var(--mantine-color-teal-6)" />
            <Text size="xs" c="dimmed">
              {t('body.safe')} {body.blockedRemote > 0 && t('body.blocked', { count: body.blockedRemote })}
            </Text>
          </Group>
          <iframe
            sandbox=""
            srcDoc={body.html}
            title={t('body.frameTitle')}
            referrerPolicy="no-referrer"
            data-testid="body-frame"
            style={{
              width: '100%',
              height: 420,
              border: '1px solid var(--mantine-color-default-border)',
              borderRadius: 4,
              background: 'white'
            }}
          />
        </>
      )}
    </Paper>
  )
}
