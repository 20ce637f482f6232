package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassListMergeTest {
  private static final List<String> JDK_DEFAULT = List.of(
      "# NOTE: Do not modify this file.",
      "java/lang/Object",
      "java/lang/String",
      "@lambda-proxy java/lang/invoke/Foo run ()Ljava/lang/Runnable;",
      "java/util/ArrayList");

  @Test
  void theJdksDefaultListComesFirst_asItIs_thenWhatTheRunLoadedBeyondIt() {
    List<String> run = List.of(
        "# NOTE: Do not modify this file.",
        "java/lang/Object id: 0",
        "sun/nio/ch/NioSocketImpl id: 812",
        "java/util/ArrayList id: 3",
        "sun/nio/ch/UnixDomainSockets id: 900",
        "");

    assertThat(ClassListMerge.merge(JDK_DEFAULT, run)).containsExactly(
        "java/lang/Object",
        "java/lang/String",
        "@lambda-proxy java/lang/invoke/Foo run ()Ljava/lang/Runnable;",
        "java/util/ArrayList",
        "sun/nio/ch/NioSocketImpl",
        "sun/nio/ch/UnixDomainSockets");
  }

  @Test
  void theAgentsOwnClasses_otherLoadersClasses_andKnownDirectives_areLeftOut_newDirectivesGoLast() {
    List<String> run = List.of(
        "sun/nio/ch/NioSocketImpl id: 812",
        "io/boxer/agent/internal/AgentInstaller id: 813",
        "io/boxer/agent/shaded/asm/ClassReader id: 814",
        "com/example/Plugin id: 815 super: 0 source: /tmp/plugin.jar",
        "@lambda-proxy java/lang/invoke/Foo run ()Ljava/lang/Runnable;",
        "@lambda-proxy io/boxer/agent/internal/MembershipWatcher run ()Ljava/lang/Runnable;",
        "@cp sun/nio/ch/NioSocketImpl 12 15",
        "java/net/UnixDomainSocketAddress id: 816");

    assertThat(ClassListMerge.merge(JDK_DEFAULT, run)).containsExactly(
        "java/lang/Object",
        "java/lang/String",
        "@lambda-proxy java/lang/invoke/Foo run ()Ljava/lang/Runnable;",
        "java/util/ArrayList",
        "sun/nio/ch/NioSocketImpl",
        "java/net/UnixDomainSocketAddress",
        "@cp sun/nio/ch/NioSocketImpl 12 15");
  }

  @Test
  void withoutADefaultList_theRunsJdkClassesAloneMakeTheList() {
    assertThat(ClassListMerge.merge(List.of(), List.of("java/lang/Object id: 0", "java/lang/Object id: 0",
        "io/boxer/agent/BoxerAgent id: 1"))).containsExactly("java/lang/Object");
  }
}
