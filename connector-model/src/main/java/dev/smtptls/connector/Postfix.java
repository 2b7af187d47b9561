package dev.smtptls.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code postfix} kind of {@code CONTRACT.md}: one kind for both sides of Postfix. The keys
 * decide: {@code smtpd_*} parameters (and {@code myhostname}) alone describe the server ({@link
 * PostfixServerPolicy}); otherwise the parameters describe the SMTP client ({@link
 * PostfixClientPolicy}), also when there are none. Mixing client and server parameters in one spec
 * is an error: a {@code main.cf} with both goes through {@link PostfixConfig}.
 */
public final class Postfix {

  /** The CLI kind. */
  public static final String KIND = "postfix";

  private Postfix() {}

  /**
   * The client or server policy the parameters describe.
   *
   * @param parameters postconf parameters, keys case-insensitive
   * @return a {@link PostfixClientPolicy} or a {@link PostfixServerPolicy}
   * @throws IllegalArgumentException for an unknown key (listing the known ones), client and
   *     server keys together, or a value Postfix refuses
   */
  public static ConnectorPolicy fromParameters(Map<String, String> parameters) {
    List<String> server = new ArrayList<>();
    List<String> client = new ArrayList<>();
    for (String key : parameters.keySet()) {
      String k = key.trim().toLowerCase(Locale.ROOT);
      if (PostfixServerPolicy.PARAMETERS.contains(k)) {
        server.add(key);
      } else if (PostfixClientPolicy.PARAMETERS.contains(k)) {
        client.add(key);
      } else {
        List<String> known = new ArrayList<>(PostfixClientPolicy.PARAMETERS);
        known.addAll(PostfixServerPolicy.PARAMETERS);
        throw new IllegalArgumentException("unknown postfix parameter \"" + key + "\" (known: "
            + String.join(", ", known) + ")");
      }
    }
    if (!server.isEmpty() && !client.isEmpty()) {
      throw new IllegalArgumentException("give either SMTP client parameters (" + String.join(", ", client)
          + ") or SMTP server parameters (" + String.join(", ", server) + "), not both");
    }
    return server.isEmpty()
        ? PostfixClientPolicy.fromParameters(parameters)
        : PostfixServerPolicy.fromParameters(parameters);
  }
}
