package io.storefleet.coordinator.testing;

import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.catalogue.ParamSpec;
import io.storefleet.protocol.catalogue.ParamType;
import io.storefleet.protocol.codec.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generated command lines and API request bodies for the fuzz tests, reproducible from the
 * {@link Random} they are drawn from. Most cases are near a valid command (a catalogued name, its
 * parameters, values of roughly the right type), so that the checks behind parsing are reached;
 * any part may instead be hostile: control characters, huge values, wrong JSON types, paths
 * that climb out of the allowed root or lead out of it through a symbolic link.
 */
public final class BadInput {
  /**
   * Where generated paths point.
   *
   * @param allowed a folder the workers may use
   * @param outside a folder they may not, which must stay untouched
   * @param linkOut a symbolic link inside {@code allowed} to {@code outside}
   * @param danglingLink a symbolic link inside {@code allowed} to a missing entry of {@code outside}
   */
  public record PathTargets(Path allowed, Path outside, Path linkOut, Path danglingLink) {}

  private static final String[] OPTIONS = {"--host", "--hostname", "--json", "--progress", "--sync", "--help", "--",
      "--deep", "-h", "--HOST"};
  private static final String[] ACCOUNTS = {"user1@fuzz.test", "user2@fuzz.test", "nobody@fuzz.test",
      "USER1@Fuzz.Test", "user1", "user1@", "@fuzz.test", "a@b@c", "user1@fuzz..test", "user1@-fuzz.test"};
  private static final String[] INTEGERS = {"0", "1", "7", "-1", "+5", " 42 ", "2147483648", "9223372036854775807",
      "-9223372036854775808", "9223372036854775808", "99999999999999999999999", "1e3", "0x10", "NaN", "1_000"};
  private static final String[] DATES = {"first", "last", "all", "LAST", "01/01/2026 00:00:00",
      "31/12/2025 23:59:59 +02:00", "01/01/2026 00:00:00 Europe/Rome", "01/01/2026 00:00:00 Z",
      "31/02/2026 00:00:00", "01/01/2026 00:00:00 Mars/Base", "01/01/0000 00:00:00", "29/02/2024 24:00:00",
      "01/01/2026", "2026-01-01T00:00:00Z", "01/01/9999 23:59:59 -18:00", "01/01/2026 00:00:00 +99:00"};
  private static final String[] HOSTILE = {"", " ", "\t", "\0", "a\0b", "\n", "a\nb", "\r\n", "\u001b[31mred",
      "\u2028", "\u202e", "e\u0301", "\uD83D\uDCE7", "\uFFFF", "\uD800", "'", "\"", "`x`", "'x'", "\"'x'\"",
      "' x '", "%s%n%x", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "\\", "//", "*", "?", "null",
      "true", "-", "--", "all", "all_servers", "mbox1", "mbox9", "../../etc/passwd", "C:\\Windows", ",", ",,",
      "a,,b", "user1@fuzz.test,", "select * from accounts;"};

  private final Random r;
  private final PathTargets paths;
  private final List<CommandSpec> backup = Catalogue.get().commands(Module.BACKUP);
  private final List<CommandSpec> admin = Catalogue.get().commands(Module.ADMIN);

  public BadInput(Random r, PathTargets paths) {
    this.r = r;
    this.paths = paths;
  }

  /** A whole command line as the CLI receives it: options, a module word, a command and its arguments. */
  public String[] commandLine() {
    List<String> out = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.add(pick(OPTIONS));
      if (r.nextInt(3) == 0) {
        out.add(pick(new String[] {"mbox1", "all_servers", "backup", "--sync", word()}));
      }
    }
    Module m = r.nextBoolean() ? Module.BACKUP : Module.ADMIN;
    switch (r.nextInt(12)) {
      case 0 -> out.add(word());
      case 1 -> out.add("help");
      case 2 -> { }
      default -> out.add(caseOf(m.word()));
    }
    List<String> args = args(m);
    // Options may stand anywhere; every position is tried.
    int at = r.nextInt(args.size() + 1);
    out.addAll(args.subList(0, at));
    if (r.nextInt(4) == 0) {
      out.add(pick(OPTIONS));
    }
    out.addAll(args.subList(at, args.size()));
    return out.toArray(String[]::new);
  }

  /** The {@code args} of a submission: a command name and its arguments, near-valid or not. */
  public List<String> args(Module m) {
    List<CommandSpec> specs = m == Module.BACKUP ? backup : admin;
    CommandSpec spec = specs.get(r.nextInt(specs.size()));
    List<String> out = new ArrayList<>();
    switch (r.nextInt(20)) {
      case 0 -> out.add(word());
      case 1 -> out.add(spec.name().substring(0, Math.max(1, spec.name().length() - 1)));
      default -> out.add(r.nextInt(4) == 0 ? caseOf(spec.name()) : spec.name());
    }
    for (ParamSpec p : spec.positional()) {
      if (r.nextInt(15) == 0) {
        break;
      }
      out.add(r.nextInt(12) == 0 ? word() : value(p));
    }
    List<ParamSpec> optional = new ArrayList<>(spec.optional());
    int named = optional.isEmpty() ? 0 : r.nextInt(Math.min(4, optional.size()) + 1);
    for (int i = 0; i < named; i++) {
      ParamSpec p = optional.get(r.nextInt(optional.size()));
      out.add(r.nextInt(15) == 0 ? word() : r.nextInt(6) == 0 ? caseOf(p.name()) : p.name());
      if (r.nextInt(20) != 0) {
        out.add(r.nextInt(12) == 0 ? word() : value(p));
      }
    }
    if (r.nextInt(15) == 0) {
      out.add(word());
    }
    return out;
  }

  /** A value for {@code p}: mostly of its type, sometimes just wrong. */
  public String value(ParamSpec p) {
    if (r.nextInt(10) == 0) {
      return word();
    }
    return switch (p.type()) {
      case ACCOUNT, ACCOUNT_OR_ID -> r.nextInt(5) == 0 ? UUID.randomUUID().toString() : pick(ACCOUNTS);
      case DOMAIN -> pick(new String[] {"fuzz.test", "FUZZ.test", "other.test", "-bad.test", "a..b", "fuzz"});
      case COS -> pick(new String[] {"default", "staff", "bad cos", ".hidden", "x".repeat(300)});
      case BOOLEAN -> pick(new String[] {"true", "false", "TRUE", "False", "yes", "1"});
      case INTEGER -> pick(INTEGERS);
      case DATE -> pick(DATES);
      case UUID -> pick(new String[] {UUID.randomUUID().toString(), UUID.randomUUID().toString().toUpperCase(Locale.ROOT),
          "not-a-uuid", "00000000-0000-0000-0000-000000000000", "1-1-1-1-1"});
      case CHOICE -> p.keywords().isEmpty() ? word() : r.nextInt(5) == 0 ? word()
          : caseOf(p.keywords().get(r.nextInt(p.keywords().size())));
      case PATH -> path();
      case STRING -> r.nextBoolean() ? "text " + r.nextInt(100) : word();
      case ACCOUNT_LIST, ACCOUNT_OR_ID_LIST, DOMAIN_LIST, COS_LIST, EMAIL_LIST, STRING_LIST -> list(p);
    };
  }

  private String list(ParamSpec p) {
    if (r.nextInt(6) == 0) {
      return pick(new String[] {"all", "ALL", "", ",", "a,,b"});
    }
    ParamType element = switch (p.type()) {
      case DOMAIN_LIST -> ParamType.DOMAIN;
      case COS_LIST -> ParamType.COS;
      case STRING_LIST -> ParamType.STRING;
      default -> ParamType.ACCOUNT;
    };
    ParamSpec one = new ParamSpec(p.name(), element, false, null, List.of(), "");
    StringBuilder sb = new StringBuilder(value(one));
    for (int i = r.nextInt(3); i > 0; i--) {
      sb.append(r.nextInt(8) == 0 ? ", " : ",").append(value(one));
    }
    return sb.toString();
  }

  /** A path parameter: inside the allowed root, or out of it in one of the ways an attacker would try. */
  public String path() {
    Path in = paths.allowed();
    String outName = paths.outside().getFileName().toString();
    return switch (r.nextInt(16)) {
      case 0, 1 -> in.resolve("fuzz-" + r.nextInt(20)).toString();
      case 2 -> in + "/../" + outName + "/x" + r.nextInt(5);
      case 3 -> in + "/./fuzz-a/../../" + outName;
      case 4 -> paths.outside().resolve("direct").toString();
      case 5 -> paths.linkOut().resolve("via-link-" + r.nextInt(5)).toString();
      case 6 -> paths.linkOut().toString();
      case 7 -> paths.danglingLink().toString();
      case 8 -> paths.danglingLink().resolve("below").toString();
      case 9 -> Path.of("").toAbsolutePath().relativize(paths.outside().resolve("relative")).toString();
      case 10 -> pick(new String[] {"/", "/etc", "/etc/passwd", "/proc/self/mem", "/dev/null", "../../etc", "~root",
          "relative/path", ".", ".."});
      case 11 -> in + "/nul\0byte";
      case 12 -> in.resolve("ctl\u0001\u001b[1m" + r.nextInt(3)).toString();
      case 13 -> in + "/" + "long".repeat(100 + r.nextInt(1000));
      case 14 -> in + "/" + "d/".repeat(300 + r.nextInt(800)) + "deep";
      default -> in + "//fuzz-b///";
    };
  }

  /** One hostile word. */
  public String word() {
    return switch (r.nextInt(8)) {
      case 0 -> "x".repeat(1000 + r.nextInt(200_000));
      case 1 -> controlString(1 + r.nextInt(40));
      case 2 -> Integer.toString(r.nextInt());
      default -> pick(HOSTILE);
    };
  }

  /** A request body for {@code POST /api/v1/commands}: well-formed or not, of the right shape or not. */
  public String body() {
    Module m = r.nextInt(8) == 0 ? Module.ADMIN : Module.BACKUP;
    switch (r.nextInt(24)) {
      case 0:
        return truncated(submission(m));
      case 1:
        return controlString(1 + r.nextInt(200));
      case 2:
        return pick(new String[] {"", "null", "[]", "{}", "\"backup\"", "42", "true", "{\"args\":null}",
            "{\"args\":{}}", "{\"args\":\"doSmartScan\"}", "{\"args\":[]}", "{\"args\":[null]}",
            "{\"args\":[\"doSmartScan\",null]}", "{\"args\":[1,2.5,true]}", "{\"args\":[[\"doSmartScan\"]]}",
            "{\"args\":[{\"a\":1}]}", "{\"module\":7,\"args\":[\"doSmartScan\"]}",
            "{\"module\":[\"backup\"],\"args\":[\"doSmartScan\"]}", "{\"args\":[\"doSmartScan\"],\"target\":[]}",
            "{\"args\":[\"doSmartScan\"],\"target\":{\"x\":1}}", "{\"args\":[\"doSmartScan\"],\"target\":12}",
            "{\"args\":[\"getServices\"],\"args\":[\"doSmartScan\"]}", "{\"args\":[\"getServices\"]} trailing",
            "{'args':['getServices']}", "{\"args\":[\"getServices\"],}", "\uFEFF{\"args\":[\"getServices\"]}"});
      case 3:
        return "[".repeat(1 + r.nextInt(5000)) + "]".repeat(r.nextInt(5000));
      case 4:
        return "{\"module\":\"backup\",\"args\":[\"getServices\"],\"pad\":\"" + "x".repeat(900_000 + r.nextInt(300_000))
            + "\"}";
      case 5: {
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("module", pick(new String[] {"backup", "admin", "BACKUP", "", "zextras", "help"}));
        odd.put("args", args(m));
        odd.put("target", target());
        odd.put(word(), word());
        return Json.encode(odd);
      }
      default:
        return submission(m);
    }
  }

  private String submission(Module m) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (r.nextInt(6) != 0) {
      s.put("module", r.nextInt(10) == 0 ? caseOf(m.word()) : m.word());
    }
    s.put("args", args(m));
    String t = target();
    if (t != null) {
      s.put("target", t);
    }
    return Json.encode(s);
  }

  private String target() {
    return switch (r.nextInt(10)) {
      case 0 -> "mbox1";
      case 1 -> "all_servers";
      case 2 -> "ALL_SERVERS";
      case 3 -> word();
      case 4 -> "";
      default -> null;
    };
  }

  private String truncated(String json) {
    return json.substring(0, r.nextInt(Math.max(1, json.length())));
  }

  private String controlString(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int c = switch (r.nextInt(4)) {
        case 0 -> r.nextInt(0x20);
        case 1 -> 0x7f + r.nextInt(0x21);
        case 2 -> r.nextInt(0x10000);
        default -> 0x20 + r.nextInt(0x5f);
      };
      sb.append((char) c);
    }
    return sb.toString();
  }

  private String caseOf(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return sb.toString();
  }

  private String pick(String[] from) {
    return from[r.nextInt(from.length)];
  }
}
