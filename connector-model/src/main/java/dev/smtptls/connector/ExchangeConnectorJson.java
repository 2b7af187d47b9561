package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON that {@code Get-SendConnector}, {@code Get-ReceiveConnector} (Exchange Server)
 * and {@code Get-OutboundConnector}, {@code Get-InboundConnector} (Exchange Online) print through
 * {@code ConvertTo-Json}, into {@link ConnectorSpec}s whose parameters the policy kinds' {@code
 * fromParameters} take.
 *
 * <pre>{@code
 * // Get-SendConnector "Outbound to Office 365" | ConvertTo-Json > send.json
 * for (ConnectorSpec c : ExchangeConnectorJson.read(Path.of("send.json"))) {
 *   System.out.println(c.kind() + " " + c.name() + " " + c.parameters() + " " + c.warnings());
 * }
 * }</pre>
 *
 * <h2>Shapes read</h2>
 *
 * <ul>
 *   <li>One object, or an array of objects (several connectors); a UTF-8, UTF-16 or UTF-32 file
 *       with or without a byte order mark (Windows PowerShell's {@code Out-File} writes UTF-16).
 *   <li>Keys in PascalCase as the cmdlets print them, matched case-insensitively. Keys this reader
 *       does not use are ignored, as the cmdlets print many.
 *   <li>Which cmdlet printed an object is told by properties only it has: {@code TlsSettings},
 *       {@code UseMXRecord} or {@code SmtpDaneMode} (Get-OutboundConnector, {@code exo-outbound});
 *       {@code TlsSenderCertificateName}, {@code RestrictDomainsToCertificate}, {@code
 *       RestrictDomainsToIPAddresses}, {@code SenderIPAddresses} or {@code SenderDomains}
 *       (Get-InboundConnector, {@code exo-inbound}); {@code Bindings}, {@code RemoteIPRanges},
 *       {@code AuthMechanism} or {@code PermissionGroups} (Get-ReceiveConnector, {@code
 *       exchange-receive}); {@code AddressSpaces}, {@code DNSRoutingEnabled}, {@code
 *       IgnoreSTARTTLS}, {@code SourceTransportServers} or {@code TlsAuthLevel}
 *       (Get-SendConnector, {@code exchange-send}); checked in that order.
 *   <li>Values: booleans; strings; {@code null} or an empty string or array (the parameter is left
 *       out: the product's default); arrays (joined with commas, as the cmdlets take lists);
 *       objects where ConvertTo-Json expands a type: {@code TlsCertificateName} as {@code
 *       {CertificateIssuer, CertificateSubject}} (SmtpX509Identifier) becomes {@code
 *       <I>issuer<S>subject}; a SmartHost as {@code {Domain, Address, IsIPAddress}}; a domain as
 *       {@code {Domain, IncludeSubDomains}} (SmtpDomainWithSubdomains: {@code *.domain} when
 *       IncludeSubDomains is true); an address as {@code {IPAddressToString}}; anything else by its
 *       {@code HostnameString}, {@code Address}, {@code Domain}, {@code Expression} or {@code Name}.
 *       Past ConvertTo-Json's default {@code -Depth 2} such objects arrive as their ToString()
 *       text, which is read as is.
 *   <li>Enums as strings (remote PowerShell and {@code -EnumsAsStrings}) or as numbers (Windows
 *       PowerShell 5.1 on the server). {@code AuthMechanism} is a flags enum (Microsoft's
 *       AuthMechanisms reference: {@code [Flags]}, members None, Tls, Integrated, BasicAuth,
 *       BasicAuthRequireTLS, ExchangeServer, ExternalAuthoritative); its numbers are read as the
 *       powers of two in that declared order (None = 0, Tls = 1, ... ExternalAuthoritative = 32),
 *       and a string such as {@code "Tls, Integrated"} becomes {@code Tls,Integrated}. For {@code
 *       TlsAuthLevel}, {@code TlsSettings}, {@code ConnectorType} and {@code SmtpDaneMode} Microsoft
 *       documents no numbers: a number there is left out with a warning asking for {@code
 *       ConvertTo-Json -EnumsAsStrings} (PowerShell 7) or remote PowerShell.
 * </ul>
 *
 * <p>Parameters passed on per kind: {@link #PARAMETERS}.
 *
 * <h2>Hybrid Configuration Wizard</h2>
 *
 * <p>The wizard creates the hybrid connectors and, when run again, rewrites them with forced TLS,
 * overwriting manual changes (seed write-up; {@code reference/exchange-postfix-tls.md}). A
 * connector is taken for one of the wizard's by its name: {@code Outbound to Office 365}, with or
 * without {@code " - <GUID>"} (Send connector), {@code Inbound from <GUID>} and {@code Outbound to
 * <GUID>} (Exchange Online); and a Receive connector whose {@code TlsDomainCapabilities} grant
 * {@code AcceptCloudServicesMail} or {@code AcceptOorgProtocol}. Such a connector gets a warning:
 * when its TLS settings are forced as the wizard writes them (Send: {@code RequireTLS} true;
 * Exchange Online inbound: {@code RequireTls} true; outbound: {@code TlsSettings} set), that
 * re-running the wizard will restore them whatever is changed by hand; when they are not, that
 * they were changed by hand and the next wizard run resets them to forced TLS. Receive connectors
 * get the first form (the wizard manages their certificate and domain capabilities).
 *
 * <p>This class is stateless and thread-safe.
 */
public final class ExchangeConnectorJson {

  /** The parameters passed on for each kind: the names the products' cmdlets take. */
  public static final Map<String, List<String>> PARAMETERS = Map.of(
      "exchange-send", List.of("RequireTLS", "TlsAuthLevel", "TlsDomain", "IgnoreSTARTTLS", "Fqdn",
          "TlsCertificateName", "DomainSecureEnabled", "SmartHosts", "DNSRoutingEnabled"),
      "exchange-receive", List.of("RequireTLS", "AuthMechanism", "Fqdn", "TlsCertificateName",
          "TlsDomainCapabilities"),
      "exo-outbound", List.of("TlsSettings", "TlsDomain", "UseMXRecord", "SmartHosts",
          "ConnectorType", "SmtpDaneMode"),
      "exo-inbound", List.of("ConnectorType", "RequireTls", "TlsSenderCertificateName",
          "RestrictDomainsToCertificate", "RestrictDomainsToIPAddresses", "SenderIPAddresses"));

  private static final List<String> AUTH_MECHANISMS = List.of(
      "Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative");

  private static final List<String> UNNUMBERED_ENUMS =
      List.of("TlsAuthLevel", "TlsSettings", "ConnectorType", "SmtpDaneMode");

  private static final String GUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  private static final Pattern HCW_SEND =
      Pattern.compile("(?i)Outbound to Office 365(?: - " + GUID + ")?");
  private static final Pattern HCW_INBOUND = Pattern.compile("(?i)Inbound from " + GUID);
  private static final Pattern HCW_OUTBOUND = Pattern.compile("(?i)Outbound to " + GUID);

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ExchangeConnectorJson() {}

  /**
   * Reads a file written by {@code ConvertTo-Json}.
   *
   * @param file the file
   * @return the connectors in the file's order
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException as {@link #read(String)}, the message naming the file
   */
  public static List<ConnectorSpec> read(Path file) throws IOException {
    requireNonNull(file, "file");
    byte[] bytes = Files.readAllBytes(file);
    try {
      return parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the JSON text.
   *
   * @param json the text {@code ConvertTo-Json} printed
   * @return the connectors in order
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if the text is empty or malformed (the message gives line and
   *     column), is neither an object nor an array of objects, or an object is no connector
   */
  public static List<ConnectorSpec> read(String json) {
    requireNonNull(json, "json");
    String text = json.startsWith("\uFEFF") ? json.substring(1) : json;
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Whether bytes are JSON rather than, say, a Postfix {@code main.cf}: the first character after
   * any byte order mark and white space is {@code {} or {@code [}. The encoding is detected as
   * {@link #read(byte[])} detects it: Windows PowerShell 5.1's {@code Out-File} writes UTF-16 LE
   * with a byte order mark, PowerShell 7 and {@code Set-Content -Encoding utf8} UTF-8.
   *
   * @param bytes the file's content
   * @return true when it looks like JSON
   */
  public static boolean looksLikeJson(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    int i = 0;
    int step = 1;
    int lead = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      i = 3;
    } else if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      i = 2;
      step = 2;
    } else if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
      i = 2;
      step = 2;
      lead = 1;
    } else if (bytes.length >= 2 && bytes[1] == 0) {
      step = 2; // UTF-16 LE without a byte order mark
    } else if (bytes.length >= 2 && bytes[0] == 0) {
      step = 2;
      lead = 1; // UTF-16 BE without a byte order mark
    }
    for (int k = i + lead; k < bytes.length; k += step) {
      char c = (char) (bytes[k] & 0xFF);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        continue;
      }
      return c == '{' || c == '[';
    }
    return false;
  }

  /**
   * Reads the JSON from bytes in the encoding they carry: UTF-8, UTF-16 or UTF-32, with or without
   * a byte order mark (as {@code Out-File} and {@code Set-Content} write them).
   *
   * @param bytes the file's content
   * @return the connectors in order
   * @throws IllegalArgumentException as {@link #read(String)}
   */
  public static List<ConnectorSpec> read(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    return parse(bytes);
  }

  private static List<ConnectorSpec> parse(byte[] bytes) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new IllegalArgumentException("malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("no JSON: the input is empty");
    }
    List<JsonNode> objects = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(objects::add);
    } else {
      objects.add(root);
    }
    List<ConnectorSpec> out = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      JsonNode o = objects.get(i);
      if (!o.isObject()) {
        throw new IllegalArgumentException("element " + (i + 1) + " is not a JSON object but "
            + o.getNodeType().toString().toLowerCase(Locale.ROOT));
      }
      out.add(connector(fields(o), i + 1));
    }
    return out;
  }

  private static Map<String, JsonNode> fields(JsonNode o) {
    Map<String, JsonNode> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }

  private static boolean hasAny(Map<String, JsonNode> f, String... keys) {
    for (String k : keys) {
      if (f.containsKey(k)) {
        return true;
      }
    }
    return false;
  }

  private static String kind(Map<String, JsonNode> f, String name, int index) {
    if (hasAny(f, "TlsSettings", "UseMXRecord", "SmtpDaneMode")) {
      return "exo-outbound";
    }
    if (hasAny(f, "TlsSenderCertificateName", "RestrictDomainsToCertificate",
        "RestrictDomainsToIPAddresses", "SenderIPAddresses", "SenderDomains")) {
      return "exo-inbound";
    }
    if (hasAny(f, "Bindings", "RemoteIPRanges", "AuthMechanism", "PermissionGroups")) {
      return "exchange-receive";
    }
    if (hasAny(f, "AddressSpaces", "DNSRoutingEnabled", "IgnoreSTARTTLS", "SourceTransportServers",
        "TlsAuthLevel")) {
      return "exchange-send";
    }
    throw new IllegalArgumentException("object " + index + " (" + name + ") is no connector that"
        + " Get-SendConnector, Get-ReceiveConnector, Get-OutboundConnector or Get-InboundConnector"
        + " prints: it has none of their identifying properties (AddressSpaces, Bindings,"
        + " TlsSettings, TlsSenderCertificateName, ...)");
  }

  private static ConnectorSpec connector(Map<String, JsonNode> f, int index) {
    String name = text(f.get("Name"));
    if (name == null || name.isBlank()) {
      name = text(f.get("Identity"));
    }
    if (name == null || name.isBlank()) {
      name = "connector " + index;
    }
    String kind = kind(f, name, index);
    List<String> warnings = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    for (String key : PARAMETERS.getOrDefault(kind, List.of())) {
      JsonNode v = f.get(key);
      String value = value(key, v, name, warnings);
      if (value != null) {
        params.put(key, value);
      }
    }
    hybridWarning(kind, name, params, warnings);
    return new ConnectorSpec(kind, name, params, warnings);
  }

  private static @Nullable String value(
      String key, @Nullable JsonNode v, String name, List<String> warnings) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (v.isBoolean()) {
      return String.valueOf(v.booleanValue());
    }
    if (v.isNumber()) {
      if (key.equalsIgnoreCase("AuthMechanism")) {
        return authMechanisms(v.longValue(), name, warnings);
      }
      if (UNNUMBERED_ENUMS.contains(key)) {
        warnings.add(name + ": " + key + " is the number " + v.asText() + ", and Microsoft documents"
            + " no numbers for it; left out (export with ConvertTo-Json -EnumsAsStrings, or through"
            + " remote PowerShell, to keep it)");
        return null;
      }
      return v.asText();
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode e : v) {
        String t = element(key, e);
        if (t != null && !t.isBlank()) {
          parts.add(t.strip());
        }
      }
      return parts.isEmpty() ? null : String.join(",", parts);
    }
    String t = element(key, v);
    if (t == null) {
      warnings.add(name + ": " + key + " has a shape this reader does not know; left out");
      return null;
    }
    t = t.strip();
    if (t.isEmpty()) {
      return null;
    }
    if (key.equalsIgnoreCase("AuthMechanism")) {
      return String.join(",", List.of(t.split("\\s*,\\s*")));
    }
    return t;
  }

  private static String authMechanisms(long flags, String name, List<String> warnings) {
    if (flags == 0) {
      return "None";
    }
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < AUTH_MECHANISMS.size(); bit++) {
      if ((flags & (1L << bit)) != 0) {
        names.add(AUTH_MECHANISMS.get(bit));
      }
    }
    if (flags >= (1L << AUTH_MECHANISMS.size()) || flags < 0) {
      warnings.add(name + ": AuthMechanism " + flags + " has bits beyond ExternalAuthoritative;"
          + " they are ignored");
    }
    return String.join(",", names);
  }

  /** One value or array element as the cmdlets would take it. */
  private static @Nullable String element(String key, JsonNode e) {
    if (e.isObject()) {
      Map<String, JsonNode> f = fields(e);
      if (key.equalsIgnoreCase("TlsCertificateName")) {
        String issuer = text(f.get("CertificateIssuer"));
        String subject = text(f.get("CertificateSubject"));
        if (issuer != null && subject != null) {
          return "<I>" + issuer + "<S>" + subject;
        }
      }
      JsonNode sub = f.get("IncludeSubDomains");
      String domain = text(f.get("Domain"));
      if (sub != null && domain != null) {
        return sub.asBoolean() && !domain.startsWith("*.") ? "*." + domain : domain;
      }
      JsonNode isIp = f.get("IsIPAddress");
      if (isIp != null && isIp.asBoolean()) {
        String a = text(f.get("Address"));
        if (a != null) {
          return a;
        }
      }
    }
    return text(e);
  }

  /** A node's text: strings as they are, objects by their well-known text property. */
  private static @Nullable String text(@Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isValueNode()) {
      return n.asText();
    }
    if (n.isObject()) {
      Map<String, JsonNode> f = fields(n);
      for (String k : List.of("IPAddressToString", "HostnameString", "SmartHostString", "Domain",
          "Address", "Expression", "Name")) {
        String t = text(f.get(k));
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  private static boolean isTrue(@Nullable String v) {
    return v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("$true"));
  }

  private static void hybridWarning(
      String kind, String name, Map<String, String> p, List<String> warnings) {
    String wizard = "looks created by the Hybrid Configuration Wizard";
    switch (kind) {
      case "exchange-send" -> {
        if (HCW_SEND.matcher(name).matches()) {
          forcedOrReset(name, wizard, isTrue(p.get("RequireTLS")),
              "RequireTLS $true, TlsAuthLevel DomainValidation, TlsDomain mail.protection.outlook.com",
              warnings);
        }
      }
      case "exo-inbound" -> {
        if (HCW_INBOUND.matcher(name).matches()) {
          forcedOrReset(name, wizard, isTrue(p.get("RequireTls")),
              "RequireTls $true with TlsSenderCertificateName", warnings);
        }
      }
      case "exo-outbound" -> {
        if (HCW_OUTBOUND.matcher(name).matches()) {
          forcedOrReset(name, wizard, p.containsKey("TlsSettings"), "TlsSettings set", warnings);
        }
      }
      case "exchange-receive" -> {
        String caps = p.getOrDefault("TlsDomainCapabilities", "").toLowerCase(Locale.ROOT);
        if (caps.contains("acceptcloudservicesmail") || caps.contains("acceptoorgprotocol")) {
          warnings.add(name + ": " + wizard + " (TlsDomainCapabilities for Exchange Online): the"
              + " wizard manages its TlsCertificateName and TlsDomainCapabilities, and re-running it"
              + " overwrites manual changes");
        }
      }
      default -> {
        // Only the Exchange kinds are read from these files.
      }
    }
  }

  private static void forcedOrReset(
      String name, String wizard, boolean forced, String wizardValues, List<String> warnings) {
    if (forced) {
      warnings.add(name + ": " + wizard + " (by its name): it forces TLS (" + wizardValues + "), and"
          + " re-running the wizard restores forced TLS whatever is changed by hand");
    } else {
      warnings.add(name + ": " + wizard + " (by its name), but TLS is not forced as the wizard"
          + " writes it (" + wizardValues + "): it was changed by hand, and the next wizard run"
          + " resets it to forced TLS");
    }
  }
}
