// The unit tests that exercise src/core's logic without servers or a browser: what mutation testing runs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/analysis.test.ts',
      'test/unit/codeMapping.test.ts',
      'test/unit/routeIndex.test.ts',
      'test/unit/lensNumbers.test.ts',
      'test/unit/traceListing.test.ts',
      'test/unit/fixtures.test.ts',
      'test/unit/waterfallRows.test.ts',
      'test/unit/codeStats.test.ts',
      'test/unit/latencySketch.test.ts',
      'test/unit/functionOutline.test.ts',
      'test/unit/stackTrace.test.ts',
      'test/unit/codeIndex.test.ts',
      'test/unit/routeCorpus.test.ts',
      'test/unit/clueResolution.test.ts',
      'test/unit/analysisNumbers.test.ts',
      'test/unit/expressRoutes.test.ts',
      'test/unit/pythonRoutes.test.ts',
      'test/unit/railsRoutes.test.ts',
      'test/unit/goAndAspNetRoutes.test.ts',
      'test/unit/djangoRoutes.test.ts',
      'test/unit/sourceText.test.ts',
      'test/unit/routeMatching.test.ts',
      'test/unit/routeSpacing.test.ts',
      'test/unit/routeDetails.test.ts',
      'test/unit/moduleLookup.test.ts',
      'test/unit/springRoutes.test.ts',
      'test/unit/routeWorker.test.ts',
    ],
    testTimeout: 60_000,
  },
});
