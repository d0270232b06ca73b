import { Paper, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'

/** The delisting board across cases, grouped by status. */
export function BoardView(_props: { go: (path: string) => void }) {
  const { t } = useTranslation()
  return (
    <Paper withBorder p="md">
      <Title order={3}>{t('nav.board')}</Title>
      <Text c="dimmed">…</Text>
    </Paper>
  )
}
