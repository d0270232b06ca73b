import { Alert, Paper, Table, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { Analysis } from '@shared/schemas/analysis'
import { LongText, WRAP_ANYWHERE } from '../../components/long-text'
import { fmtDate, useText } from '../../i18n'

/** Summary values are one-liners in honest mail; past this a value is cut, with "show all". */
export const SUMMARY_VALUE_LIMIT = 500

export function SummaryCard({ analysis: a }: { analysis: Analysis }) {
  const { t } = useTranslation()
  const tx = useText()
  // The test id names the field, never the translated label (stable in every language).
  const rows: [string, string, string | null | undefined][] = [
    ['from', t('fields.from'), a.summary.from],
    ['to', t('fields.to'), a.summary.to],
    ['subject', t('fields.subject'), a.summary.subject],
    ['date', t('fields.date'), a.summary.date ? fmtDate(a.summary.date) : null],
    ['messageId', t('fields.messageId'), a.summary.messageId],
    ['returnPath', t('fields.returnPath'), a.summary.returnPath]
  ]
  return (
    <Paper withBorder p="sm" data-testid="summary-card">
      <Title order={5} mb={6}>
        {t('summary.title')}
      </Title>
      {a.warnings.map((w, i) => (
        <Alert key={i} color="yellow" mb={6} p="xs">
          {tx(a.warningTexts?.[i], w)}
        </Alert>
      ))}
      <Table withRowBorders={false} verticalSpacing={2} fz="sm">
        <Table.Tbody>
          {rows.map(([id, k, v]) => (
            <Table.Tr key={id}>
              <Table.Td w={130} c="dimmed">
                {k}
              </Table.Td>
              <Table.Td style={WRAP_ANYWHERE} data-testid={`field-${id}`}>
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
    </Paper>
  )
}
