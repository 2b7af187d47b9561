package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The {@code _mta-sts} TXT record of a mail domain (RFC 8461 §3.1), such as {@code v=STSv1;
 * id=20240101T000000}: it announces that the domain publishes an MTA-STS policy, and its {@code
 * id} changes whenever the policy does.
 *
 * @param raw the record's text, its strings concatenated
 * @param version the version, always {@code "STSv1"}
 * @param id the policy id: 1 to 32 letters and digits
 */
public record MtaStsRecord(String raw, String version, String id) {

  /** The version field every record starts with. */
  public static final String VERSION_FIELD = "v=STSv1";

  /** Checks the fields. */
  public MtaStsRecord {
    requireNonNull(raw, "raw");
    requireNonNull(version, "version");
    requireNonNull(id, "id");
    if (!version.equals("STSv1")) {
      throw new IllegalArgumentException("version must be STSv1: " + version);
    }
    if (!isId(id)) {
      throw new IllegalArgumentException("id must be 1 to 32 letters and digits: \"" + id + "\"");
    }
  }

  /**
   * Parses the text of a TXT record by the grammar of RFC 8461 §3.1: {@code v=STSv1} first (case
   * matters), then fields separated by {@code ;} with optional spaces or tabs around it, an
   * optional {@code ;} at the end. {@code id} is required: 1 to 32 ASCII letters and digits.
   * Other fields are extensions, ignored once their syntax is checked (a name of up to 32 letters,
   * digits, {@code _ - .}; a value of visible ASCII without {@code =} and {@code ;}). A repeated
   * {@code id} is honoured in its first occurrence.
   *
   * @param txt the record's text, its strings concatenated
   * @return the record
   * @throws IllegalArgumentException naming what is wrong
   */
  public static MtaStsRecord parse(String txt) {
    requireNonNull(txt, "txt");
    String[] fields = txt.split(";", -1);
    if (!MtaStsText.stripWsp(fields[0]).equals(VERSION_FIELD) || !fields[0].startsWith(VERSION_FIELD)) {
      throw new IllegalArgumentException("the record does not start with " + VERSION_FIELD + ": \"" + txt + "\"");
    }
    if (fields.length == 1) {
      throw new IllegalArgumentException("the record has no id field: \"" + txt + "\"");
    }
    @Nullable String id = null;
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
      if (name.equals("id")) {
        if (!isId(value)) {
          throw new IllegalArgumentException("id must be 1 to 32 letters and digits: \"" + value + "\"");
        }
        if (id == null) {
          id = value;
        }
      } else if (!MtaStsText.isFieldName(name)) {
        throw new IllegalArgumentException("field name \"" + name + "\" is not valid");
      } else if (!MtaStsText.isFieldValue(value)) {
        throw new IllegalArgumentException("field \"" + name + "\" has an invalid value: \"" + value + "\"");
      }
    }
    if (id == null) {
      throw new IllegalArgumentException("the record has no id field: \"" + txt + "\"");
    }
    return new MtaStsRecord(txt, "STSv1", id);
  }

  private static boolean isId(String id) {
    if (id.isEmpty() || id.length() > 32) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!MtaStsText.isAlnum(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
