import { Paper, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'

/** Standalone "Check a domain" view. */
export function DomainView(_props: { initialDomain?: string }) {
  const { t } = useTranslation()
  return (
    <Paper withBorder p="md">
      <Title order={3}>{t('nav.domain')}</Title>
      <Text c="dimmed">…</Text>
    </Paper>
  )
}
