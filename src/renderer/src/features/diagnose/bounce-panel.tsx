import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { BounceInfo } from '@shared/schemas/analysis'
import { WRAP_ANYWHERE } from '../../components/long-text'
import { VirtualTable } from '../../components/virtual-table'
import { fmtNumber } from '../../i18n'

/** A tooltip is for reading a diagnostic, not for carrying a megabyte of it into the DOM. */
const TITLE_MAX = 1_000

/**
 * One row per failed recipient (RFC 3464 §2.3): status, reply code, reason, remote server, its own words. A DSN
 * listing thousands of recipients is windowed; the count above the table is always the full one.
 */
export function BouncePanel({ bounce }: { bounce: BounceInfo | undefined }) {
  const { t } = useTranslation('diagnose')
  if (!bounce || bounce.recipients.length === 0) return null
  const count = bounce.recipients.length
  return (
    <Paper withBorder p="sm" data-testid="bounce-panel">
      <Group justify="space-between" mb={6}>
        <Title order={5}>{t('bounce.title')}</Title>
        <Group gap="xs">
          <Badge variant="light" tt="none" data-testid="bounce-count">
            {t('bounce.count', { count, n: fmtNumber(count) })}
          </Badge>
          <Badge variant="light" color="gray" tt="none">
            {t('bounce.format', { format: bounce.format })}
          </Badge>
        </Group>
      </Group>
      <VirtualTable
        items={bounce.recipients}
        fz="xs"
        verticalSpacing={4}
        striped
        layout="fixed"
        estimateRowHeight={40}
        scrollTestId="bounce-table-scroll"
        head={
          <Table.Tr>
            <Table.Th w="20%">{t('bounce.recipient')}</Table.Th>
            <Table.Th w={70}>{t('bounce.status')}</Table.Th>
            <Table.Th w={60}>{t('bounce.reply')}</Table.Th>
            <Table.Th w={130}>{t('bounce.reason')}</Table.Th>
            <Table.Th w="18%">{t('bounce.remoteMta')}</Table.Th>
            <Table.Th>{t('bounce.diagnostic')}</Table.Th>
          </Table.Tr>
        }
        row={(r, i, rowProps) => (
          <Table.Tr key={i} {...rowProps} data-testid="bounce-row">
            <Table.Td style={WRAP_ANYWHERE}>{r.recipient || '—'}</Table.Td>
            <Table.Td ff="monospace" data-testid="bounce-status">
              {r.status || '—'}
            </Table.Td>
            <Table.Td ff="monospace" data-testid="bounce-reply">
              {r.replyCode || '—'}
            </Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" color={r.hardBounce === false ? 'yellow' : 'red'} tt="none">
                {r.reason}
              </Badge>
            </Table.Td>
            <Table.Td style={WRAP_ANYWHERE}>{r.remoteMta ?? '—'}</Table.Td>
            <Table.Td>
              <Text
                size="xs"
                lineClamp={3}
                title={r.diagnosticCode?.slice(0, TITLE_MAX)}
                style={WRAP_ANYWHERE}
              >
                {r.diagnosticCode?.slice(0, TITLE_MAX) ?? '—'}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Paper>
  )
}
