import { Paper, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'

/** Standalone blocklist sweep of any IP or domain. */
export function BlocklistView(_props: { initialTarget?: string }) {
  const { t } = useTranslation()
  return (
    <Paper withBorder p="md">
      <Title order={3}>{t('nav.blocklists')}</Title>
      <Text c="dimmed">…</Text>
    </Paper>
  )
}
