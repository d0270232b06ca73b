import { Alert, Loader, Stack } from '@mantine/core'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Analysis } from '@shared/schemas/analysis'
import { useApi } from '../../api/query'
import { AntispamPanel } from './antispam-panel'
import { AuthPanel } from './auth-panel'
import { BodyPanel } from './body-panel'
import { BouncePanel } from './bounce-panel'
import { HeadersPanel } from './headers-panel'
import { HopsPanel } from './hops-panel'
import { OriginalSection } from './original-section'
import { SummaryCard } from './summary-card'
import { VerdictCard } from './verdict-card'

/**
 * Everything known about one piece of evidence, most decisive first: the verdict, authentication (recorded vs now),
 * the hops, anti-spam, the bounce rows, the returned original, raw headers, and the body on demand.
 */
export function EvidenceView({ id, autoReverify = false }: { id: number; autoReverify?: boolean }) {
  const { t } = useTranslation()
  const ev = useApi('evidence.get', { id })
  const [analysis, setAnalysis] = useState<Analysis | null>(null)
  useEffect(() => setAnalysis(ev.data?.analysis ?? null), [ev.data])
  if (ev.error)
    return (
      <Alert color="red" title={t('errors.loadEvidence')}>
        {ev.error.message}
      </Alert>
    )
  if (!analysis) return <Loader />
  const a = analysis
  return (
    <Stack gap="sm" data-testid="evidence-view">
      <VerdictCard analysis={a} />
      <SummaryCard analysis={a} />
      <AuthPanel id={id} analysis={a} autoReverify={autoReverify} onUpdated={setAnalysis} />
      {a.kind !== 'smtp-text' && <HopsPanel analysis={a} />}
      {a.kind !== 'smtp-text' && a.kind !== 'bounce' && <AntispamPanel report={a.antispam} />}
      <BouncePanel bounce={a.bounce} />
      <OriginalSection original={a.original} />
      {a.headers.length > 0 && <HeadersPanel headers={a.headers} />}
      {a.kind !== 'headers' && <BodyPanel id={id} />}
    </Stack>
  )
}
