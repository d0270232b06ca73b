import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { IconArrowRight, IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { DomainReport } from '@shared/schemas/domain'
import { call } from '../../api/transport'
import { useApi } from '../../api/query'
import { fmtDate } from '../../i18n'
import { DomainReportCompact } from './domain-report'
import { CheckProgressBar } from './check-progress'
import { handOff, inputsOf } from './domain-ui'
import { useDomainCheck } from './use-domain-check'

/** Domain health for the case's sending domain and IPs (shown in the Diagnose step). */
export function CaseDomainPanel({ caseSummary }: { caseSummary: CaseSummary }) {
  const { t } = useTranslation('domain')
  const caseId = caseSummary.id
  const domain = caseSummary.sendingDomain
  const latest = useApi('domain.latest', { caseId })
  const [fresh, setFresh] = useState<DomainReport | null>(null)
  const check = useDomainCheck((taskId) => call('domain.checkCase', { caseId, taskId }))
  const report = fresh ?? latest.data ?? null
  const used = report ? inputsOf(report) : null

  return (
    <Paper withBorder p="sm" data-testid="case-domain-panel">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={5}>{domain ? t('case.title', { domain }) : t('case.titleNoDomain')}</Title>
        <Group gap="xs" wrap="nowrap">
          {report && (
            <Text size="xs" c="dimmed" data-testid="case-domain-time">
              {t('case.lastChecked', { date: fmtDate(report.checkedAt) })}
            </Text>
          )}
          <Button
            size="xs"
            leftSection={<IconRefresh size={14} />}
            disabled={!domain}
            loading={check.running}
            onClick={async () => {
              const r = await check.start()
              if (r) setFresh(r)
            }}
            data-testid="case-domain-check"
          >
            {t('case.checkNow')}
          </Button>
        </Group>
      </Group>
      {!domain && (
        <Text size="sm" c="dimmed" data-testid="case-domain-none">
          {t('case.noDomain')}
        </Text>
      )}
      {check.progress && <CheckProgressBar progress={check.progress} />}
      {check.error && (
        <Alert
          color="red"
          title={t('failed')}
          withCloseButton
          onClose={check.clearError}
          mb="xs"
          data-testid="domain-error"
        >
          {check.error}
        </Alert>
      )}
      {latest.isPending && !report && <Loader size="sm" />}
      {latest.error && <Alert color="red">{latest.error.message}</Alert>}
      {report ? (
        <Stack gap="xs">
          {used && (
            <Text size="xs" c="dimmed" data-testid="case-domain-inputs">
              {t('case.inputs', {
                ips: used.ips.join(', ') || '—',
                helo: used.helo ?? '—',
                selectors: used.selectors.join(', ') || '—'
              })}
            </Text>
          )}
          <DomainReportCompact report={report} />
          <Anchor
            href={`#/domain/${encodeURIComponent(report.domain)}`}
            onClick={() =>
              handOff({ report, ips: used?.ips ?? [], helo: used?.helo, selectors: used?.selectors ?? [] })
            }
            size="sm"
            data-testid="case-domain-open"
          >
            <Group gap={4}>
              {t('case.openFull')}
              <IconArrowRight size={14} />
            </Group>
          </Anchor>
        </Stack>
      ) : (
        domain &&
        !latest.isPending &&
        !check.running && (
          <Text size="sm" c="dimmed" data-testid="case-domain-never">
            {t('case.never')}
          </Text>
        )
      )}
    </Paper>
  )
}
