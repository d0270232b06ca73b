import { Table, type TableProps } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Fragment, useRef } from 'react'

/** Up to this many rows a table is drawn whole (every honest message); beyond it, only the visible window is. */
export const WINDOW_THRESHOLD = 100

/** Spread on the row's <Table.Tr>: lets the window measure rows of any height. */
export interface RowProps {
  ref?: (el: Element | null) => void
  'data-index'?: number
}

/**
 * A Mantine table whose body is windowed once it has more than `threshold` rows: a 10,000-hop chain or a DSN with
 * 10,000 recipients keeps a few dozen rows in the DOM, in a scroll box of its own, while the scroll bar still spans
 * every row. Below the threshold it is the plain table it always was.
 */
export function VirtualTable<T>({
  items,
  head,
  row,
  estimateRowHeight = 34,
  maxHeight = 480,
  threshold = WINDOW_THRESHOLD,
  scrollTestId,
  boxed = false,
  ...tableProps
}: {
  items: readonly T[]
  head?: React.ReactNode
  row: (item: T, index: number, rowProps: RowProps) => React.ReactNode
  estimateRowHeight?: number
  maxHeight?: number
  threshold?: number
  scrollTestId?: string
  /** Keep even a short table inside a `maxHeight` scroll box (the raw headers always were). */
  boxed?: boolean
} & Omit<TableProps, 'children'>) {
  if (items.length <= threshold) {
    const table = (
      <Table {...tableProps}>
        {head && <Table.Thead>{head}</Table.Thead>}
        <Table.Tbody>{items.map((item, i) => row(item, i, {}))}</Table.Tbody>
      </Table>
    )
    return boxed ? (
      // Focusable so the keyboard can scroll it (WCAG 2.1.1; axe scrollable-region-focusable).
      <div style={{ maxHeight, overflow: 'auto' }} data-testid={scrollTestId} tabIndex={0}>
        {table}
      </div>
    ) : (
      table
    )
  }
  return (
    <Windowed
      items={items}
      head={head}
      row={row}
      estimateRowHeight={estimateRowHeight}
      maxHeight={maxHeight}
      scrollTestId={scrollTestId}
      tableProps={tableProps}
    />
  )
}

function Windowed<T>({
  items,
  head,
  row,
  estimateRowHeight,
  maxHeight,
  scrollTestId,
  tableProps
}: {
  items: readonly T[]
  head?: React.ReactNode
  row: (item: T, index: number, rowProps: RowProps) => React.ReactNode
  estimateRowHeight: number
  maxHeight: number
  scrollTestId?: string
  tableProps: Omit<TableProps, 'children'>
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const v = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    overscan: 10
  })
  const visible = v.getVirtualItems()
  const first = visible[0]?.index ?? 0
  const top = visible[0]?.start ?? 0
  const bottom = visible.length ? v.getTotalSize() - visible[visible.length - 1].end : 0
  return (
    <div
      ref={scrollRef}
      style={{ maxHeight, overflow: 'auto', overscrollBehavior: 'contain' }}
      tabIndex={0}
      data-testid={scrollTestId}
      data-windowed={items.length}
    >
      {/* Fixed layout: column widths must not jump as different rows scroll into the window. */}
      <Table {...tableProps} layout="fixed">
        {head && (
          <Table.Thead
            style={{ position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)' }}
          >
            {head}
          </Table.Thead>
        )}
        <Table.Tbody>
          {/* Spacers stand in for the rows above and below the window. Striping counts rows with nth-of-type,
              so an extra empty spacer keeps row i's stripe the same wherever the window starts. */}
          {first > 0 && <tr aria-hidden style={{ height: top }} />}
          {first > 0 && first % 2 === 0 && <tr aria-hidden style={{ height: 0 }} />}
          {visible.map((vi) => (
            <Fragment key={vi.key}>
              {row(items[vi.index], vi.index, { ref: v.measureElement, 'data-index': vi.index })}
            </Fragment>
          ))}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </Table.Tbody>
      </Table>
    </div>
  )
}
