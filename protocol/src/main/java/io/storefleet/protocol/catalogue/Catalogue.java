package io.storefleet.protocol.catalogue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one catalogue of commands storefleet understands. Names are looked up case-insensitively,
 * as in the vendor CLI.
 */
public final class Catalogue {
  private static final Catalogue INSTANCE = new Catalogue();

  private final Map<Module, Map<String, CommandSpec>> byModule = new LinkedHashMap<>();

  private Catalogue() {
    register(BackupCommands.all());
    register(AdminCommands.all());
  }

  /** The catalogue. */
  public static Catalogue get() {
    return INSTANCE;
  }

  private void register(List<CommandSpec> specs) {
    for (CommandSpec s : specs) {
      Map<String, CommandSpec> m = byModule.computeIfAbsent(s.module(), k -> new LinkedHashMap<>());
      if (m.put(s.name().toLowerCase(Locale.ROOT), s) != null) {
        throw new IllegalStateException("duplicate command " + s.name());
      }
    }
  }

  /** A command by module and name, case-insensitive. */
  public Optional<CommandSpec> find(Module module, String name) {
    Map<String, CommandSpec> m = byModule.getOrDefault(module, Map.of());
    return Optional.ofNullable(m.get(name.toLowerCase(Locale.ROOT)));
  }

  /** A backup command by name, case-insensitive. */
  public Optional<CommandSpec> backup(String name) {
    return find(Module.BACKUP, name);
  }

  /** The commands of a module, in the manual's order. */
  public List<CommandSpec> commands(Module module) {
    return Collections.unmodifiableList(
        new ArrayList<>(byModule.getOrDefault(module, Map.of()).values()));
  }

  /** Every command. */
  public List<CommandSpec> all() {
    List<CommandSpec> out = new ArrayList<>();
    byModule.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /** The command whose name is closest to {@code name} (edit distance), for "did you mean". */
  public Optional<CommandSpec> closest(Module module, String name) {
    if (!EditDistance.suggestible(name)) {
      return Optional.empty();
    }
    String wanted = name.toLowerCase(Locale.ROOT);
    CommandSpec best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (CommandSpec s : commands(module)) {
      int d = EditDistance.between(wanted, s.name().toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = s;
        bestDistance = d;
      }
    }
    // Beyond half the word's length the guess is noise rather than help.
    if (best == null || bestDistance > Math.max(3, wanted.length() / 2)) {
      return Optional.empty();
    }
    return Optional.of(best);
  }
}
