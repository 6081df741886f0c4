package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the kernel's per-socket drop counts for one port. */
class UdpSocketDropsTest {
  private static final String TABLE =
      """
         sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
      11844: 0100007F:1B39 00000000:0000 07 00000000:00033300 00:00000000 00000000     0        0 983039 2 000000006535e6e2 17
      11845: 00000000:1B39 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 983040 2 000000006535e6e3 25
      11846: 0100007F:1B3A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 983041 2 000000006535e6e4 1000
      """;

  @Test
  void theDropsOfEverySocketOnThePortAddUpAndOtherPortsDoNot() {
    assertThat(UdpSocketDrops.dropsOn(TABLE, 6969)).isEqualTo(42); // 0x1B39
    assertThat(UdpSocketDrops.dropsOn(TABLE, 6970)).isEqualTo(1000);
    assertThat(UdpSocketDrops.dropsOn(TABLE, 80)).isZero();
  }

  @Test
  void ipv6LinesAreReadAlike() {
    String v6 =
        "  sl  local_address                         remote_address                        st"
            + " tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
            + "  812: 00000000000000000000000000000000:1B39 00000000000000000000000000000000:0000"
            + " 07 00000000:00000000 00:00000000 00000000     0        0 984516 2"
            + " 00000000aeffb08c 5\n";
    assertThat(UdpSocketDrops.dropsOn(v6, 6969)).isEqualTo(5);
  }
}
