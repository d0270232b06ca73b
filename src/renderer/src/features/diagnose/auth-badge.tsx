import { Badge } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { CheckState } from '@shared/schemas/common'

/**
 * One authentication result as a badge. "not checked" / "could not check" are grey and say so in words: they are
 * never shown as a pass (green) nor as a fail (red) — the rule for honest reports.
 */
const COLOR: Record<CheckState, string> = {
  pass: 'green',
  fail: 'red',
  warn: 'orange',
  none: 'gray',
  not_checked: 'gray',
  could_not_check: 'gray'
}

/** RFC 8601 result words as a receiver writes them, mapped onto CheckState for colouring. */
export function stateOfRecorded(word: string): CheckState {
  const w = word.toLowerCase()
  if (w === 'pass' || w === 'bestguesspass') return 'pass'
  if (w === 'fail' || w === 'hardfail' || w === 'permerror') return 'fail'
  if (w === 'softfail' || w === 'neutral' || w === 'policy') return 'warn'
  if (w === 'temperror' || w === 'temperr') return 'could_not_check'
  return 'none'
}

export function AuthBadge({
  state,
  word,
  testId
}: {
  state: CheckState | null
  word?: string | null
  testId?: string
}) {
  const { t } = useTranslation('diagnose')
  if (state === null)
    return (
      <Badge color="gray" variant="outline" data-testid={testId} data-state="not_recorded" tt="none">
        {t('auth.notRecorded')}
      </Badge>
    )
  const label =
    state === 'not_checked'
      ? t('auth.notChecked')
      : state === 'could_not_check'
        ? t('auth.couldNotCheck')
        : (word ?? state)
  return (
    <Badge
      color={COLOR[state]}
      variant={state === 'not_checked' || state === 'could_not_check' ? 'outline' : 'light'}
      data-testid={testId}
      data-state={state}
      tt="none"
    >
      {label}
    </Badge>
  )
}
