import { Accordion, Alert, Badge, Button, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { FixRequest, StoredFix } from '@shared/schemas/workflow'
import { useApi, useInvalidateCase } from '../../api/query'
import { call } from '../../api/transport'
import { fmtDate, useText } from '../../i18n'
import { usePrefillFromReports } from '../dmarc/use-dmarc'
import { FixCauses } from './fix-causes'
import { FixResult, StoredFixView } from './fix-result'
import { GENERATORS } from './generators'

/** The Fix step of a case: open root causes with their remedies, the generators, and the fixes saved in the case. */
export function FixPanel({ caseSummary, onChanged }: { caseSummary: CaseSummary; onChanged: () => void }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const caseId = caseSummary.id
  const invalidate = useInvalidateCase()
  const prefill = useApi('fix.prefill', { caseId })
  const prefilled = usePrefillFromReports(prefill.data)
  const saved = useApi('fix.list', { caseId })
  const [tab, setTab] = useState<string | null>('spf')
  const [lastResult, setLastResult] = useState<{ fix: StoredFix; privateKeyPem?: string } | null>(null)

  const changed = () => {
    void invalidate(caseId)
    onChanged()
  }
  async function generate(req: FixRequest) {
    const r = await call('fix.generate', { caseId, ...req })
    setLastResult(r)
    changed()
    return r
  }

  return (
    <Stack gap="md" data-testid="fix-panel">
      <FixCauses caseId={caseId} onOpenGenerator={setTab} onChanged={changed} />

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
                  <Text size="sm">{tx(fx.output.titleText, fx.title)}</Text>
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
                    changed()
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
