package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link RbldnsdServer}'s builder refuses before any process is started. */
class RbldnsdServerTest {

  @TempDir Path dir;

  @Test
  void missingProgramFailsNamingTheDebianPackage() {
    Path nowhere = dir.resolve("no-such-rbldnsd");
    assertThatThrownBy(() -> RbldnsdServer.builder().executable(nowhere).zone("bl.test").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rbldnsd is not installed")
        .hasMessageContaining(nowhere.toString())
        .hasMessageContaining("apt-get install rbldnsd");
  }

  @Test
  void propertyPointingNowhereFailsTheSameWay() {
    String old = System.getProperty(RbldnsdServer.EXECUTABLE_PROPERTY);
    System.setProperty(RbldnsdServer.EXECUTABLE_PROPERTY, dir.resolve("absent").toString());
    try {
      assertThatThrownBy(() -> RbldnsdServer.builder().zone("bl.test").start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rbldnsd is not installed")
          .hasMessageContaining("absent");
    } finally {
      if (old == null) {
        System.clearProperty(RbldnsdServer.EXECUTABLE_PROPERTY);
      } else {
        System.setProperty(RbldnsdServer.EXECUTABLE_PROPERTY, old);
      }
    }
  }

  @Test
  void noZoneIsRefused() {
    assertThatThrownBy(() -> RbldnsdServer.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no zone");
  }

  @Test
  void malformedListingsAreRefusedNamingWhatIsWrong() {
    RbldnsdServer.Builder b = RbldnsdServer.builder();
    assertThatThrownBy(() -> b.listed("bl.test", "mail.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mail.example.com");
    assertThatThrownBy(() -> b.listed("bl.test", "192.0.2.300"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.listed("bl.test", "198.51.100.7/24"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host bits");
    assertThatThrownBy(() -> b.listed("bl.test", "198.51.100.0/33"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix length");
    assertThatThrownBy(() -> b.listed("bl.test", "2001:db8::1/48"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host bits");
    assertThatThrownBy(() -> b.listed("bl.test", "192.0.2.1", "::1", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("code");
    assertThatThrownBy(() -> b.listed("bl.test", "192.0.2.1", "127.0.0.2", "two\nlines"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> b.listed("bad..zone", "192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad..zone");
    assertThatThrownBy(() -> b.zone("white space"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.listed("bl.test.", "2001:db8::/64")).isSameAs(b);
  }
}
