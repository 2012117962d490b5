package io.storefleet.protocol.catalogue;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of a command.
 *
 * @param name the wire and command-line name
 * @param type the value type
 * @param mandatory whether it is positional and required ({@code (M)}) or a {@code name value}
 *     option ({@code (O)})
 * @param defaultValue the value used when an optional parameter is absent, or null for none
 * @param keywords words accepted besides a typed value (dates: {@code first}, {@code last},
 *     {@code all}; choices: the allowed values)
 * @param about one line that says what the parameter does
 */
public record ParamSpec(
    String name,
    ParamType type,
    boolean mandatory,
    String defaultValue,
    List<String> keywords,
    String about) {

  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    keywords = List.copyOf(keywords == null ? List.of() : keywords);
    about = about == null ? "" : about;
  }

  /** A mandatory positional parameter. */
  public static ParamSpec m(String name, ParamType type, String about, String... keywords) {
    return new ParamSpec(name, type, true, null, List.of(keywords), about);
  }

  /** An optional {@code name value} parameter. */
  public static ParamSpec o(
      String name, ParamType type, String defaultValue, String about, String... keywords) {
    return new ParamSpec(name, type, false, defaultValue, List.of(keywords), about);
  }

  /** The EXPECTED VALUES column of the help table. */
  public String expectedValues() {
    return switch (type) {
      case BOOLEAN -> "true|false";
      case DATE -> keywords.isEmpty()
          ? "dd/MM/yyyy HH:mm:ss"
          : "dd/MM/yyyy HH:mm:ss|" + String.join("|", keywords);
      case CHOICE -> String.join("|", keywords);
      default -> keywords.isEmpty() ? "" : String.join("|", keywords);
    };
  }
}
