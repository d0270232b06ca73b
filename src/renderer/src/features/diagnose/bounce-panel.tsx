import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { BounceInfo } from '@shared/schemas/analysis'

/** One row per failed recipient (RFC 3464 §2.3): status, reply code, reason, remote server, its own words. */
export function BouncePanel({ bounce }: { bounce: BounceInfo | undefined }) {
  const { t } = useTranslation('diagnose')
  if (!bounce || bounce.recipients.length === 0) return null
  return (
    <Paper withBorder p="sm" data-testid="bounce-panel">
      <Group justify="space-between" mb={6}>
        <Title order={5}>{t('bounce.title')}</Title>
        <Badge variant="light" color="gray" tt="none">
          {t('bounce.format', { format: bounce.format })}
        </Badge>
      </Group>
      <Table fz="xs" verticalSpacing={4} striped layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="20%">{t('bounce.recipient')}</Table.Th>
            <Table.Th w={70}>{t('bounce.status')}</Table.Th>
            <Table.Th w={60}>{t('bounce.reply')}</Table.Th>
            <Table.Th w={130}>{t('bounce.reason')}</Table.Th>
            <Table.Th w="18%">{t('bounce.remoteMta')}</Table.Th>
            <Table.Th>{t('bounce.diagnostic')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {bounce.recipients.map((r, i) => (
            <Table.Tr key={i} data-testid="bounce-row">
              <Table.Td style={{ wordBreak: 'break-all' }}>{r.recipient || '—'}</Table.Td>
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
              <Table.Td style={{ wordBreak: 'break-all' }}>{r.remoteMta ?? '—'}</Table.Td>
              <Table.Td>
                <Text size="xs" lineClamp={3} title={r.diagnosticCode}>
                  {r.diagnosticCode ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}
