package dev.smtptls.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.smtp.SmtpReply;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {

  private final List<String> seen = new ArrayList<>();

  private ReplyReader reader(String wire) {
    return reader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
  }

  private ReplyReader reader(InputStream in) {
    return new ReplyReader(new SmtpLineReader(in, SmtpLineReader.DEFAULT_MAX_LINE, () -> {}), seen::add);
  }

  @Test
  void parsesMultiLineEhloReply() throws IOException {
    SmtpReply r = reader("250-mx.example.org Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n").read();
    assertThat(r.code()).isEqualTo(250);
    assertThat(r.lines()).containsExactly("mx.example.org Hello", "PIPELINING", "SIZE 1000", "STARTTLS");
    assertThat(seen).hasSize(4);
  }

  @Test
  void toleratesBareLineFeedsAndBareCode() throws IOException {
    ReplyReader rr = reader("250-first\n250\n220 next\r\n");
    assertThat(rr.read().lines()).containsExactly("first", "");
    assertThat(rr.read().code()).isEqualTo(220);
  }

  @Test
  void splitsEnhancedStatusCode() throws IOException {
    SmtpReply r = reader("530 5.7.0 Must issue a STARTTLS command first\r\n").read();
    assertThat(r.enhancedStatus()).hasValueSatisfying(c -> assertThat(c.toString()).isEqualTo("5.7.0"));
    assertThat(r.text()).isEqualTo("Must issue a STARTTLS command first");
  }

  @Test
  void rejectsCodeChangeInsideReply() {
    assertThatThrownBy(() -> reader("250-a\r\n251 b\r\n").read())
        .isInstanceOf(SmtpProtocolException.class)
        .hasMessageContaining("changed from 250 to 251");
  }

  @Test
  void rejectsLinesThatAreNotReplies() {
    assertThatThrownBy(() -> reader("HTTP/1.1 400 Bad Request\r\n").read())
        .isInstanceOf(SmtpProtocolException.class)
        .hasMessageContaining("not an SMTP reply line");
    assertThatThrownBy(() -> reader("250x\r\n").read()).isInstanceOf(SmtpProtocolException.class);
    assertThatThrownBy(() -> reader("650 nope\r\n").read()).isInstanceOf(SmtpProtocolException.class);
  }

  @Test
  void stopsAtTwoHundredLines() {
    String wire = "250-x\r\n".repeat(ReplyReader.MAX_LINES + 5) + "250 end\r\n";
    assertThatThrownBy(() -> reader(wire).read())
        .isInstanceOf(SmtpProtocolException.class)
        .hasMessageContaining("more than 200 lines");
  }

  @Test
  void stopsAtSixtyFourKibibytes() {
    String line = "250-" + "y".repeat(4000) + "\r\n";
    String wire = line.repeat(20) + "250 end\r\n";
    assertThatThrownBy(() -> reader(wire).read())
        .isInstanceOf(SmtpProtocolException.class)
        .hasMessageContaining("larger than 65536 octets");
  }

  @Test
  void stopsAtLongLineWithoutReadingTheRest() {
    // An endless line: the reader must give up after its bound, not buffer it all.
    InputStream endless = new InputStream() {
      long served;
      @Override public int read() {
        served++;
        return 'z';
      }
      @Override public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'z');
        served += len;
        return len;
      }
    };
    assertThatThrownBy(() -> reader(endless).read())
        .isInstanceOf(SmtpProtocolException.class)
        .hasMessageContaining("longer than 4096 octets");
  }

  @Test
  void reportsCloseInsideMultiLineReply() {
    assertThatThrownBy(() -> reader("250-a\r\n250-b\r\n").read())
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("inside a multi-line reply");
  }

  @Test
  void switchingStreamsDropsBufferedOctets() throws IOException {
    SmtpLineReader lr = new SmtpLineReader(
        new ByteArrayInputStream("220 go ahead\r\nINJECTED\r\n".getBytes(StandardCharsets.US_ASCII)), 4096, () -> {});
    assertThat(lr.readLine()).isEqualTo("220 go ahead");
    assertThat(lr.switchTo(new ByteArrayInputStream("250 clean\r\n".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(10);
    assertThat(lr.readLine()).isEqualTo("250 clean");
  }
}
