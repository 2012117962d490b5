package io.storefleet.protocol.catalogue;

import java.util.List;

/** Left-aligned text tables with columns padded to their widest cell. */
public final class Table {
  private Table() {}

  /** Renders rows (the first is the header) with four spaces between columns. */
  public static String render(List<String[]> rows) {
    int cols = 0;
    for (String[] r : rows) {
      cols = Math.max(cols, r.length);
    }
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c] == null ? 0 : r[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        String cell = r[c] == null ? "" : r[c];
        line.append(cell);
        if (c < r.length - 1) {
          line.append(" ".repeat(width[c] - cell.length() + 4));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
