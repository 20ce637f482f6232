package io.boxer.bench.paper;

import io.boxer.examples.load.LoadReport;

/**
 * One round of connects per second with many threads ({@code ConnectLoad} from the examples, its result line read
 * back): through Boxer or native, in one lab.
 *
 * @param delay the lab's added round trip
 * @param boxer through Boxer (fn1 to fn2) rather than native (fn1 to a VM)
 * @param round the round of the interleaved schedule
 * @param report the load's result
 */
record ConnectRate(String delay, boolean boxer, int round, LoadReport report) {
  /** Successful connects (connect, echo a line, close) per second of the load's wall time. */
  double perSecond() {
    return report.outcomes().ok() * 1000.0 / Math.max(1, report.elapsedMillis());
  }

  int failed() {
    LoadReport.Outcomes o = report.outcomes();
    return o.refused() + o.timedOut() + o.other() + o.unfinished();
  }
}
