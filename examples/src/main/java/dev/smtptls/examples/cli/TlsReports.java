package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.tls.CipherOrder;
import dev.smtptls.tls.CipherSuiteSupport;
import dev.smtptls.tls.GroupSupport;
import dev.smtptls.tls.KeyExchangeGroups;
import dev.smtptls.tls.ProtocolSupport;
import dev.smtptls.tls.Support;
import dev.smtptls.tls.TlsCapabilities;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Renders {@link TlsCapabilities} for {@code smtptls tls}: JSON and text. */
final class TlsReports {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TlsReports() {}

  /**
   * The JSON object of {@code smtptls tls --json}: {@code tool}, {@code target}, {@code
   * startedAt}, {@code durationMs}, {@code connections}, {@code javaVersion}, {@code
   * legacyAlgorithms}, {@code startTls} (as in {@code probe}), {@code protocols} (one per version:
   * {@code version}, {@code support}, {@code detail}, {@code cipherOrder}, {@code
   * acceptedCipherSuites}, {@code cipherSuites}: [{@code name}, {@code support}, {@code detail},
   * {@code weakness}]), {@code groups} ({@code support}, {@code detail}, {@code groups}) and
   * {@code findings}.
   */
  static ObjectNode json(TlsCapabilities c) {
    ObjectNode o = NODES.objectNode();
    o.set("tool", JsonReports.tool());
    o.set("target", JsonReports.target(c.target(), c.address()));
    o.put("startedAt", JsonReports.instant(c.startedAt()));
    o.put("durationMs", c.duration().toMillis());
    o.put("connections", c.connections());
    o.put("javaVersion", c.javaVersion());
    o.put("legacyAlgorithms", c.legacyAlgorithms());
    o.set("startTls", JsonReports.startTls(c.startTls()));
    ArrayNode protocols = o.putArray("protocols");
    for (ProtocolSupport p : c.protocols()) {
      ObjectNode po = protocols.addObject();
      po.put("version", p.version().jsseName());
      po.put("support", p.support().name());
      po.put("detail", p.detail());
      po.put("cipherOrder", p.cipherOrder().name());
      ArrayNode accepted = po.putArray("acceptedCipherSuites");
      p.acceptedCipherSuites().forEach(accepted::add);
      ArrayNode suites = po.putArray("cipherSuites");
      for (CipherSuiteSupport s : p.cipherSuites()) {
        ObjectNode so = suites.addObject();
        so.put("name", s.name());
        so.put("support", s.support().name());
        so.put("detail", s.detail());
        so.put("weakness", s.weakness());
      }
    }
    KeyExchangeGroups g = c.groups();
    ObjectNode go = o.putObject("groups");
    go.put("support", g.support().name());
    go.put("detail", g.detail());
    ArrayNode groups = go.putArray("groups");
    for (GroupSupport gs : g.groups()) {
      ObjectNode e = groups.addObject();
      e.put("name", gs.name());
      e.put("support", gs.support().name());
      e.put("detail", gs.detail());
    }
    o.set("findings", JsonReports.findings(c.findings()));
    return o;
  }

  /** The text report: one block per version, the accepted suites in order, then the findings. */
  static String text(TlsCapabilities c, int concurrency) {
    StringBuilder sb = new StringBuilder();
    InetSocketAddress a = c.address();
    line(sb, "Target", c.target() + (a == null || a.getAddress() == null ? "" : " (" + a.getAddress().getHostAddress() + ")"));
    line(sb, "Connections", c.connections() + " in " + seconds(c.duration()) + ", up to " + concurrency + " at once");
    line(sb, "JSSE", "Java " + c.javaVersion() + (c.legacyAlgorithms() ? ", legacy algorithms enabled" : ""));
    for (ProtocolSupport p : c.protocols()) {
      String head = p.support().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      if (p.accepted()) {
        head += ", " + order(p.cipherOrder());
      } else if (p.detail() != null) {
        head += ": " + p.detail();
      }
      line(sb, p.version().displayName(), head);
      List<String> accepted = p.acceptedCipherSuites();
      for (int i = 0; i < accepted.size(); i++) {
        String name = accepted.get(i);
        String weakness = p.cipherSuites().stream().filter(s -> s.name().equals(name))
            .map(CipherSuiteSupport::weakness).filter(w -> w != null).findFirst().orElse(null);
        sb.append(String.format("                %2d. %s%s%n", i + 1, name, weakness == null ? "" : "  WEAK: " + weakness));
      }
      if (p.accepted()) {
        long rejected = count(p, Support.REJECTED);
        long untestable = count(p, Support.NOT_TESTABLE);
        long inconclusive = count(p, Support.INCONCLUSIVE);
        sb.append(String.format("                rejected %d, not testable %d%s (--json lists them with the reasons)%n",
            rejected, untestable, inconclusive == 0 ? "" : ", inconclusive " + inconclusive));
      }
    }
    KeyExchangeGroups g = c.groups();
    if (g.groups().isEmpty()) {
      line(sb, "Groups", g.support().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + (g.detail() == null ? "" : ": " + g.detail()));
    } else {
      line(sb, "Groups", String.join(", ", g.accepted()) + (g.detail() == null ? "" : " (" + g.detail() + ")"));
    }
    TextReports.findings(sb, c.findings(), "");
    return sb.toString();
  }

  private static long count(ProtocolSupport p, Support s) {
    return p.cipherSuites().stream().filter(c -> c.support() == s).count();
  }

  private static String order(CipherOrder o) {
    return switch (o) {
      case SERVER -> "the server's order";
      case CLIENT -> "the client's order";
      case NOT_APPLICABLE -> "one suite";
      case UNKNOWN -> "order unknown";
    };
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(String.format("%-14s%s%n", label, value));
  }
}
