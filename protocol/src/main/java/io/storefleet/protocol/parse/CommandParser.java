package io.storefleet.protocol.parse;

import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.CatalogueEntry;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.EditDistance;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.catalogue.ParamSpec;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads the vendor grammar: the command name (any case), its positional mandatory values in
 * order, then {@code name value} pairs. Every error names the command, the parameter and the
 * fix.
 */
public final class CommandParser {
  private static final Pattern ADDRESS =
      Pattern.compile("[^@\\s,]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern DOMAIN =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Catalogue catalogue;

  public CommandParser(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  public CommandParser() {
    this(Catalogue.get());
  }

  /**
   * Parses command-line words: {@code tokens[0]} is the command name.
   *
   * @throws StorefleetException with a definite parse error code
   */
  public ParsedCommand parse(Module module, List<String> tokens) {
    if (tokens.isEmpty()) {
      throw ErrorCode.UNKNOWN_COMMAND.exception(
          "no " + module.word() + " command given; run 'storefleet help " + module.word() + "' for the list");
    }
    CommandSpec spec = lookup(module, tokens.get(0));
    List<ParamSpec> positional = spec.positional();
    List<String> args = tokens.subList(1, tokens.size());
    Map<String, String> given = new LinkedHashMap<>();
    int i = 0;
    for (ParamSpec p : positional) {
      if (i >= args.size()) {
        throw missing(spec, p);
      }
      given.put(p.name(), args.get(i++));
    }
    while (i < args.size()) {
      String name = args.get(i);
      Optional<ParamSpec> p = spec.param(name);
      if (p.isEmpty()) {
        throw unknownParameter(spec, name, args.size() - i);
      }
      if (given.containsKey(p.get().name())) {
        throw ErrorCode.DUPLICATE_PARAMETER.exception(
            spec.name() + ": parameter " + p.get().name() + " is given twice; give it once");
      }
      if (i + 1 >= args.size()) {
        throw ErrorCode.MISSING_PARAMETER.exception(
            spec.name() + ": parameter " + p.get().name() + " has no value; write '"
                + p.get().name() + " <" + describe(p.get()) + ">'");
      }
      given.put(p.get().name(), args.get(i + 1));
      i += 2;
    }
    return check(spec, given);
  }

  /**
   * Checks named values (as sent over the API or forwarded between servers) against a command.
   *
   * @throws StorefleetException with a definite parse error code
   */
  public ParsedCommand fromValues(Module module, String command, Map<String, String> values) {
    return fromValues(lookup(module, command), values);
  }

  /** As {@link #fromValues(Module, String, Map)}, for a command named in code. */
  public ParsedCommand fromValues(CatalogueEntry command, Map<String, String> values) {
    return fromValues(command.spec(), values);
  }

  private ParsedCommand fromValues(CommandSpec spec, Map<String, String> values) {
    Map<String, String> given = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      Optional<ParamSpec> p = spec.param(e.getKey());
      if (p.isEmpty()) {
        throw unknownParameter(spec, e.getKey(), 2);
      }
      if (given.put(p.get().name(), e.getValue()) != null) {
        throw ErrorCode.DUPLICATE_PARAMETER.exception(
            spec.name() + ": parameter " + p.get().name() + " is given twice; give it once");
      }
    }
    for (ParamSpec p : spec.positional()) {
      if (!given.containsKey(p.name())) {
        throw missing(spec, p);
      }
    }
    return check(spec, given);
  }

  /** A command by name, or UNKNOWN_COMMAND naming the closest match. */
  public CommandSpec lookup(Module module, String name) {
    return catalogue
        .find(module, name)
        .orElseThrow(
            () -> {
              String hint =
                  catalogue
                      .closest(module, name)
                      .map(s -> "; did you mean " + s.name() + "?")
                      .orElse("; run 'storefleet help " + module.word() + "' for the list");
              return ErrorCode.UNKNOWN_COMMAND.exception(
                  "unknown " + module.word() + " command '" + name + "'" + hint);
            });
  }

  private ParsedCommand check(CommandSpec spec, Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> defaulted = new HashSet<>();
    for (ParamSpec p : spec.params()) {
      String raw = given.get(p.name());
      if (raw == null) {
        if (p.defaultValue() != null) {
          out.put(p.name(), p.defaultValue());
          defaulted.add(p.name());
        }
        continue;
      }
      out.put(p.name(), normalize(spec, p, raw));
    }
    return new ParsedCommand(spec, out, defaulted);
  }

  /** The canonical form of one value, or BAD_VALUE showing the expected values. */
  static String normalize(CommandSpec spec, ParamSpec p, String raw) {
    String v = unquote(raw.trim());
    try {
      return switch (p.type()) {
        case BOOLEAN -> {
          if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            yield v.toLowerCase(Locale.ROOT);
          }
          throw bad(spec, p, raw);
        }
        case INTEGER -> {
          try {
            yield Long.toString(Long.parseLong(v));
          } catch (NumberFormatException e) {
            throw bad(spec, p, raw);
          }
        }
        case DATE -> {
          DateArg d = DateArg.parse(v);
          if (d.keyword() != null && !p.keywords().contains(d.keyword())) {
            throw bad(spec, p, raw);
          }
          yield d.toString();
        }
        case UUID -> {
          try {
            String u = UUID.fromString(v).toString();
            if (!u.equalsIgnoreCase(v)) {
              throw bad(spec, p, raw);
            }
            yield u;
          } catch (IllegalArgumentException e) {
            throw bad(spec, p, raw);
          }
        }
        case CHOICE -> {
          for (String k : p.keywords()) {
            if (k.equalsIgnoreCase(v)) {
              yield k;
            }
          }
          throw bad(spec, p, raw);
        }
        case ACCOUNT -> address(spec, p, raw, v);
        case ACCOUNT_OR_ID -> isUuid(v) ? v.toLowerCase(Locale.ROOT) : address(spec, p, raw, v);
        case DOMAIN -> {
          if (!DOMAIN.matcher(v).matches()) {
            throw bad(spec, p, raw);
          }
          yield v.toLowerCase(Locale.ROOT);
        }
        case COS -> {
          if (!NAME.matcher(v).matches()) {
            throw bad(spec, p, raw);
          }
          yield v;
        }
        case PATH -> {
          if (v.isEmpty() || v.indexOf('\0') >= 0) {
            throw bad(spec, p, raw);
          }
          yield v;
        }
        case STRING -> v;
        case ACCOUNT_LIST, ACCOUNT_OR_ID_LIST, DOMAIN_LIST, COS_LIST, EMAIL_LIST, STRING_LIST ->
            list(spec, p, raw, v);
      };
    } catch (StorefleetException e) {
      if (e.code() == ErrorCode.BAD_VALUE && !e.getMessage().startsWith(spec.name())) {
        throw bad(spec, p, raw);
      }
      throw e;
    }
  }

  private static String list(CommandSpec spec, ParamSpec p, String raw, String v) {
    if (v.isEmpty() || v.equalsIgnoreCase("all")) {
      return v.toLowerCase(Locale.ROOT);
    }
    List<String> out = new ArrayList<>();
    for (String part : v.split(",", -1)) {
      String e = part.trim();
      if (e.isEmpty()) {
        throw ErrorCode.BAD_VALUE.exception(
            spec.name() + ": parameter " + p.name() + " has an empty element in '" + raw
                + "'; separate values with single commas, no spaces");
      }
      out.add(
          switch (p.type()) {
            case ACCOUNT_LIST, EMAIL_LIST -> address(spec, p, raw, e);
            case ACCOUNT_OR_ID_LIST -> isUuid(e) ? e.toLowerCase(Locale.ROOT) : address(spec, p, raw, e);
            case DOMAIN_LIST -> {
              if (!DOMAIN.matcher(e).matches()) {
                throw bad(spec, p, raw);
              }
              yield e.toLowerCase(Locale.ROOT);
            }
            default -> e;
          });
    }
    return String.join(",", out);
  }

  private static String address(CommandSpec spec, ParamSpec p, String raw, String v) {
    if (!ADDRESS.matcher(v).matches()) {
      if (v.indexOf('@') < 0 && NAME.matcher(v).matches()) {
        // A bare local part: accounts are named by their full address on every server.
        throw ErrorCode.BAD_VALUE.exception(spec.name() + ": '" + raw + "' is not a full address for " + p.name()
            + "; write the whole address, e.g. " + v + "@<domain> (storefleet whereis finds where it lives)");
      }
      throw bad(spec, p, raw);
    }
    return v.toLowerCase(Locale.ROOT);
  }

  private static boolean isUuid(String v) {
    try {
      return UUID.fromString(v).toString().equalsIgnoreCase(v);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The value without every pair of matching quotes around it. All of them, not one: the worker
   * reads the canonical value again, and must find what the coordinator checked ({@code "'x'"}
   * was {@code 'x'} on the coordinator and {@code x} on the worker).
   */
  private static String unquote(String v) {
    while (v.length() >= 2) {
      char a = v.charAt(0);
      char b = v.charAt(v.length() - 1);
      if ((a != '`' && a != '"' && a != '\'') || a != b) {
        break;
      }
      v = v.substring(1, v.length() - 1).trim();
    }
    return v;
  }

  private static StorefleetException bad(CommandSpec spec, ParamSpec p, String raw) {
    return ErrorCode.BAD_VALUE.exception(
        spec.name() + ": '" + raw + "' is not a valid value for " + p.name() + "; expected "
            + describe(p));
  }

  /** The type and expected values of a parameter, as shown in errors. */
  static String describe(ParamSpec p) {
    String ev = p.expectedValues();
    return ev.isEmpty() ? p.type().label() : p.type().label() + " " + ev;
  }

  private static StorefleetException missing(CommandSpec spec, ParamSpec p) {
    return ErrorCode.MISSING_PARAMETER.exception(
        spec.name() + ": missing mandatory parameter " + p.name() + " (" + describe(p)
            + "); usage: " + spec.syntax());
  }

  private static StorefleetException unknownParameter(CommandSpec spec, String name, int remaining) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (ParamSpec p : EditDistance.suggestible(name) ? spec.params() : List.<ParamSpec>of()) {
      int d = EditDistance.between(name.toLowerCase(Locale.ROOT), p.name().toLowerCase(Locale.ROOT));
      if (d < best) {
        best = d;
        closest = p.name();
      }
    }
    List<String> accepted = new ArrayList<>();
    spec.optional().forEach(p -> accepted.add(p.name()));
    String hint;
    if (accepted.isEmpty()) {
      hint = "; " + spec.name() + " takes no optional parameters (usage: " + spec.syntax() + ")";
    } else if (closest != null && best <= Math.max(2, name.length() / 3)) {
      hint = "; did you mean " + closest + "? accepted: " + String.join(", ", accepted);
    } else {
      hint = "; accepted: " + String.join(", ", accepted);
    }
    String what = remaining == 1 && spec.optional().isEmpty() ? "unexpected argument '" : "unknown parameter '";
    return (remaining == 1 && spec.optional().isEmpty() ? ErrorCode.TOO_MANY_ARGUMENTS : ErrorCode.UNKNOWN_PARAMETER)
        .exception(spec.name() + ": " + what + name + "'" + hint);
  }
}
