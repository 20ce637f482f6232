package io.boxer.netlab.wan;

/** Where a queue's verdicts go: the kernel ({@link NfQueueSocket}), or a recorder in tests. Thread-safe. */
interface Verdicts {
  /** Lets every still-queued packet whose id is at most {@code id} go on. */
  void acceptUpTo(long id);

  /** Drops packet {@code id}. */
  void drop(long id);
}
