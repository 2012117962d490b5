package io.storefleet.protocol.catalogue;

/**
 * A command of the catalogue named in code: the constants of {@link BackupCommand} and {@link
 * AdminCommand}. Code that registers, queues or asks for a command names it by its entry, so a
 * misspelt command does not compile.
 */
public interface CatalogueEntry {
  /** The entry's command: name, module, parameters and routing facts. */
  CommandSpec spec();

  /** The catalogue's command of that exact name, for an entry's constant; fails when the class loads. */
  static CommandSpec resolve(Module module, String command) {
    return Catalogue.get().find(module, command)
        .filter(s -> s.name().equals(command))
        .orElseThrow(() -> new IllegalStateException(module.word() + " " + command
            + " is not in the catalogue; add it there or remove its constant"));
  }
}
