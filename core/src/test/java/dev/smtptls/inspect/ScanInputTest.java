package dev.smtptls.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanInputTest {

  @Test
  void linesKeepTheirNumbersAndBadLinesCarryTheError() {
    List<ScanInput> in = new ArrayList<>();
    ScanInput.lines(List.of("mx1.example.org", "", "# comment", "[2001:db8::1]:2525", "bad host!", "h:99999").iterator())
        .forEachRemaining(in::add);

    assertThat(in).extracting(ScanInput::index).containsExactly(1L, 4L, 5L, 6L);
    assertThat(in.get(0).target()).isEqualTo(SmtpTarget.of("mx1.example.org", 25));
    assertThat(in.get(1).target()).isEqualTo(SmtpTarget.of("2001:db8::1", 2525));
    assertThat(in.get(2).target()).isNull();
    assertThat(in.get(2).error()).contains("not a valid host name");
    assertThat(in.get(3).error()).contains("port");
  }

  @Test
  void linesArePulledOneAtATime() {
    int[] read = {0};
    Iterator<String> source = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        read[0]++;
        return "127.0.0.1";
      }
    };
    Iterator<ScanInput> it = ScanInput.lines(source);
    it.next();
    it.next();
    assertThat(read[0]).isEqualTo(2);
  }

  @Test
  void targetsAreNumberedFromOne() {
    Iterator<ScanInput> it = ScanInput.targets(List.of(SmtpTarget.of("::1", 25), SmtpTarget.of("a.test", 2525)).iterator());
    assertThat(it.next()).extracting(ScanInput::index, ScanInput::text).containsExactly(1L, "[" + SmtpTarget.of("::1").host() + "]:25");
    assertThat(it.next()).extracting(ScanInput::index, ScanInput::text).containsExactly(2L, "a.test:2525");
  }

  @Test
  void exactlyOneOfTargetAndError() {
    assertThatThrownBy(() -> new ScanInput(1, "x", null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScanInput(0, "x", null, "e")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScanResult(ScanInput.parse(1, "x!"), null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
