package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.MembershipView;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class MemberSetTest {

  @Test
  void of_containsIpv4AndIpv6Members() throws Exception {
    MembershipView view = MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 1}))
        .addMemberIps(ByteString.copyFrom(InetAddress.getByName("2001:db8::7").getAddress()))
        .setOwnIp(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 2}))
        .build();
    MemberSet set = MemberSet.of(view);
    assertThat(set.size()).isEqualTo(2);
    assertThat(set.contains(InetAddress.getByName("198.18.99.1"))).isTrue();
    assertThat(set.contains(InetAddress.getByName("2001:db8::7"))).isTrue();
    assertThat(set.contains(InetAddress.getByName("198.18.99.2"))).as("own ip is not a member").isFalse();
    assertThat(set.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void of_handsDepartedMembersToTheNodeToo_soTheirConnectsFailFast() throws Exception {
    MemberSet set = MemberSet.of(MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 1}))
        .addDepartedIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 3}))
        .build());
    assertThat(set.contains(InetAddress.getByName("198.18.99.3"))).isTrue();
    assertThat(set.size()).isEqualTo(2);
  }

  @Test
  void of_knowsTheSuspectedMembers_ignoringSuspicionsOfNonMembers_andCountingMalformedOnes() throws Exception {
    MemberSet set = MemberSet.of(MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 1}))
        .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 2}))
        .addSuspectedIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 2}))
        .addSuspectedIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 3}))
        .addSuspectedIps(ByteString.copyFrom(new byte[] {1, 2}))
        .build());

    assertThat(set.isSuspected(InetAddress.getByName("198.18.99.2"))).isTrue();
    assertThat(set.isSuspected(InetAddress.getByName("198.18.99.1"))).isFalse();
    assertThat(set.isSuspected(InetAddress.getByName("198.18.99.3"))).isFalse();
    assertThat(set.contains(InetAddress.getByName("198.18.99.3"))).isFalse();
    assertThat(set.rejected()).isEqualTo(1);
    assertThat(MemberSet.EMPTY.isSuspected(InetAddress.getByName("198.18.99.2"))).isFalse();
  }

  @Test
  void of_ipv4MappedEntry_matchesIpv4Address() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 198;
    mapped[13] = 18;
    mapped[14] = 5;
    mapped[15] = 9;
    MemberSet set = MemberSet.of(MembershipView.newBuilder().addMemberIps(ByteString.copyFrom(mapped)).build());
    assertThat(set.contains(InetAddress.getByName("198.18.5.9"))).isTrue();
  }

  @Test
  void of_malformedEntries_skippedAndCounted() throws Exception {
    MembershipView view = MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(new byte[] {1, 2, 3}))
        .addMemberIps(ByteString.EMPTY)
        .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 1}))
        .build();
    MemberSet set = MemberSet.of(view);
    assertThat(set.size()).isEqualTo(1);
    assertThat(set.rejected()).isEqualTo(2);
  }

  @Test
  void empty_containsNothing() throws Exception {
    assertThat(MemberSet.EMPTY.contains(InetAddress.getByName("198.18.99.1"))).isFalse();
    assertThat(MemberSet.of(MembershipView.getDefaultInstance()).size()).isZero();
  }
}
