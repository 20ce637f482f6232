package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.boxer.agent.fakenode.FakeNode;
import io.boxer.proto.agent.v1.MembershipView;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipWatcherTest {

  @TempDir
  Path dir;

  @Test
  void watcher_followsViewChangesAndReconnects() throws Exception {
    try (FakeNode node = new FakeNode(dir.resolve("agent.sock")).start();
         MembershipWatcher watcher = new MembershipWatcher(node.socket(), new Backoff(20, 100))) {
      node.setView(view(1));
      watcher.start();
      MemberSet first = watcher.currentOrAwaitFirst(5000);
      assertThat(first.contains(ip(1))).isTrue();

      node.setView(view(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> watcher.current().contains(ip(2)) && !watcher.current().contains(ip(1)));

      node.dropWatchers();
      node.setView(view(3));
      await().atMost(Duration.ofSeconds(5)).until(() -> watcher.current().contains(ip(3)));
      assertThat(node.watchRequests()).isEqualTo(2);
      assertThat(Thread.getAllStackTraces().keySet()).anyMatch(
          t -> t.getName().equals(MembershipWatcher.THREAD_NAME) && t.isDaemon());
    }
  }

  @Test
  void currentOrAwaitFirst_noNode_returnsEmptyWithoutWaitingLong() throws Exception {
    try (MembershipWatcher watcher = new MembershipWatcher(dir.resolve("none.sock"), new Backoff(1000, 1000))) {
      watcher.start();
      long start = System.nanoTime();
      assertThat(watcher.currentOrAwaitFirst(5000).size()).isZero();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
      assertThat(watcher.current()).isNull();
    }
  }

  @Test
  void currentOrAwaitFirst_slowNode_waitsOnlyOnce() throws Exception {
    try (FakeNode node = new FakeNode(dir.resolve("agent.sock")).start();
         MembershipWatcher watcher = new MembershipWatcher(node.socket(), new Backoff(20, 100))) {
      node.setSendViewOnWatch(false);
      watcher.start();
      long start = System.nanoTime();
      assertThat(watcher.currentOrAwaitFirst(200).size()).isZero();
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 2000L);
      start = System.nanoTime();
      assertThat(watcher.currentOrAwaitFirst(5000).size()).isZero();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
    }
  }

  @Test
  void close_stopsThread() throws Exception {
    try (FakeNode node = new FakeNode(dir.resolve("agent.sock")).start()) {
      MembershipWatcher watcher = new MembershipWatcher(node.socket(), new Backoff(20, 100));
      watcher.start();
      watcher.currentOrAwaitFirst(5000);
      watcher.close();
      assertThat(watcher.awaitStopped(5000)).isTrue();
    }
  }

  private static MembershipView view(int last) {
    return MembershipView.newBuilder().addMemberIps(ByteString.copyFrom(ip(last).getAddress())).build();
  }

  private static InetAddress ip(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 198, 18, 99, (byte) last});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
