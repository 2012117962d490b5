package io.storefleet.protocol.catalogue;

/**
 * A command of the catalogue named in code: the constants of {@link BackupCommand} and {@link
 * AdminCommand}. Code that registers, queues or asks for a command names it by its entry, so a
 * misspelt command does not compile; the catalogue builds each command from its entry, so the
 * command's name is written once, in the entry.
 */
public interface CatalogueEntry {
  /** The command's name, as operators type it and requests carry it. */
  String command();

  /** The module the command belongs to. */
  Module module();

  /** The entry's command: name, module, parameters and routing facts. */
  default CommandSpec spec() {
    return Catalogue.get().find(module(), command())
        .orElseThrow(() -> new IllegalStateException(module().word() + " " + command()
            + " has a constant but no catalogue entry; add it to the catalogue or remove its constant"));
  }
}
