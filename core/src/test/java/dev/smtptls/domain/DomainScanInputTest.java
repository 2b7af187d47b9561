package dev.smtptls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainScanInputTest {

  @Test
  void aDomainIsNormalisedAndAnythingElseCarriesItsError() {
    DomainScanInput ok = DomainScanInput.parse(3, "  Example.ORG.  ");
    assertThat(ok.domain()).isEqualTo("example.org");
    assertThat(ok.text()).isEqualTo("Example.ORG.");
    assertThat(ok.error()).isNull();

    DomainScanInput mail = DomainScanInput.parse(4, "postmaster@example.org");
    assertThat(mail.domain()).isNull();
    assertThat(mail.error()).contains("postmaster@example.org");
    assertThat(DomainScanInput.parse(5, "example.org:25").error()).contains("not a domain name");
  }

  @Test
  void linesSkipBlanksAndCommentsAndKeepTheirNumbers() {
    Iterator<DomainScanInput> it = DomainScanInput.lines(List.of("# list", "a.test", "", "b..test", "  c.test").iterator());
    List<DomainScanInput> all = new ArrayList<>();
    it.forEachRemaining(all::add);
    assertThat(all).extracting(DomainScanInput::index).containsExactly(2L, 4L, 5L);
    assertThat(all).extracting(DomainScanInput::domain).containsExactly("a.test", null, "c.test");
  }

  @Test
  void domainsAreNumberedFromOne() {
    List<DomainScanInput> all = new ArrayList<>();
    DomainScanInput.domains(List.of("a.test", "b.test").iterator()).forEachRemaining(all::add);
    assertThat(all).extracting(DomainScanInput::index).containsExactly(1L, 2L);
  }

  @Test
  void exactlyOneOfDomainAndErrorIsRequired() {
    assertThatThrownBy(() -> new DomainScanInput(1, "x", null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DomainScanInput(0, "x", "x", null)).hasMessageContaining("index");
  }
}
