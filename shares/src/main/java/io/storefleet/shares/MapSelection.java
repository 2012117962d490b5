package io.storefleet.shares;

/**
 * Which import maps a share check or fix uses: every map of every server (merged), or one map
 * file of one server.
 *
 * @param server the server holding the one map, or null for all
 * @param file the one map's file name, or null for all
 */
public record MapSelection(String server, String file) {
  /** The word that selects every map of every server. */
  public static final String ALL = "all";

  public static MapSelection all() {
    return new MapSelection(null, null);
  }

  public static MapSelection one(String server, String file) {
    return new MapSelection(server, file);
  }

  public boolean isAll() {
    return server == null;
  }

  boolean includes(String onServer, String mapFile) {
    return server == null || (server.equals(onServer) && file.equals(mapFile));
  }

  @Override
  public String toString() {
    return isAll() ? "every server's import maps" : "import map " + file + " of " + server;
  }
}
