import { Alert, Badge, Button, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Analysis, AuthAnalysis } from '@shared/schemas/analysis'
import type { AuthMechanism, RecordedVerdict } from '@shared/schemas/message'
import { call, onEvent } from '../../api/transport'
import { fmtDate, useText } from '../../i18n'
import { AuthBadge, stateOfRecorded } from './auth-badge'

const MECHANISMS: AuthMechanism[] = ['spf', 'dkim', 'dmarc', 'arc', 'bimi']
const LABEL: Record<AuthMechanism, string> = {
  spf: 'SPF',
  dkim: 'DKIM',
  dmarc: 'DMARC',
  arc: 'ARC',
  bimi: 'BIMI'
}

/** Evidence ids already re-verified automatically in this session: "once after a drop", not on every visit. */
const autoDone = new Set<number>()

/** The authentication that matters for the rejection: the returned original's for a bounce, else the message's own. */
export function authOf(a: Analysis): { auth?: AuthAnalysis; ofOriginal: boolean } {
  if (a.kind === 'bounce') return { auth: a.original?.auth, ofOriginal: true }
  return { auth: a.auth, ofOriginal: false }
}

function recordedOf(auth: AuthAnalysis, m: AuthMechanism): RecordedVerdict | undefined {
  const r = auth.recorded
  if (m === 'dkim') return r.dkim.find((d) => d.result.toLowerCase() === 'pass') ?? r.dkim[0]
  return r[m]
}

/** Recorded (at delivery) vs now (re-verified today) per mechanism, with the reason they differ. */
export function AuthPanel({
  id,
  analysis: a,
  autoReverify,
  onUpdated
}: {
  id: number
  analysis: Analysis
  autoReverify: boolean
  onUpdated: (a: Analysis) => void
}) {
  const { t } = useTranslation('diagnose')
  const tx = useText()
  const [busy, setBusy] = useState<{ done: number; total: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const running = useRef(false)
  const { auth, ofOriginal } = authOf(a)

  useEffect(
    () =>
      onEvent((name, p) => {
        const ev = p as { taskId?: string; done: number; total: number }
        if (name === 'progress' && ev.taskId === `reverify:${id}` && running.current)
          setBusy({ done: ev.done, total: ev.total })
      }),
    [id]
  )

  async function reverify() {
    if (running.current) return
    running.current = true
    setError(null)
    setBusy({ done: 0, total: 3 })
    try {
      onUpdated(await call('evidence.reverify', { id }))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      running.current = false
      setBusy(null)
    }
  }

  useEffect(() => {
    if (autoReverify && auth && !auth.now && !autoDone.has(id)) {
      autoDone.add(id)
      void reverify()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, autoReverify])

  if (!auth) return null
  const now = auth.now
  const cmp = auth.comparison
  return (
    <Paper withBorder p="sm" data-testid="auth-panel">
      <Group justify="space-between" mb={6}>
        <Group gap="xs">
          <Title order={5}>{t('auth.title')}</Title>
          {ofOriginal && (
            <Text size="sm" c="dimmed">
              {t('auth.ofOriginal')}
            </Text>
          )}
          {now && (
            <Text size="xs" c="dimmed" data-testid="auth-checked-at">
              {t('auth.checkedAt', { date: fmtDate(now.checkedAt) })}
            </Text>
          )}
        </Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconRefresh size={14} />}
          onClick={reverify}
          loading={!!busy}
          data-testid="reverify-button"
        >
          {t('auth.reverify')}
        </Button>
      </Group>
      {busy && (
        <Stack gap={2} mb="xs">
          <Progress
            value={(busy.done / Math.max(busy.total, 1)) * 100}
            animated
            data-testid="reverify-progress"
          />
          <Text size="xs" c="dimmed">
            {t('auth.reverifying')}
          </Text>
        </Stack>
      )}
      {error && (
        <Alert color="red" title={t('auth.failed')} mb="xs" data-testid="reverify-error">
          {error}
        </Alert>
      )}
      {!now && !busy && (
        <Text size="xs" c="dimmed" mb={4}>
          {t('auth.notVerified')}
        </Text>
      )}
      {now && !now.dnsAvailable && (
        <Text size="xs" c="dimmed" mb={4}>
          {t('auth.noDns')}
        </Text>
      )}
      <Table fz="sm" verticalSpacing={4} data-testid="auth-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={90}>{t('auth.mechanism')}</Table.Th>
            <Table.Th w={180}>{t('auth.recorded')}</Table.Th>
            <Table.Th w={150}>{t('auth.now')}</Table.Th>
            <Table.Th>{t('auth.explanation')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {MECHANISMS.map((m) => {
            const rec = recordedOf(auth, m)
            const c = cmp?.[m]
            const nowState = c?.nowState ?? 'not_checked'
            return (
              <Table.Tr key={m} data-testid={`auth-row-${m}`}>
                <Table.Td fw={600}>{LABEL[m]}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <AuthBadge
                      state={rec ? stateOfRecorded(rec.result) : null}
                      word={rec ? `${m}=${rec.result}` : null}
                      testId={`auth-recorded-${m}`}
                    />
                    {m === 'dkim' && auth.recorded.dkim.length > 1 && (
                      <Text size="xs" c="dimmed">
                        +{auth.recorded.dkim.length - 1}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <AuthBadge state={nowState} word={c?.now} testId={`auth-now-${m}`} />
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {tx(c?.explanationText, c?.explanation ?? rec?.comments.join(' ') ?? '')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )
          })}
          {auth.recorded.compauth && (
            <Table.Tr data-testid="auth-row-compauth">
              <Table.Td fw={600}>{t('auth.compauth')}</Table.Td>
              <Table.Td>
                <AuthBadge
                  state={stateOfRecorded(auth.recorded.compauth.result)}
                  word={`compauth=${auth.recorded.compauth.result}`}
                />
              </Table.Td>
              <Table.Td>
                <Badge color="gray" variant="outline" tt="none">
                  —
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {auth.recorded.compauth.decoded?.pattern
                    ? tx(
                        { code: `auth:compauth.${auth.recorded.compauth.decoded.pattern}` },
                        auth.recorded.compauth.decoded.meaning
                      )
                    : (auth.recorded.compauth.decoded?.meaning ?? '')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        {t('auth.trusted', { reason: auth.recorded.trusted.reason })}
      </Text>
    </Paper>
  )
}
