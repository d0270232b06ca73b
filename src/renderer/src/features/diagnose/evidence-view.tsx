import { Alert, Loader, Stack } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { call } from '../../api/transport'
import { useAsync } from '../../hooks'
import { HeadersPanel } from './headers-panel'
import { HopsPanel } from './hops-panel'
import { SummaryCard } from './summary-card'

/** Everything known about one piece of evidence, most decisive first. */
export function EvidenceView({ id }: { id: number }) {
  const { t } = useTranslation()
  const ev = useAsync(() => call('evidence.get', { id }), [id])
  if (ev.error) return <Alert color="red" title={t('errors.loadEvidence')}>{ev.error.message}</Alert>
  if (!ev.data) return <Loader />
  const a = ev.data.analysis
  return (
    <Stack gap="sm" data-testid="evidence-view">
      <SummaryCard analysis={a} />
      <HopsPanel analysis={a} />
      <HeadersPanel headers={a.headers} />
    </Stack>
  )
}
