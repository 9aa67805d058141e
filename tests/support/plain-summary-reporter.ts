import type { Reporter, TestModule } from 'vitest/node';

// CI reads a plain "N passed, N failed" closing line; vitest's own summary ends with "Duration".
// Every skipped test says why (`skip(condition, why)` inside the test): the reasons are listed
// above that line, and a test skipped without one counts as failed.
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const reasons: string[] = [];
    for (const mod of testModules) {
      const tests = [...mod.children.allTests()];
      for (const test of tests) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') failed++;
        else {
          skipped++;
          const note = result.state === 'skipped' ? result.note : undefined;
          if (!note) failed++;
          reasons.push(`skipped: ${test.fullName}: ${note ?? 'NO REASON GIVEN (use skip(condition, why) in the test)'}`);
        }
      }
      // A file that fails to import has no failed test of its own: count it so the line never reads green.
      if (mod.state() === 'failed' && !tests.some((t) => t.result().state === 'failed')) failed++;
    }
    failed += unhandledErrors.length;
    if (reasons.length) process.stdout.write(`\n${reasons.join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
