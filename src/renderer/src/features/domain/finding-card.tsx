import { Badge, Group, Paper, Text } from '@mantine/core'
import { IconHelpCircle } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { useText } from '../../i18n'
import { isCouldNotCheck } from '@shared/contract/domain'
import type { Finding } from '@shared/schemas/common'
import { SEVERITY_COLOR } from './domain-ui'
import { RecordBlock } from './record-block'

/** One finding: severity, what it means, the record as it is, and the remedy with a corrected record to copy. */
export function FindingCard({ finding: f, compact }: { finding: Finding; compact?: boolean }) {
  const { t } = useTranslation('domain')
  const tx = useText()
  const unknown = isCouldNotCheck(f)
  return (
    <Paper
      withBorder
      p="xs"
      data-testid="domain-finding"
      data-finding-id={f.id}
      data-severity={f.severity}
      style={unknown ? { borderStyle: 'dashed', borderColor: 'var(--mantine-color-yellow-6)' } : undefined}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        {unknown ? (
          <Badge
            color="yellow"
            variant="outline"
            leftSection={<IconHelpCircle size={12} />}
            style={{ flexShrink: 0 }}
          >
            {t('state.could_not_check')}
          </Badge>
        ) : (
          <Badge
            color={SEVERITY_COLOR[f.severity]}
            variant={f.severity === 'critical' ? 'filled' : 'light'}
            style={{ flexShrink: 0 }}
          >
            {t(`severity.${f.severity}`)}
          </Badge>
        )}
        <Text fw={600} size="sm">
          {tx(f.titleText, f.title)}
        </Text>
      </Group>
      {!compact && (
        <>
          <Text size="sm" mt={4}>
            {tx(f.detailText, f.detail)}
          </Text>
          {f.current && (
            <RecordBlock label={t('finding.current')} text={f.current} testId="finding-current" />
          )}
          {f.fix && (
            <Text size="sm" mt={6}>
              <Text span fw={600}>
                {t('finding.fix')}{' '}
              </Text>
              {tx(f.fixText, f.fix)}
            </Text>
          )}
          {f.fixRecord && (
            <RecordBlock
              label={t('finding.corrected')}
              text={f.fixRecord}
              tone="fix"
              testId="finding-fix-record"
            />
          )}
        </>
      )}
    </Paper>
  )
}
