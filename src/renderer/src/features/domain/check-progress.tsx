import { Progress, Stack, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { CheckProgress } from './use-domain-check'

/** One step per mechanism (SPF, DKIM, …): the bar moves as each finishes, slow DNS shows where it waits. */
export function CheckProgressBar({ progress }: { progress: CheckProgress }) {
  const { t } = useTranslation('domain')
  return (
    <Stack gap={4} data-testid="domain-progress">
      <Progress value={(progress.done / Math.max(1, progress.total)) * 100} animated striped />
      <Text size="xs" c="dimmed">
        {progress.done === 0
          ? t('progress.start')
          : t('progress.step', { step: progress.label, done: progress.done, total: progress.total })}
      </Text>
    </Stack>
  )
}
