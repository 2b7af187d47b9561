package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The DNSSEC trust anchors a validating resolver ({@link DnsResolvers#validating}) starts its
 * chains of trust from: DS or DNSKEY records (RFC 4033 §2, RFC 4035 §4.4). Answers under no anchor
 * are {@link DnssecStatus#INSECURE}.
 *
 * <pre>{@code
 * DnssecAnchors anchors = DnssecAnchors.root();                      // the internet
 * DnssecAnchors test = DnssecAnchors.parse(knot.anchors());          // a test zone
 * DnssecAnchors file = DnssecAnchors.read(Path.of("Kexample.org.+013+12345.key"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DnssecAnchors {

  /**
   * The root zone's key-signing keys as DS records (digest type 2, SHA-256), as IANA publishes
   * them in {@code https://data.iana.org/root-anchors/root-anchors.xml} (RFC 9718): KSK-2017 (key
   * tag 20326, valid from 2017-02-02) and KSK-2024 (key tag 38696, valid from 2024-07-18). The same
   * two digests are in BIND's {@code bind.keys} and Unbound's and systemd-resolved's built-in
   * anchors.
   */
  private static final String ROOT =
      ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
          + ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";

  /** The TTL given to records written without one; a trust anchor's TTL is not used. */
  private static final long DEFAULT_TTL = 3600;

  private static final Pattern LINE_NUMBER = Pattern.compile(":\\s*(\\d+):");

  private final List<String> records;
  private final String description;

  private DnssecAnchors(List<String> records, String description) {
    this.records = List.copyOf(records);
    this.description = description;
  }

  /**
   * {@return the root zone's key-signing keys, KSK-2017 (20326) and KSK-2024 (38696), as DS
   * records} See IANA's {@code root-anchors.xml}; this is the default of the command line's {@code
   * --dnssec-anchor}.
   */
  public static DnssecAnchors root() {
    List<Record> parsed = parseRecords(ROOT, "the root anchors");
    return new DnssecAnchors(texts(parsed), "root KSK 20326, 38696");
  }

  /**
   * Parses DS or DNSKEY records in zone-file presentation format, one record per line (or spread
   * over lines in parentheses), as {@code dnssec-keygen}'s and {@code ldns-keygen}'s {@code K*.key}
   * and {@code K*.ds} files and {@code dig +short DS} hold, e.g. {@code "example.org. IN DS 12345
   * 13 2 AB12..."}. Comments ({@code ;}), blank lines, {@code $ORIGIN} and {@code $TTL} are allowed;
   * names without a trailing dot are relative to the root; the TTL is optional.
   *
   * @param presentationText the records
   * @return the anchors
   * @throws IllegalArgumentException naming the line, if a line is not a record, a record is not a
   *     DS or DNSKEY record of class IN, or there is no record at all
   */
  public static DnssecAnchors parse(String presentationText) {
    requireNonNull(presentationText, "presentationText");
    List<Record> parsed = parseRecords(presentationText, "the trust anchors");
    return new DnssecAnchors(texts(parsed), parsed.size() + " anchor(s): " + summary(parsed));
  }

  /**
   * Reads DS or DNSKEY records from a file, as {@link #parse(String)} reads text.
   *
   * @param file a file of records in presentation format, UTF-8
   * @return the anchors
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and the line, if the content is not as {@link
   *     #parse(String)} requires
   */
  public static DnssecAnchors read(Path file) throws IOException {
    requireNonNull(file, "file");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<Record> parsed = parseRecords(text, file.toString());
    return new DnssecAnchors(
        texts(parsed), parsed.size() + " anchor(s) from " + file + ": " + summary(parsed));
  }

  /**
   * {@return the anchors as records in presentation format, one per element, e.g. {@code
   * "example.org.\t3600\tIN\tDS\t12345 13 2 AB12..."}}
   */
  public List<String> records() {
    return records;
  }

  /**
   * {@return the anchors in words, for reports}: {@code "root KSK 20326, 38696"}, {@code "2
   * anchor(s) from /etc/anchors.txt: example.org. DS 12345, ..."}
   */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return "DnssecAnchors[" + description + "]";
  }

  private static List<Record> parseRecords(String text, String source) {
    List<Record> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    try (Master master =
        new Master(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            Name.root,
            DEFAULT_TTL)) {
      master.disableIncludes();
      Record r;
      while ((r = master.nextRecord()) != null) {
        out.add(r);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(badLine(source, e, lines), e);
    }
    for (Record r : out) {
      if ((r.getType() != Type.DS && r.getType() != Type.DNSKEY) || r.getDClass() != DClass.IN) {
        throw new IllegalArgumentException(
            source
                + ": not a DS or DNSKEY record of class IN: \""
                + r
                + "\"; a trust anchor is a DS or DNSKEY record");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + ": no DS or DNSKEY record");
    }
    return out;
  }

  private static String badLine(String source, Exception e, String[] lines) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher m = LINE_NUMBER.matcher(message);
    if (m.find()) {
      int line = Integer.parseInt(m.group(1));
      if (line >= 1 && line <= lines.length) {
        return source
            + ": line "
            + line
            + " is not a DS or DNSKEY record in presentation format: \""
            + lines[line - 1].strip()
            + "\" ("
            + message
            + ")";
      }
    }
    return source + ": not DS or DNSKEY records in presentation format (" + message + ")";
  }

  private static List<String> texts(List<Record> records) {
    return records.stream().map(Record::toString).toList();
  }

  private static String summary(List<Record> records) {
    List<String> parts = new ArrayList<>();
    for (Record r : records) {
      int tag =
          r instanceof DSRecord ds
              ? ds.getFootprint()
              : r instanceof DNSKEYRecord key ? key.getFootprint() : -1;
      parts.add(r.getName() + " " + Type.string(r.getType()) + " " + tag);
    }
    return String.join(", ", parts);
  }
}
