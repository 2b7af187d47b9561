package dev.smtptls.internal.inspect;

import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Marks that a firewall's SMTP inspection leaves in the dialogue. Cisco PIX/ASA "fixup smtp" and
 * similar mail guards replace the greeting's text with {@code *} and unknown EHLO keywords with
 * {@code X}, so {@code 250-STARTTLS} becomes {@code 250-XXXXXXXA}.
 */
final class InspectionSigns {
  private static final Pattern STAR_RUN = Pattern.compile("\\*{4,}");
  // A keyword of mostly X: XXXXXXXA, XXXA, XXXXXXXB. Real X- extensions (XEXCH50, XSHADOW) are not.
  private static final Pattern X_KEYWORD = Pattern.compile("(?i)x{3,}[a-z0-9]?");

  private InspectionSigns() {}

  static List<String> inGreeting(Greeting greeting) {
    List<String> signs = new ArrayList<>();
    String text = greeting.text();
    if (STAR_RUN.matcher(text).find() && starShare(text) >= 0.5) {
      signs.add("greeting masked with '*': \"" + abbreviate(greeting.reply().oneLine()) + "\"");
    }
    return signs;
  }

  static List<String> inEhlo(Ehlo ehlo) {
    List<String> signs = new ArrayList<>();
    for (String keyword : ehlo.keywords()) {
      String word = keyword.split(" ", 2)[0];
      if (X_KEYWORD.matcher(word).matches() || STAR_RUN.matcher(word).find()) {
        signs.add("EHLO keyword masked: \"" + word + "\"");
      }
    }
    return signs;
  }

  private static double starShare(String text) {
    long visible = text.chars().filter(c -> c != ' ').count();
    long stars = text.chars().filter(c -> c == '*').count();
    return visible == 0 ? 0 : (double) stars / visible;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
