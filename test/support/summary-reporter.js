// Prints the plain closing line CI reads: "N passed, N failed". A suite that could not run
// (a load error, a failing beforeAll) counts as failed even when it reported no test.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const brokenSuites = results.testResults.filter((suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0)).length;
    const failed = results.numFailedTests + brokenSuites;
    process.stderr.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
