package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class FollowerGraphTest {
  @Test
  void followees_areTenDistinctOthersInRange() {
    FollowerGraph graph = new FollowerGraph(300);
    for (int user = 0; user < 300; user++) {
      SortedSet<Integer> followees = graph.followees(user);
      assertThat(followees).hasSize(FollowerGraph.FOLLOWS_PER_USER).doesNotContain(user);
      assertThat(followees.first()).isGreaterThanOrEqualTo(0);
      assertThat(followees.last()).isLessThan(300);
    }
  }

  @Test
  void followees_sameInputs_sameGraph() {
    for (int user = 0; user < 300; user++) {
      assertThat(new FollowerGraph(300).followees(user)).isEqualTo(new FollowerGraph(300).followees(user));
    }
  }

  @Test
  void followees_arePinned_soSeededRedisAndVerifierAgreeAcrossVersions() {
    // Changing the algorithm would make a Redis seeded by an older build disagree with the verifier.
    assertThat(new FollowerGraph(300).followees(0)).containsExactly(PINNED_USER_0_OF_300);
  }

  @Test
  void followees_differBetweenUsers() {
    FollowerGraph graph = new FollowerGraph(300);
    assertThat(graph.followees(0)).isNotEqualTo(graph.followees(1));
  }

  @Test
  void followees_fewUsers_followsEveryoneElse() {
    FollowerGraph graph = new FollowerGraph(4);
    assertThat(graph.followees(2)).containsExactly(0, 1, 3);
  }

  @Test
  void followees_userOutOfRange_isRejected() {
    assertThatThrownBy(() -> new FollowerGraph(10).followees(10)).hasMessage("userId : 10 (expected: 0..9)");
  }

  @Test
  void username_isUserUnderscoreId() {
    assertThat(FollowerGraph.username(7)).isEqualTo("user_7");
  }

  private static final Integer[] PINNED_USER_0_OF_300 = {7, 10, 13, 30, 91, 98, 113, 119, 234, 283};
}
