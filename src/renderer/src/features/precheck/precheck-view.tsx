import { FileDropZone } from '../../components/file-drop-zone'
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  RingProgress,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PrecheckCheck, PrecheckResult, SpamAssassinResult } from '@shared/contract/precheck'
import { ipProblem } from '@shared/contract/domain'
import { fmtNumber, useText } from '../../i18n'
import { usePrecheck } from './use-precheck'

const STATUS_COLORS: Record<PrecheckCheck['status'], string> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  unknown: 'gray',
  skipped: 'gray'
}

const scoreColor = (s: number) => (s >= 8 ? 'green' : s >= 5 ? 'yellow' : 'red')

function CheckRow({ c }: { c: PrecheckCheck }) {
  const { t } = useTranslation('precheck')
  const render = useText()
  return (
    <Paper withBorder p="sm" data-testid="precheck-check" data-check={c.id} data-status={c.status}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ flex: 1 }}>
          <Text fw={600}>{t(`check.${c.id}`)}</Text>
          <Text size="sm">{render(c.detail)}</Text>
          {c.items.length > 0 && (
            <Stack gap={0} mt={4}>
              {c.items.map((i, n) => (
                <Text key={n} size="xs" c="dimmed" data-testid="precheck-item">
                  • {render(i)}
                </Text>
              ))}
            </Stack>
          )}
          {c.fix && (
            <Text size="sm" mt={4} data-testid="precheck-fix">
              <b>{t('view.whatToChange')}:</b> {render(c.fix)}
            </Text>
          )}
          {c.sources.length > 0 && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('view.sources')}:{' '}
              {c.sources.map((s, n) => (
                <span key={s}>
                  {n > 0 && ' · '}
                  <Anchor href={s} target="_blank" rel="noreferrer" size="xs">
                    {new URL(s).hostname}
                  </Anchor>
                </span>
              ))}
            </Text>
          )}
        </div>
        <Badge color={STATUS_COLORS[c.status]} variant="light" data-testid="precheck-status">
          {t(`status.${c.status}`)}
        </Badge>
      </Group>
    </Paper>
  )
}

function SpamAssassinTable({ sa }: { sa: SpamAssassinResult }) {
  const { t } = useTranslation('precheck')
  const render = useText()
  return (
    <Paper withBorder p="sm" data-testid="precheck-sa" data-status={sa.status}>
      <Title order={5}>{t('view.saTitle')}</Title>
      {sa.status !== 'ran' ? (
        <Text size="sm" data-testid="precheck-sa-reason">
          {sa.reason ? render(sa.reason) : sa.status}
        </Text>
      ) : (
        <>
          <Text size="sm" data-testid="precheck-sa-score">
            {t('view.saScore', {
              score: fmtNumber(sa.score ?? 0),
              required: fmtNumber(sa.required ?? 0),
              version: sa.version ?? ''
            })}
          </Text>
          {sa.rules.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('view.saNoRules')}
            </Text>
          ) : (
            <Table striped mt="xs" data-testid="precheck-sa-rules">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('view.saPoints')}</Table.Th>
                  <Table.Th>{t('view.saRule')}</Table.Th>
                  <Table.Th>{t('view.saDescription')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...sa.rules]
                  .sort((a, b) => b.score - a.score)
                  .map((r) => (
                    <Table.Tr key={r.name} data-testid="precheck-sa-rule" data-rule={r.name}>
                      <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {fmtNumber(r.score, undefined, { minimumFractionDigits: 1 })}
                      </Table.Td>
                      <Table.Td>
                        <code>{r.name}</code>
                      </Table.Td>
                      {/* SpamAssassin's own words, verbatim */}
                      <Table.Td>{r.description}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Paper>
  )
}

function Result({ r }: { r: PrecheckResult }) {
  const { t } = useTranslation('precheck')
  return (
    <Stack gap="sm" data-testid="precheck-result">
      <Paper withBorder p="md">
        <Group gap="lg">
          <RingProgress
            size={110}
            thickness={10}
            sections={[{ value: r.score * 10, color: scoreColor(r.score) }]}
            label={
              <Text ta="center" fw={700} size="xl" data-testid="precheck-score">
                {fmtNumber(r.score)}
              </Text>
            }
          />
          <div>
            <Text fw={600}>
              {t('view.score')} {fmtNumber(r.score)} {t('view.outOf')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('view.coverage', {
                checked: fmtNumber(r.coverage.checked),
                total: fmtNumber(r.coverage.total)
              })}
            </Text>
            <Text size="sm">{t('view.file', { file: r.file })}</Text>
            {r.fromDomain && <Text size="sm">{t('view.from', { domain: r.fromDomain })}</Text>}
          </div>
        </Group>
      </Paper>
      <Title order={4}>{t('view.checks')}</Title>
      {r.checks.map((c) => (
        <CheckRow key={c.id} c={c} />
      ))}
      <SpamAssassinTable sa={r.spamassassin} />
    </Stack>
  )
}

/** Pre-send check (issue 14): drop the .eml you are about to send, optionally with the IP you will send from. */
export function PrecheckView() {
  const { t } = useTranslation('precheck')
  const [ip, setIp] = useState('')
  const input = useRef<HTMLInputElement>(null)
  const { run, rerun, cancel, result, error, progress, hasFile } = usePrecheck()
  const ipError = ip.trim() ? ipProblem(ip) : null
  const start = (files: FileList | File[] | null) => {
    const f = files && Array.from(files)[0]
    if (f && !ipError) void run(f, ip)
  }
  return (
    <Stack data-testid="precheck-view">
      <Title order={2}>{t('view.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('view.intro')}
      </Text>
      <TextInput
        label={t('view.ip')}
        description={t('view.ipHelp')}
        placeholder="192.0.2.25"
        value={ip}
        onChange={(e) => setIp(e.currentTarget.value)}
        error={ipError}
        maw={360}
        data-testid="precheck-ip"
      />
      <FileDropZone
        testId="precheck-drop-zone"
        title={t('view.drop')}
        help={t('view.dropHelp')}
        onFiles={start}
        actions={
          <Group gap="xs">
            {hasFile() && (
              <Button
                variant="default"
                size="xs"
                disabled={!!progress || !!ipError}
                onClick={() => void rerun(ip)}
                data-testid="precheck-rerun"
              >
                {t('view.run')}
              </Button>
            )}
            <Button
              variant="default"
              size="xs"
              onClick={() => input.current?.click()}
              data-testid="precheck-pick"
            >
              {t('view.pick')}
            </Button>
          </Group>
        }
      >
        <input
          ref={input}
          type="file"
          hidden
          accept=".eml,message/rfc822"
          data-testid="precheck-file-input"
          onChange={(e) => {
            start(e.currentTarget.files)
            e.currentTarget.value = ''
          }}
        />
        {progress && (
          <Group mt="sm" gap="sm" data-testid="precheck-progress">
            <Progress
              style={{ flex: 1 }}
              value={progress.total ? (progress.done / progress.total) * 100 : 0}
            />
            <Text size="xs">{t('view.running')}</Text>
            <Button size="xs" variant="subtle" color="red" onClick={cancel} data-testid="precheck-cancel">
              {t('view.cancel')}
            </Button>
          </Group>
        )}
      </FileDropZone>
      {error && (
        <Alert color="red" data-testid="precheck-error">
          {error.key === 'tooLarge' ? t('view.tooLarge', error.params) : t('view.error', error.params)}
        </Alert>
      )}
      {result && <Result r={result} />}
    </Stack>
  )
}
