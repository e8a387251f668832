// Lint: the layer rules (no vscode in core or the webview; no Node built-ins in the webview) and promises that
// nobody awaits or catches (an unhandled rejection in the extension host is lost silently). Type-aware.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'zlib', 'child_process', 'worker_threads', 'crypto', 'stream', 'url', 'util'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'media/**',
      'node_modules/**',
      'test/corpus/**',
      'demo/**',
      'bench-data/**',
      '**/*.mjs',
      'test/artifacts/**',
      'test/sample-workspace/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-debugger': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/webview/**/*.ts', 'src/protocol/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'core, cli, protocol and webview code must not import vscode (see design.md: layers)' }] },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'the webview has no vscode module' }],
          patterns: [{ group: NODE_BUILTINS, message: 'the webview runs in a browser: no Node built-ins' }],
        },
      ],
    },
  },
);
