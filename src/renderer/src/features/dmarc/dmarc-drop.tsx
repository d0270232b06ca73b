import { FileDropZone } from '../../components/file-drop-zone'
import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core'
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { IngestResult } from '@shared/schemas/dmarc'
import { useIngest } from './use-dmarc'

/** Drop zone for report files (.xml, .gz, .zip, .json, .eml, .msg): one error line per bad file, the rest stored. */
export function DmarcDrop({ onIngested }: { onIngested: (r: IngestResult) => void }) {
  const { t } = useTranslation('dmarc')
  const input = useRef<HTMLInputElement>(null)
  const { ingest, cancel, progress, result, errors } = useIngest(onIngested)
  return (
    <Stack gap="xs">
      <FileDropZone
        testId="dmarc-drop-zone"
        title={t('drop.title')}
        help={t('drop.help')}
        onFiles={(files) => void ingest(files)}
        actions={
          <Button variant="default" size="xs" onClick={() => input.current?.click()} data-testid="dmarc-pick">
            {t('drop.pick')}
          </Button>
        }
      >
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept=".xml,.gz,.zip,.json,.eml,.msg"
          data-testid="dmarc-file-input"
          onChange={(e) => {
            void ingest(Array.from(e.currentTarget.files ?? []))
            e.currentTarget.value = ''
          }}
        />
        {progress && (
          <Group mt="sm" gap="sm" data-testid="dmarc-progress">
            <Progress
              style={{ flex: 1 }}
              value={progress.total ? (progress.done / progress.total) * 100 : 0}
            />
            <Text size="xs">{t('drop.progress', { done: progress.done, total: progress.total })}</Text>
            <Button size="xs" variant="subtle" color="red" onClick={cancel} data-testid="dmarc-cancel">
              {t('drop.cancel')}
            </Button>
          </Group>
        )}
      </FileDropZone>
      {result && (
        <Alert color={result.reports ? 'green' : 'gray'} data-testid="dmarc-ingest-result">
          {t('drop.result', {
            reports: result.reports,
            records: result.records,
            messages: result.messages,
            duplicates: result.duplicates
          })}
        </Alert>
      )}
      {errors.map((e, i) => (
        <Alert key={i} color="red" data-testid="dmarc-ingest-error" data-code={e.code}>
          {t(`errors.${e.code.replace(/^dmarc\./, '')}`, {
            ...e.params,
            file: e.file,
            defaultValue: e.error
          })}
        </Alert>
      ))}
    </Stack>
  )
}
