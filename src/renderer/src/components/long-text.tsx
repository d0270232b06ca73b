import { Box, Button, Text } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fmtNumber } from '../i18n'

/** How much of a message-supplied value is drawn before "show all": enough for any honest header or subject. */
export const LONG_TEXT_LIMIT = 2_000

/**
 * Wrapping for values from mail: break anywhere (a 1 MB token has no break opportunity of its own), keep line
 * breaks, never widen the page.
 */
export const WRAP_ANYWHERE: React.CSSProperties = {
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
  wordBreak: 'normal',
  minWidth: 0
}

/** The "Show all (N characters)" / "Show less" toggle, shared by every cut value (LongText, QuotedText). */
export function ShowAllButton({
  expanded,
  length,
  onToggle
}: {
  expanded: boolean
  length: number
  onToggle: () => void
}) {
  const { t } = useTranslation()
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      onClick={onToggle}
      data-testid={expanded ? 'long-text-less' : 'long-text-more'}
    >
      {expanded ? t('longText.showLess') : t('longText.showAll', { size: fmtNumber(length) })}
    </Button>
  )
}

/**
 * A value from a message, drawn cut at `limit` characters: a 1 MB subject or header line costs the layout engine
 * seconds, so only its start is drawn, and the whole value is created only when asked for (then inside a bounded
 * scroll box). `render` decorates the visible part (e.g. search highlights) without seeing the rest.
 */
export function LongText({
  text,
  limit = LONG_TEXT_LIMIT,
  render = (s) => s,
  ff,
  size
}: {
  text: string
  limit?: number
  render?: (shown: string) => React.ReactNode
  ff?: 'monospace'
  size?: 'xs' | 'sm'
}) {
  const [expanded, setExpanded] = useState(false)
  if (text.length <= limit)
    return (
      <Text span inherit ff={ff} size={size} style={WRAP_ANYWHERE} data-testid="long-text-value">
        {render(text)}
      </Text>
    )
  return (
    <Box style={{ minWidth: 0 }}>
      {expanded ? (
        <Box
          mah={320}
          style={{ overflow: 'auto', ...WRAP_ANYWHERE }}
          ff={ff}
          fz={size}
          data-testid="long-text-full"
        >
          {text}
        </Box>
      ) : (
        <Text span inherit ff={ff} size={size} style={WRAP_ANYWHERE} data-testid="long-text-value">
          {render(text.slice(0, limit))}…
        </Text>
      )}
      <div>
        <ShowAllButton expanded={expanded} length={text.length} onToggle={() => setExpanded((x) => !x)} />
      </div>
    </Box>
  )
}
