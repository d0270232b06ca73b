import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off'
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' }
  },
  {
    // Only src/main/index.ts (and the IPC adapter) may touch Electron: everything else must run in the web host and CLI.
    files: ['src/main/**/*.ts', 'src/shared/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/index.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          // tsx (CLI, scripts) does not resolve the @shared alias: node-side code imports src/shared relatively.
          patterns: [
            { group: ['@shared/*', '@renderer/*'], message: 'Use a relative import on the node side.' }
          ]
        }
      ]
    }
  }
)
