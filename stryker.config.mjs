// Mutation testing of the core's logic (npm run mutation; not part of npm test: it runs the unit tests once per
// mutant). The tests that exercise these folders run without servers or a browser.
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mts' },
  mutate: ['src/core/stats/**/*.ts', 'src/core/code/*.ts', 'src/core/analysis/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Module-level constants (regexes, tables) are evaluated once at import: each such mutant would rerun every
  // test, most of the time for a few percent of the mutants. They are left out of the score.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress'],
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
  // Stryker would prepend `// @ts-nocheck` to every file under test/, shifting the corpus apps' lines the route
  // tests check; vitest does not type-check anyway.
  disableTypeChecks: false,
  cleanTempDir: true,
};
