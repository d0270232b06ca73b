import type { ReactElement } from 'react'
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title
} from '@mantine/core'
import { IconDownload, IconTrash } from '@tabler/icons-react'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { CaseFinding, FixKind, FixPrefill, FixRequest, StoredFix } from '@shared/schemas/workflow'
import { call } from '../../api/transport'
import { useAsync } from '../../hooks'
import { usePrefillFromReports } from '../dmarc/use-dmarc'
import { fmtDate, useText } from '../../i18n'
import { CopyIcon, saveBytes, SeverityBadge, SnippetView, useCaseChanged, Warnings } from './ui'

/** Remedy ids (analyses, verdict) → the generator tab that answers them. */
const REMEDY_TAB: Record<string, string> = {
  'spf-builder': 'spf',
  'dmarc-planner': 'dmarc',
  'dkim-keygen': 'dkim',
  'relay-fix': 'relay',
  'rdns-request': 'rdns',
  'reverse-dns': 'rdns',
  'content-lint': 'content'
}

/** The Fix step of a case: open findings with their remedies, the generators, and the fixes saved in the case. */
export function FixPanel({ caseSummary, onChanged }: { caseSummary: CaseSummary; onChanged: () => void }) {
  const { t } = useTranslation('workflow')
  const caseId = caseSummary.id
  const findings = useAsync(() => call('findings.list', { caseId }), [caseId])
  const prefill = useAsync(() => call('fix.prefill', { caseId }), [caseId])
  const prefilled = usePrefillFromReports(prefill.data)
  const saved = useAsync(() => call('fix.list', { caseId }), [caseId])
  const reloadAll = useCallback(() => {
    findings.reload()
    saved.reload()
  }, [findings.reload, saved.reload]) // eslint-disable-line react-hooks/exhaustive-deps
  useCaseChanged(caseId, reloadAll)
  const [tab, setTab] = useState<string | null>('spf')
  const [lastResult, setLastResult] = useState<{ fix: StoredFix; privateKeyPem?: string } | null>(null)

  const fixFindings = (findings.data ?? []).filter((f) => f.step === 'fix' && f.actionable)
  const open = fixFindings.filter((f) => f.status === 'open')
  const done = fixFindings.filter((f) => f.status !== 'open')

  async function generate(req: FixRequest) {
    const r = await call('fix.generate', { caseId, ...req })
    setLastResult(r)
    saved.reload()
    onChanged()
    return r
  }

  return (
    <Stack gap="md" data-testid="fix-panel">
      <Paper withBorder p="sm">
        <Title order={5} mb="xs">
          {t('fix.openTitle', { count: open.length })}
        </Title>
        {findings.error && <Alert color="red">{findings.error.message}</Alert>}
        {open.length === 0 && findings.data && (
          <Text c="dimmed" size="sm">
            {t('fix.noneOpen')}
          </Text>
        )}
        <Stack gap="xs">
          {open.map((f) => (
            <FindingRow
              key={f.id}
              caseId={caseId}
              finding={f}
              onChanged={reloadAll}
              onOpenGenerator={(g) => setTab(g)}
            />
          ))}
        </Stack>
        {done.length > 0 && (
          <Accordion mt="xs" variant="contained">
            <Accordion.Item value="done">
              <Accordion.Control>{t('fix.doneTitle', { count: done.length })}</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">
                  {done.map((f) => (
                    <FindingRow key={f.id} caseId={caseId} finding={f} onChanged={reloadAll} />
                  ))}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        )}
      </Paper>

      <Paper withBorder p="sm">
        <Title order={5} mb="xs">
          {t('fix.generators')}
        </Title>
        {prefill.error && <Alert color="red">{prefill.error.message}</Alert>}
        {prefilled && (
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              {GENERATORS.map(([g]) => (
                <Tabs.Tab key={g} value={g} data-testid={`gen-${g}`}>
                  {t(`gen.${g}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {GENERATORS.map(([g, Form]) => (
              <Tabs.Panel key={g} value={g} pt="sm">
                <Form prefill={prefilled} onGenerate={generate} />
              </Tabs.Panel>
            ))}
          </Tabs>
        )}
        {lastResult && <FixResult result={lastResult} />}
      </Paper>

      <Paper withBorder p="sm">
        <Title order={5} mb="xs">
          {t('fix.saved', { count: saved.data?.length ?? 0 })}
        </Title>
        {saved.data?.length === 0 && (
          <Text c="dimmed" size="sm">
            {t('fix.noneSaved')}
          </Text>
        )}
        <Accordion variant="separated" multiple>
          {(saved.data ?? []).map((fx) => (
            <Accordion.Item key={fx.id} value={String(fx.id)} data-testid="saved-fix">
              <Accordion.Control>
                <Group gap="xs">
                  <Badge size="xs" variant="outline">
                    {t(`kind.${fx.kind}`)}
                  </Badge>
                  <Text size="sm">{fx.title}</Text>
                  <Text size="xs" c="dimmed">
                    {fmtDate(fx.createdAt)}
                  </Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <StoredFixView fix={fx} />
                <Button
                  mt="xs"
                  size="xs"
                  color="red"
                  variant="subtle"
                  leftSection={<IconTrash size={14} />}
                  onClick={async () => {
                    if (!window.confirm(t('fix.confirmDelete', { title: fx.title }))) return
                    await call('fix.delete', { id: fx.id })
                    saved.reload()
                    onChanged()
                  }}
                >
                  {t('fix.delete')}
                </Button>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      </Paper>
    </Stack>
  )
}

function FindingRow({
  caseId,
  finding: f,
  onChanged,
  onOpenGenerator
}: {
  caseId: number
  finding: CaseFinding
  onChanged: () => void
  onOpenGenerator?: (tab: string) => void
}) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const [accepting, setAccepting] = useState(false)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const generator = f.remedy ? REMEDY_TAB[f.remedy] : f.id.startsWith('content.') ? 'content' : undefined
  return (
    <Paper withBorder p="xs" data-testid="fix-finding" data-finding={f.id} data-status={f.status}>
      <Group gap="xs" wrap="nowrap" align="flex-start" justify="space-between">
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            <SeverityBadge severity={f.severity} />
            {f.status !== 'open' && (
              <Badge size="xs" color={f.status === 'resolved' ? 'teal' : 'gray'}>
                {t(`status.${f.status}`)}
              </Badge>
            )}
            <Text size="sm" fw={600}>
              {tx(f.titleText, f.title)}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" lineClamp={3}>
            {tx(f.detailText, f.detail)}
          </Text>
          {f.current && (
            <Text size="xs">
              {t('fix.current')}: <code>{f.current}</code>
            </Text>
          )}
          {f.fix && (
            <Text size="xs">
              <b>{t('fix.remedy')}:</b> {tx(f.fixText, f.fix)}
            </Text>
          )}
          {f.fixRecord && (
            <Group gap={4} wrap="nowrap">
              <code style={{ wordBreak: 'break-all', fontSize: 12 }}>{f.fixRecord}</code>
              <CopyIcon value={f.fixRecord} />
            </Group>
          )}
          {f.status === 'accepted' && f.note && (
            <Text size="xs" fs="italic">
              {t('fix.acceptedNote', { note: f.note })}
            </Text>
          )}
        </Stack>
        <Stack gap={4}>
          {generator && onOpenGenerator && (
            <Button
              size="compact-xs"
              variant="light"
              onClick={() => onOpenGenerator(generator)}
              data-testid="open-generator"
            >
              {t(`gen.${generator}`)}
            </Button>
          )}
          {f.status === 'open' ? (
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => setAccepting(true)}
              data-testid="accept-finding"
            >
              {t('fix.accept')}
            </Button>
          ) : (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={async () => {
                await call('findings.reopen', { caseId, findingId: f.id })
                onChanged()
              }}
            >
              {t('fix.reopen')}
            </Button>
          )}
        </Stack>
      </Group>
      <Modal opened={accepting} onClose={() => setAccepting(false)} title={t('fix.acceptTitle')}>
        <Text size="sm" mb="xs">
          {tx(f.titleText, f.title)}
        </Text>
        <Textarea
          label={t('fix.acceptNote')}
          description={t('fix.acceptHelp')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
          data-testid="accept-note"
          error={error}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={() => setAccepting(false)}>
            {t('cancel')}
          </Button>
          <Button
            data-testid="accept-confirm"
            onClick={async () => {
              if (!note.trim()) return setError(t('fix.noteRequired'))
              try {
                await call('findings.accept', { caseId, findingId: f.id, note: note.trim() })
                setAccepting(false)
                onChanged()
              } catch (e) {
                setError((e as Error).message)
              }
            }}
          >
            {t('fix.accept')}
          </Button>
        </Group>
      </Modal>
    </Paper>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

type Gen = (req: FixRequest) => Promise<{ fix: StoredFix; privateKeyPem?: string }>

/** Runs a generator; bad input comes back as a message under the form, and the form keeps what was typed. */
function GenForm({
  children,
  onRun,
  testId
}: {
  children: ReactNode
  onRun: () => Promise<unknown>
  testId: string
}) {
  const { t } = useTranslation('workflow')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <Stack gap="xs">
      {children}
      {error && (
        <Alert color="red" data-testid="gen-error">
          {error}
        </Alert>
      )}
      <Group>
        <Button
          loading={busy}
          data-testid={testId}
          onClick={async () => {
            setBusy(true)
            setError(null)
            try {
              await onRun()
            } catch (e) {
              setError((e as Error).message)
            } finally {
              setBusy(false)
            }
          }}
        >
          {t('fix.generate')}
        </Button>
      </Group>
    </Stack>
  )
}

function SpfForm({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [services, setServices] = useState<string[]>(prefill.services)
  const [ips, setIps] = useState<string[]>(prefill.ips)
  const [keep, setKeep] = useState<string[]>(prefill.keepMechanisms)
  const [all, setAll] = useState<'-all' | '~all'>('~all')
  const [live, setLive] = useState(true)
  return (
    <GenForm
      testId="gen-spf-run"
      onRun={() =>
        onGenerate({
          kind: 'spf',
          input: { domain: domain.trim() || undefined, services, ips, keepMechanisms: keep, all, live }
        })
      }
    >
      {prefill.currentSpf && (
        <Text size="xs" c="dimmed" data-testid="current-spf">
          {t('spf.current')}: <code>{prefill.currentSpf}</code>
        </Text>
      )}
      {prefill.fromReports &&
        (prefill.fromReports.services.length > 0 || prefill.fromReports.ips.length > 0) && (
          <Text size="xs" c="dimmed" data-testid="spf-from-reports">
            {t('dmarc:fromReports', {
              services: prefill.fromReports.services.join(', ') || '—',
              ips: prefill.fromReports.ips.join(', ') || '—'
            })}
          </Text>
        )}
      <SimpleGrid cols={2}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
          data-testid="spf-domain"
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('spf.all')}
          </Text>
          <SegmentedControl
            value={all}
            onChange={(v) => setAll(v as '-all' | '~all')}
            data={[
              { value: '~all', label: t('spf.softfail') },
              { value: '-all', label: t('spf.fail') }
            ]}
          />
        </div>
      </SimpleGrid>
      <MultiSelect
        label={t('spf.services')}
        description={t('spf.servicesHelp')}
        searchable
        data={prefill.catalogue.map((s) => ({
          value: s.id,
          label: `${s.name} (~${s.typicalLookups})${s.verified === 'vendor-docs' ? '' : ' *'}${s.accountSpecific ? ' †' : ''}`
        }))}
        value={services}
        onChange={setServices}
        data-testid="spf-services"
      />
      <TagsInput
        label={t('spf.ips')}
        description={t('spf.ipsHelp')}
        value={ips}
        onChange={setIps}
        data-testid="spf-ips"
      />
      <TagsInput
        label={t('spf.keep')}
        description={t('spf.keepHelp')}
        value={keep}
        onChange={setKeep}
        data-testid="spf-keep"
      />
      <Checkbox label={t('spf.live')} checked={live} onChange={(e) => setLive(e.currentTarget.checked)} />
    </GenForm>
  )
}

const today = () => new Date().toISOString().slice(0, 10)

function DmarcForm({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [rua, setRua] = useState(prefill.domain ? `dmarc-reports@${prefill.domain}` : '')
  const [start, setStart] = useState(today())
  const [adkim, setAdkim] = useState<'r' | 's'>('r')
  const [aspf, setAspf] = useState<'r' | 's'>('r')
  const [staged, setStaged] = useState(prefill.stagedPct ?? false)
  return (
    <GenForm
      testId="gen-dmarc-run"
      onRun={() =>
        onGenerate({
          kind: 'dmarc',
          input: {
            domain: domain.trim(),
            ruaAddress: rua.trim(),
            startDate: start,
            adkim,
            aspf,
            stagedPct: staged,
            currentRecord: prefill.currentDmarc ?? undefined
          }
        })
      }
    >
      {prefill.currentDmarc && (
        <Text size="xs" c="dimmed">
          {t('dmarc.current')}: <code>{prefill.currentDmarc}</code>
        </Text>
      )}
      <SimpleGrid cols={3}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
          data-testid="dmarc-domain"
        />
        <TextInput
          label={t('dmarc.rua')}
          description={t('dmarc.ruaHelp')}
          value={rua}
          onChange={(e) => setRua(e.currentTarget.value)}
          data-testid="dmarc-rua"
        />
        <TextInput
          type="date"
          label={t('dmarc.start')}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          data-testid="dmarc-start"
        />
      </SimpleGrid>
      <Group>
        <div>
          <Text size="sm" fw={500}>
            {t('dmarc.adkim')}
          </Text>
          <SegmentedControl
            size="xs"
            value={adkim}
            onChange={(v) => setAdkim(v as 'r' | 's')}
            data={[
              { value: 'r', label: t('dmarc.relaxed') },
              { value: 's', label: t('dmarc.strict') }
            ]}
          />
        </div>
        <div>
          <Text size="sm" fw={500}>
            {t('dmarc.aspf')}
          </Text>
          <SegmentedControl
            size="xs"
            value={aspf}
            onChange={(v) => setAspf(v as 'r' | 's')}
            data={[
              { value: 'r', label: t('dmarc.relaxed') },
              { value: 's', label: t('dmarc.strict') }
            ]}
          />
        </div>
        <Checkbox
          mt="lg"
          label={t('dmarc.staged')}
          checked={staged}
          onChange={(e) => setStaged(e.currentTarget.checked)}
        />
      </Group>
    </GenForm>
  )
}

function DkimForm({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [selector, setSelector] = useState(`dd${today().slice(0, 7).replace('-', '')}`)
  const [algorithm, setAlgorithm] = useState<'rsa2048' | 'ed25519'>('rsa2048')
  return (
    <GenForm
      testId="gen-dkim-run"
      onRun={() =>
        onGenerate({ kind: 'dkim', input: { domain: domain.trim(), selector: selector.trim(), algorithm } })
      }
    >
      <Text size="xs" c="dimmed">
        {t('dkim.help')}
      </Text>
      <SimpleGrid cols={3}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
        />
        <TextInput
          label={t('dkim.selector')}
          value={selector}
          onChange={(e) => setSelector(e.currentTarget.value)}
          data-testid="dkim-selector"
        />
        <Select
          label={t('dkim.algorithm')}
          value={algorithm}
          allowDeselect={false}
          onChange={(v) => v && setAlgorithm(v as 'rsa2048' | 'ed25519')}
          data={[
            { value: 'rsa2048', label: 'RSA 2048' },
            { value: 'ed25519', label: 'Ed25519' }
          ]}
        />
      </SimpleGrid>
    </GenForm>
  )
}

function M365Form({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [domain, setDomain] = useState(prefill.domain ?? '')
  const [tenant, setTenant] = useState('')
  const [partition, setPartition] = useState('')
  return (
    <GenForm
      testId="gen-m365-run"
      onRun={() =>
        onGenerate({
          kind: 'm365-dkim',
          input: { domain: domain.trim(), tenant: tenant.trim(), partition: partition.trim() || undefined }
        })
      }
    >
      <SimpleGrid cols={3}>
        <TextInput
          label={t('field.domain')}
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
        />
        <TextInput
          label={t('m365.tenant')}
          placeholder="contoso.onmicrosoft.com"
          value={tenant}
          onChange={(e) => setTenant(e.currentTarget.value)}
        />
        <TextInput
          label={t('m365.partition')}
          description={t('m365.partitionHelp')}
          value={partition}
          onChange={(e) => setPartition(e.currentTarget.value)}
        />
      </SimpleGrid>
    </GenForm>
  )
}

function RelayForm({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [which, setWhich] = useState<'postfix' | 'exchange' | 'exo' | 'ef'>('postfix')
  const [nets, setNets] = useState<string[]>([])
  const [server, setServer] = useState('EX01')
  const [ranges, setRanges] = useState<string[]>([])
  const [name, setName] = useState('From on-premises')
  const [cert, setCert] = useState(prefill.domain ? `mail.${prefill.domain}` : '')
  const [ips, setIps] = useState<string[]>(prefill.ips)
  const [connector, setConnector] = useState('')
  const run = () => {
    if (which === 'postfix')
      return onGenerate({
        kind: 'postfix-relay',
        input: { mynetworks: nets, submission: true, sasl: 'dovecot' }
      })
    if (which === 'exchange')
      return onGenerate({ kind: 'exchange-relay', input: { server: server.trim(), remoteIpRanges: ranges } })
    if (which === 'exo')
      return onGenerate({
        kind: 'exo-connector',
        input: {
          direction: 'inbound-from-onprem',
          name: name.trim(),
          tlsCertificateName: cert.trim() || undefined,
          senderIps: ips
        }
      })
    return onGenerate({
      kind: 'enhanced-filtering',
      input: { connector: connector.trim(), skipLastIp: true }
    })
  }
  return (
    <GenForm testId="gen-relay-run" onRun={run}>
      <SegmentedControl
        value={which}
        onChange={(v) => setWhich(v as typeof which)}
        data={(['postfix', 'exchange', 'exo', 'ef'] as const).map((v) => ({
          value: v,
          label: t(`relay.${v}`)
        }))}
      />
      {which === 'postfix' && (
        <TagsInput
          label={t('relay.mynetworks')}
          description={t('relay.mynetworksHelp')}
          value={nets}
          onChange={setNets}
        />
      )}
      {which === 'exchange' && (
        <SimpleGrid cols={2}>
          <TextInput
            label={t('relay.server')}
            value={server}
            onChange={(e) => setServer(e.currentTarget.value)}
          />
          <TagsInput label={t('relay.ranges')} value={ranges} onChange={setRanges} />
        </SimpleGrid>
      )}
      {which === 'exo' && (
        <SimpleGrid cols={3}>
          <TextInput
            label={t('relay.connectorName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput label={t('relay.cert')} value={cert} onChange={(e) => setCert(e.currentTarget.value)} />
          <TagsInput label={t('relay.senderIps')} value={ips} onChange={setIps} />
        </SimpleGrid>
      )}
      {which === 'ef' && (
        <TextInput
          label={t('relay.connector')}
          value={connector}
          onChange={(e) => setConnector(e.currentTarget.value)}
        />
      )}
    </GenForm>
  )
}

function RdnsForm({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [ip, setIp] = useState(prefill.ips[0] ?? '')
  const [hostname, setHostname] = useState(
    prefill.ptrNames[prefill.ips[0] ?? ''] ?? prefill.helo ?? (prefill.domain ? `mail.${prefill.domain}` : '')
  )
  const [provider, setProvider] = useState('')
  const [requester, setRequester] = useState('')
  const [organisation, setOrganisation] = useState('')
  return (
    <GenForm
      testId="gen-rdns-run"
      onRun={() =>
        onGenerate({
          kind: 'reverse-dns',
          input: {
            ip: ip.trim(),
            hostname: hostname.trim(),
            provider: provider || undefined,
            requester: requester || undefined,
            organisation: organisation || undefined
          }
        })
      }
    >
      <SimpleGrid cols={3}>
        <TextInput label={t('rdns.ip')} value={ip} onChange={(e) => setIp(e.currentTarget.value)} />
        <TextInput
          label={t('rdns.hostname')}
          value={hostname}
          onChange={(e) => setHostname(e.currentTarget.value)}
        />
        <TextInput
          label={t('rdns.provider')}
          value={provider}
          onChange={(e) => setProvider(e.currentTarget.value)}
        />
        <TextInput
          label={t('rdns.requester')}
          value={requester}
          onChange={(e) => setRequester(e.currentTarget.value)}
        />
        <TextInput
          label={t('rdns.organisation')}
          value={organisation}
          onChange={(e) => setOrganisation(e.currentTarget.value)}
        />
      </SimpleGrid>
    </GenForm>
  )
}

function ContentForm({ prefill, onGenerate }: { prefill: FixPrefill; onGenerate: Gen }) {
  const { t } = useTranslation('workflow')
  const [ev, setEv] = useState<string | null>(null)
  if (prefill.lintable.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('content.none')}
      </Text>
    )
  return (
    <GenForm
      testId="gen-content-run"
      onRun={() => onGenerate({ kind: 'content-lint', input: { evidenceId: ev ? Number(ev) : undefined } })}
    >
      <Select
        label={t('content.which')}
        placeholder={t('content.all')}
        clearable
        value={ev}
        onChange={setEv}
        data={prefill.lintable.map((e) => ({ value: String(e.id), label: e.name }))}
      />
    </GenForm>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Results

function FixResult({ result }: { result: { fix: StoredFix; privateKeyPem?: string } }) {
  const { t } = useTranslation('workflow')
  const [key, setKey] = useState(result.privateKeyPem)
  useEffect(() => setKey(result.privateKeyPem), [result])
  const input = result.fix.input as { selector?: string; domain?: string }
  return (
    <Stack gap="xs" mt="md" data-testid="fix-result" data-kind={result.fix.kind}>
      <Text fw={600}>{result.fix.title}</Text>
      {key && (
        <Alert color="orange" title={t('dkim.keyTitle')} data-testid="dkim-private-key">
          <Text size="sm" mb="xs">
            {t('dkim.keyHelp')}
          </Text>
          <Group>
            <Button
              size="xs"
              leftSection={<IconDownload size={14} />}
              onClick={() =>
                saveBytes(
                  `${input.selector ?? 'dkim'}.${input.domain ?? 'key'}.private`,
                  'application/x-pem-file',
                  key
                )
              }
              data-testid="dkim-save-key"
            >
              {t('dkim.save')}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => setKey(undefined)}>
              {t('dkim.forget')}
            </Button>
          </Group>
        </Alert>
      )}
      <StoredFixView fix={result.fix} />
    </Stack>
  )
}

function StoredFixView({ fix }: { fix: StoredFix }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const o = fix.output
  return (
    <Stack gap="xs">
      {o.lookups && (
        <Group gap="xs" data-testid="spf-lookups">
          <Badge variant="light">{t('spf.direct', { n: o.lookups.direct })}</Badge>
          <Badge variant="light">{t('spf.estimated', { n: o.lookups.estimated })}</Badge>
          {o.lookups.live !== undefined ? (
            <Badge variant="filled" color={o.lookups.live > 10 ? 'red' : 'teal'} data-testid="spf-live">
              {t('spf.liveCount', { n: o.lookups.live })}
            </Badge>
          ) : (
            <Badge color="gray">{t('spf.noLive')}</Badge>
          )}
        </Group>
      )}
      {o.stages && (
        <Timeline active={0} bulletSize={18} lineWidth={2} data-testid="dmarc-stages">
          {o.stages.map((s) => (
            <Timeline.Item
              key={s.name}
              title={`${s.name} — ${fmtDate(`${s.startDate}T00:00:00Z`).split(',')[0]}`}
            >
              <code style={{ fontSize: 12 }}>{s.record}</code>
              <Text size="xs" c="dimmed">
                {s.explanation}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {o.findings && (
        <Stack gap={4} data-testid="lint-findings">
          {o.findings.length === 0 && <Text size="sm">{t('content.clean')}</Text>}
          {o.findings.map((f) => (
            <Group key={f.id} gap={6} wrap="nowrap" align="flex-start">
              <SeverityBadge severity={f.severity} />
              <div>
                <Text size="sm" fw={600}>
                  {tx(f.titleText, f.title)}
                </Text>
                <Text size="xs" c="dimmed">
                  {tx(f.detailText, f.detail)}
                </Text>
                {f.fix && <Text size="xs">{tx(f.fixText, f.fix)}</Text>}
              </div>
            </Group>
          ))}
        </Stack>
      )}
      {o.snippets.map((s) => (
        <SnippetView key={s.id} snippet={s} />
      ))}
      <Warnings items={o.warnings.filter((w) => !o.snippets.some((s) => s.warnings.includes(w)))} />
    </Stack>
  )
}

export type { FixKind }

/** The generator tabs, in order: one form per kind of fix. */
const GENERATORS = [
  ['spf', SpfForm],
  ['dmarc', DmarcForm],
  ['dkim', DkimForm],
  ['m365', M365Form],
  ['relay', RelayForm],
  ['rdns', RdnsForm],
  ['content', ContentForm]
] as const satisfies readonly (readonly [
  string,
  (p: { prefill: FixPrefill; onGenerate: Gen }) => ReactElement
])[]
