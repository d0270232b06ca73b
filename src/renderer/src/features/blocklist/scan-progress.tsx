import { Button, Group, Paper, Progress, Text } from '@mantine/core'
import { IconPlayerStop } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { fmtNumber } from '../../i18n'
import type { ScanProgress } from './use-scan'

/** N of M queries with a Cancel button; before the first answer the lists are being self-tested (RFC 5782 §5). */
export function ScanProgressBar({ progress, onCancel }: { progress: ScanProgress; onCancel: () => void }) {
  const { t } = useTranslation('blocklist')
  const { done, total } = progress
  const pct = total > 0 ? (done / total) * 100 : 100
  return (
    <Paper withBorder p="sm" data-testid="bl-progress">
      <Group justify="space-between" mb={6}>
        <Text size="sm">
          {total > 0
            ? t('progress.queries', { done: fmtNumber(done), total: fmtNumber(total) })
            : t('progress.selfTest')}
        </Text>
        <Button
          size="xs"
          variant="default"
          color="red"
          leftSection={<IconPlayerStop size={14} />}
          onClick={onCancel}
          data-testid="bl-cancel"
        >
          {t('progress.cancel')}
        </Button>
      </Group>
      <Progress value={pct} animated={total === 0} striped={total === 0} aria-label={t('progress.label')} />
    </Paper>
  )
}
