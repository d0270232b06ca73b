import { Alert, Paper, Table, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { Analysis } from '@shared/schemas/analysis'
import { fmtDate } from '../../i18n'

export function SummaryCard({ analysis: a }: { analysis: Analysis }) {
  const { t } = useTranslation()
  const rows: [string, string | null | undefined][] = [
    [t('fields.from'), a.summary.from],
    [t('fields.to'), a.summary.to],
    [t('fields.subject'), a.summary.subject],
    [t('fields.date'), a.summary.date ? fmtDate(a.summary.date) : null],
    [t('fields.messageId'), a.summary.messageId],
    [t('fields.returnPath'), a.summary.returnPath]
  ]
  return (
    <Paper withBorder p="sm" data-testid="summary-card">
      <Title order={5} mb={6}>
        {t('summary.title')}
      </Title>
      {a.warnings.map((w, i) => (
        <Alert key={i} color="yellow" mb={6} p="xs">
          {w}
        </Alert>
      ))}
      <Table withRowBorders={false} verticalSpacing={2} fz="sm">
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w={130} c="dimmed">
                {k}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }} data-testid={`field-${k}`}>
                {v ?? (
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
