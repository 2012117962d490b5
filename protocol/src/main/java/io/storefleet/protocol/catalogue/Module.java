package io.storefleet.protocol.catalogue;

/** The command families of the CLI: {@code storefleet backup ...} and {@code storefleet admin ...}. */
public enum Module {
  /** The vendor's {@code backup} commands. */
  BACKUP("backup"),
  /** Store administration for the embedded store (stands in for zmprov/zmmailbox). */
  ADMIN("admin");

  private final String word;

  Module(String word) {
    this.word = word;
  }

  /** The word that selects this module on the command line. */
  public String word() {
    return word;
  }

  /** The module for a command-line word, case-insensitive, or null. */
  public static Module fromWord(String word) {
    for (Module m : values()) {
      if (m.word.equalsIgnoreCase(word)) {
        return m;
      }
    }
    return null;
  }
}
