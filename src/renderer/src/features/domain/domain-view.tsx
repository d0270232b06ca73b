import { Alert, Button, Group, Paper, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core'
import { IconPlayerPlay, IconWorldWww } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { domainProblem, heloProblem, ipProblem, selectorProblem } from '@shared/contract/domain'
import type { DomainReport } from '@shared/schemas/domain'
import { call } from '../../api/transport'
import { DomainReportView } from './domain-report'
import { takeHandoff } from './domain-ui'
import { CheckProgressBar } from './check-progress'
import { useDomainCheck } from './use-domain-check'

interface Form {
  domain: string
  ips: string[]
  helo: string
  selectors: string[]
}

/** The last standalone check survives a trip to another view (it is not stored: there is no case). */
let last: { form: Form; report: DomainReport | null } = {
  form: { domain: '', ips: [], helo: '', selectors: [] },
  report: null
}

/** The same checks as the contract, so a typo is explained before any DNS query (and the input is kept). */
function problemsOf(f: Form) {
  return {
    domain: domainProblem(f.domain),
    ips: f.ips.map(ipProblem).find(Boolean) ?? null,
    helo: f.helo.trim() ? heloProblem(f.helo) : null,
    selectors: f.selectors.map(selectorProblem).find(Boolean) ?? null
  }
}

/** Standalone "Check a domain" view. */
export function DomainView({ initialDomain }: { initialDomain?: string }) {
  const { t } = useTranslation('domain')
  const [form, setForm] = useState<Form>(last.form)
  const [report, setReport] = useState<DomainReport | null>(last.report)
  const [touched, setTouched] = useState(false)
  const formRef = useRef(form)
  formRef.current = form

  const check = useDomainCheck((taskId) => {
    const f = formRef.current
    return call('domain.check', {
      domain: f.domain.trim(),
      ips: f.ips.length ? f.ips : undefined,
      helo: f.helo.trim() || undefined,
      selectors: f.selectors.length ? f.selectors : undefined,
      taskId
    })
  })

  const problems = problemsOf(form)

  async function run() {
    setTouched(true)
    if (Object.values(problemsOf(formRef.current)).some(Boolean)) return
    const r = await check.start()
    if (r) {
      setReport(r)
      last = { form: formRef.current, report: r }
    }
  }

  // Arriving with #/domain/<name>: show the case's stored report when the case panel handed one over, else run.
  useEffect(() => {
    if (!initialDomain) return
    const h = takeHandoff(initialDomain.toLowerCase())
    if (h) {
      const f = { domain: initialDomain, ips: h.ips, helo: h.helo ?? '', selectors: h.selectors }
      setForm(f)
      setReport(h.report)
      last = { form: f, report: h.report }
      return
    }
    if (last.report?.domain === initialDomain.toLowerCase()) return
    const f = { domain: initialDomain, ips: [], helo: '', selectors: [] }
    setForm(f)
    formRef.current = f
    if (!domainProblem(initialDomain)) void run()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialDomain])

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }))
  return (
    <Stack gap="sm" data-testid="domain-view">
      <Paper withBorder p="md">
        <Group gap="xs" mb={4}>
          <IconWorldWww size={22} />
          <Title order={3}>{t('title')}</Title>
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t('intro')}
        </Text>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void run()
          }}
        >
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('form.domain')}
              placeholder="example.com"
              value={form.domain}
              onChange={(e) => set('domain', e.currentTarget.value)}
              error={touched && problems.domain}
              w={280}
              data-autofocus
              data-testid="domain-input"
            />
            <TagsInput
              label={t('form.ips')}
              description={t('form.ipsHelp')}
              placeholder="192.0.2.1"
              value={form.ips}
              onChange={(v) => set('ips', v)}
              error={problems.ips}
              splitChars={[',', ' ', ';']}
              w={260}
              data-testid="ips-input"
            />
            <TextInput
              label={t('form.helo')}
              description={t('form.heloHelp')}
              placeholder="mail.example.com"
              value={form.helo}
              onChange={(e) => set('helo', e.currentTarget.value)}
              error={problems.helo}
              w={220}
              data-testid="helo-input"
            />
            <TagsInput
              label={t('form.selectors')}
              description={t('form.selectorsHelp')}
              placeholder="selector1"
              value={form.selectors}
              onChange={(v) => set('selectors', v)}
              error={problems.selectors}
              splitChars={[',', ' ', ';']}
              w={220}
              data-testid="selectors-input"
            />
          </Group>
          <Group mt="sm">
            <Button
              type="submit"
              leftSection={<IconPlayerPlay size={16} />}
              loading={check.running}
              data-testid="domain-run"
            >
              {t('run')}
            </Button>
          </Group>
        </form>
        {check.progress && (
          <Stack mt="sm">
            <CheckProgressBar progress={check.progress} />
          </Stack>
        )}
        {check.error && (
          <Alert
            color="red"
            mt="sm"
            title={t('failed')}
            withCloseButton
            onClose={check.clearError}
            data-testid="domain-error"
          >
            {check.error}
          </Alert>
        )}
      </Paper>
      {report ? (
        <>
          {report.domain !== form.domain.trim().toLowerCase() && form.domain.trim() && (
            <Text size="sm" c="dimmed">
              {t('showingPrevious', { domain: report.domain })}
            </Text>
          )}
          <DomainReportView report={report} />
        </>
      ) : (
        !check.running && (
          <Text c="dimmed" size="sm">
            {t('empty')}
          </Text>
        )
      )}
    </Stack>
  )
}
