package io.boxer.deathstar.load;

import java.util.List;
import java.util.OptionalInt;

/**
 * When a run is back in steady state after a change: the start of the first window of {@value #WINDOW_SECONDS}
 * whole seconds, at or after the change, from which on every such window (to the end of the run) has its
 * successful answers within {@value #TOLERANCE_PERCENT}% of the requests offered in the same window. Comparing with
 * what was offered in the window, not with the nominal rate, keeps the Poisson arrivals' own noise out; asking
 * every later window too keeps a backlog's catch-up (a deficit and a surplus that average out) from counting.
 * The run's last {@value #EDGE_SECONDS} s are left out: requests offered there are still in flight when the
 * timeline ends, so their answers are never counted.
 */
public final class SteadyState {
  public static final int WINDOW_SECONDS = 5;
  public static final int TOLERANCE_PERCENT = 5;
  public static final int EDGE_SECONDS = 1;

  private SteadyState() {}

  /**
   * @param fromSecond the change, in seconds from the timeline's origin
   * @return the window's first second, or empty if the last window of the run is not steady
   */
  public static OptionalInt after(List<TimelineFile.Second> seconds, int fromSecond) {
    OptionalInt steadyFrom = OptionalInt.empty();
    for (int start = seconds.size() - EDGE_SECONDS - WINDOW_SECONDS; start >= Math.max(0, fromSecond); start--) {
      if (!steady(seconds, start)) {
        break;
      }
      steadyFrom = OptionalInt.of(start);
    }
    return steadyFrom;
  }

  private static boolean steady(List<TimelineFile.Second> seconds, int start) {
    long offered = 0;
    long succeeded = 0;
    for (int i = start; i < start + WINDOW_SECONDS; i++) {
      offered += seconds.get(i).offered();
      succeeded += seconds.get(i).succeeded();
    }
    return offered > 0 && Math.abs(succeeded - offered) * 100 <= offered * TOLERANCE_PERCENT;
  }
}
