import {
  Alert,
  Button,
  Group,
  Loader,
  MultiSelect,
  Paper,
  Stack,
  Tabs,
  Text,
  Textarea,
  Title
} from '@mantine/core'
import { IconPlayerPlay, IconShieldSearch } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScanResult } from '@shared/contract/blocklist'
import { CatalogueBrowser } from './catalogue-browser'
import { ScanProgressBar } from './scan-progress'
import { ScanResults } from './scan-results'
import { useCatalogue } from './use-catalogue'
import { useScan } from './use-scan'

/** Targets as typed: one per line, or separated by commas, semicolons or spaces. */
export function splitTargets(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    )
  ]
}

/** The last standalone scan survives a trip to another view (it belongs to no case, so it is not stored). */
let last: { text: string; lists: string[]; result: ScanResult | null } = { text: '', lists: [], result: null }

/** Standalone blocklist check of any IPs and domains, and the catalogue browser. */
export function BlocklistView({ initialTarget }: { initialTarget?: string }) {
  const { t } = useTranslation('blocklist')
  const { catalogue, index, error: catError } = useCatalogue()
  const [text, setText] = useState(initialTarget ?? last.text)
  const [lists, setLists] = useState<string[]>(last.lists)
  const [problem, setProblem] = useState<string | null>(null)
  const scan = useScan(initialTarget ? null : last.result)
  const started = useRef(false)

  async function run(value = text) {
    const targets = splitTargets(value)
    if (targets.length === 0) {
      setProblem(t('check.empty'))
      return
    }
    if (targets.length > 500) {
      setProblem(t('check.tooMany', { count: targets.length }))
      return
    }
    setProblem(null)
    const r = await scan.run({ targets, lists: lists.length ? lists : undefined })
    if (r) last = { text: value, lists, result: r }
  }

  // Arriving with #/blocklists/<target> (e.g. from a case): check it straight away.
  useEffect(() => {
    if (initialTarget && !started.current) {
      started.current = true
      void run(initialTarget)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialTarget])

  const listOptions = (catalogue?.lists ?? [])
    .filter((l) => !l.defunct && l.kind !== 'provider')
    .map((l) => ({ value: l.id, label: `${l.name}${l.defaultEnabled ? '' : ` (${t('check.optIn')})`}` }))

  return (
    <Stack gap="sm" data-testid="blocklist-view">
      <Paper withBorder p="md">
        <Group gap="xs" mb={4}>
          <IconShieldSearch size={22} />
          <Title order={3}>{t('title')}</Title>
        </Group>
        <Text size="sm" c="dimmed">
          {t('intro')}
        </Text>
      </Paper>
      <Tabs defaultValue="check" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="check" data-testid="bl-tab-check">
            {t('tabs.check')}
          </Tabs.Tab>
          <Tabs.Tab value="catalogue" data-testid="bl-tab-catalogue">
            {t('tabs.catalogue')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="check" pt="sm">
          <Stack gap="sm">
            <Paper withBorder p="md">
              <form
                onSubmit={(e) => {
                  e.preventDefault()
                  void run()
                }}
              >
                <Stack gap="sm">
                  <Textarea
                    label={t('check.targets')}
                    description={t('check.targetsHelp')}
                    placeholder={'192.0.2.1\n2001:db8::25\nexample.com'}
                    autosize
                    minRows={3}
                    maxRows={10}
                    value={text}
                    onChange={(e) => setText(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void run()
                    }}
                    error={problem}
                    data-testid="bl-targets"
                  />
                  <MultiSelect
                    label={t('check.lists')}
                    description={t('check.listsHelp')}
                    placeholder={lists.length ? undefined : t('check.defaultLists')}
                    data={listOptions}
                    value={lists}
                    onChange={setLists}
                    searchable
                    clearable
                    maxDropdownHeight={260}
                  />
                  {catalogue && !catalogue.keys.dqs && (
                    <Text size="xs" c="dimmed">
                      {t('check.noDqsKey')}
                    </Text>
                  )}
                  <Group>
                    <Button
                      type="submit"
                      leftSection={<IconPlayerPlay size={14} />}
                      loading={scan.running}
                      data-testid="bl-run"
                    >
                      {t('check.run')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            </Paper>
            {scan.progress && <ScanProgressBar progress={scan.progress} onCancel={scan.cancel} />}
            {scan.cancelled && (
              <Alert color="gray" data-testid="bl-cancelled">
                {t('check.cancelled')}
              </Alert>
            )}
            {scan.error && (
              <Alert color="red" title={t('check.failed')}>
                {scan.error}
              </Alert>
            )}
            {catError && <Alert color="red">{catError.message}</Alert>}
            {scan.result && <ScanResults scan={scan.result} lists={index} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="catalogue" pt="sm">
          {catalogue ? <CatalogueBrowser catalogue={catalogue} /> : <Loader />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
