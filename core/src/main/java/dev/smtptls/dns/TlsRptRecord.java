package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code _smtp._tls} TXT record of a mail domain (RFC 8460 §3), such as {@code v=TLSRPTv1;
 * rua=mailto:tlsrpt@example.com}: where senders send their TLS reports.
 *
 * @param raw the record's text, its strings concatenated
 * @param version the version, always {@code "TLSRPTv1"}
 * @param rua the report URIs, {@code mailto:} or {@code https:}, at least one
 */
public record TlsRptRecord(String raw, String version, List<String> rua) {

  /** The version field every record starts with. */
  public static final String VERSION_FIELD = "v=TLSRPTv1";

  /** Checks and copies. */
  public TlsRptRecord {
    requireNonNull(raw, "raw");
    requireNonNull(version, "version");
    rua = List.copyOf(rua);
    if (!version.equals("TLSRPTv1")) {
      throw new IllegalArgumentException("version must be TLSRPTv1: " + version);
    }
    if (rua.isEmpty()) {
      throw new IllegalArgumentException("rua needs at least one URI");
    }
    for (String u : rua) {
      checkUri(u);
    }
  }

  /**
   * Parses the text of a TXT record by the grammar of RFC 8460 §3: {@code v=TLSRPTv1} first (case
   * matters), then fields separated by {@code ;} with optional spaces or tabs around it, an
   * optional {@code ;} at the end. {@code rua} is required: one or more URIs separated by commas
   * (spaces or tabs allowed around them), each {@code mailto:} or {@code https:}; commas and
   * semicolons inside a URI must be percent-encoded. A repeated {@code rua} is honoured in its
   * first occurrence; other fields are extensions, ignored once their syntax is checked.
   *
   * @param txt the record's text, its strings concatenated
   * @return the record
   * @throws IllegalArgumentException naming what is wrong
   */
  public static TlsRptRecord parse(String txt) {
    requireNonNull(txt, "txt");
    String[] fields = txt.split(";", -1);
    if (!fields[0].startsWith(VERSION_FIELD) || !MtaStsText.stripWsp(fields[0]).equals(VERSION_FIELD)) {
      throw new IllegalArgumentException("the record does not start with " + VERSION_FIELD + ": \"" + txt + "\"");
    }
    @Nullable List<String> rua = null;
    for (int i = 1; i < fields.length; i++) {
      String f = MtaStsText.stripWsp(fields[i]);
      if (f.isEmpty()) {
        if (i == fields.length - 1) {
          break; // one trailing separator is allowed
        }
        throw new IllegalArgumentException("the record has an empty field (\";;\"): \"" + txt + "\"");
      }
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("field \"" + f + "\" is not name=value");
      }
      String name = f.substring(0, eq);
      String value = f.substring(eq + 1);
      if (name.equals("rua")) {
        List<String> uris = new ArrayList<>();
        for (String u : value.split(",", -1)) {
          String uri = MtaStsText.stripWsp(u);
          checkUri(uri);
          uris.add(uri);
        }
        if (rua == null) {
          rua = uris;
        }
      } else if (!MtaStsText.isFieldName(name)) {
        throw new IllegalArgumentException("field name \"" + name + "\" is not valid");
      } else if (!MtaStsText.isFieldValue(value)) {
        throw new IllegalArgumentException("field \"" + name + "\" has an invalid value: \"" + value + "\"");
      }
    }
    if (rua == null) {
      throw new IllegalArgumentException("the record has no rua field: \"" + txt + "\"");
    }
    return new TlsRptRecord(txt, "TLSRPTv1", rua);
  }

  private static void checkUri(String uri) {
    if (uri.isEmpty()) {
      throw new IllegalArgumentException("rua has an empty URI");
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("rua URI \"" + uri + "\" is malformed: " + e.getReason(), e);
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "mailto" -> {
        String to = parsed.getSchemeSpecificPart();
        if (to == null || to.indexOf('@') <= 0 || to.endsWith("@")) {
          throw new IllegalArgumentException("rua URI \"" + uri + "\" names no mail address");
        }
      }
      case "https" -> {
        if (parsed.getHost() == null) {
          throw new IllegalArgumentException("rua URI \"" + uri + "\" names no host");
        }
      }
      default -> throw new IllegalArgumentException(
          "rua URI \"" + uri + "\" is neither mailto: nor https:");
    }
  }
}
