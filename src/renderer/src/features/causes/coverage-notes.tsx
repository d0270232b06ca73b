import { Alert, Box, Button, Collapse, List, Stack, Text } from '@mantine/core'
import { IconHelpCircle } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CoverageNote } from '@shared/schemas/workflow'
import { fmtDate, useText } from '../../i18n'

/**
 * Checks that gave no usable answer, in a block of their own: never a to-do, never resolved, never "clean"
 * (guide: "could not check" is coverage). The text and advice come from the backend as Texts.
 */
export function CoverageNotes({
  notes,
  checks
}: {
  notes: CoverageNote[]
  checks?: CoverageNote['check'][]
}) {
  const { t } = useTranslation('workflow')
  const shown = checks ? notes.filter((n) => checks.includes(n.check)) : notes
  if (shown.length === 0) return null
  return (
    <Alert
      color="yellow"
      variant="outline"
      icon={<IconHelpCircle size={18} />}
      title={t('coverage.title')}
      data-testid="coverage-notes"
    >
      <Text size="xs" c="dimmed" mb={6}>
        {t('coverage.hint')}
      </Text>
      <Stack gap="xs">
        {shown.map((n, i) => (
          <CoverageItem key={`${n.check}-${n.at}-${i}`} note={n} />
        ))}
      </Stack>
    </Alert>
  )
}

function CoverageItem({ note: n }: { note: CoverageNote }) {
  const { t } = useTranslation('workflow')
  const tx = useText()
  const [open, setOpen] = useState(false)
  const id = useId()
  return (
    <Box data-testid="coverage-note" data-check={n.check}>
      <Text size="sm" data-testid="coverage-text">
        {tx(n.text)}{' '}
        <Text span size="xs" c="dimmed">
          ({t(`verify.check.${n.check}`)}, {fmtDate(n.at)})
        </Text>
      </Text>
      {n.advice && (
        <Text size="sm" mt={2} data-testid="coverage-advice">
          {tx(n.advice)}
        </Text>
      )}
      {n.items.length > 0 && (
        <>
          <Button
            size="compact-xs"
            variant="subtle"
            color="yellow"
            px={4}
            mt={2}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls={id}
            data-testid="coverage-expand"
          >
            {open ? t('causes.hideItems') : t('causes.showItems', { count: n.items.length })}
          </Button>
          <Collapse in={open} id={id}>
            {open && (
              <List size="xs" spacing={0} data-testid="coverage-items">
                {n.items.map((x) => (
                  <List.Item key={x}>{x}</List.Item>
                ))}
              </List>
            )}
          </Collapse>
        </>
      )}
    </Box>
  )
}
