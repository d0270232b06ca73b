import { Badge, Collapse, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OriginalAnalysis } from '@shared/schemas/analysis'
import { LongText, WRAP_ANYWHERE } from '../../components/long-text'
import { fmtNumber } from '../../i18n'
import { AntispamPanel } from './antispam-panel'
import { HeadersPanel } from './headers-panel'
import { HopsPanel } from './hops-panel'
import { SUMMARY_VALUE_LIMIT } from './summary-card'

/** The message the bounce returned: who sent it, its own Received chain and filters' verdicts, its headers. */
export function OriginalSection({ original: o }: { original: OriginalAnalysis | undefined }) {
  const { t } = useTranslation('diagnose')
  const [showHeaders, setShowHeaders] = useState(false)
  if (!o) return null
  const rows: [string, string | null | undefined][] = [
    [t('fields.from'), o.summary.from],
    [t('fields.to'), o.summary.to],
    [t('fields.subject'), o.summary.subject],
    [t('fields.messageId'), o.summary.messageId],
    [t('fields.returnPath'), o.summary.returnPath]
  ]
  return (
    <Paper withBorder p="sm" data-testid="original-section">
      <Group gap="xs" mb={6}>
        <Title order={5}>{t('original.title')}</Title>
        {o.headersOnly && (
          <Badge variant="outline" color="gray">
            {t('original.headersOnly')}
          </Badge>
        )}
        {o.sendingIp && (
          <Badge variant="outline" color="gray" ff="monospace" tt="none">
            {o.sendingIp}
          </Badge>
        )}
      </Group>
      <Stack gap="sm">
        <Table withRowBorders={false} verticalSpacing={2} fz="sm">
          <Table.Tbody>
            {rows.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Td w={130} c="dimmed">
                  {k}
                </Table.Td>
                <Table.Td style={WRAP_ANYWHERE}>
                  {v ? (
                    <LongText text={v} limit={SUMMARY_VALUE_LIMIT} />
                  ) : (
                    <Text span c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <HopsPanel analysis={o} idPrefix="original-" />
        {o.antispam.vendors.length > 0 && <AntispamPanel report={o.antispam} />}
        <div>
          <Button
            size="xs"
            variant="subtle"
            onClick={() => setShowHeaders((s) => !s)}
            data-testid="original-headers-toggle"
          >
            {t('original.headers')} ({fmtNumber(o.headers.length)})
          </Button>
          <Collapse in={showHeaders}>{showHeaders && <HeadersPanel headers={o.headers} />}</Collapse>
        </div>
      </Stack>
    </Paper>
  )
}
