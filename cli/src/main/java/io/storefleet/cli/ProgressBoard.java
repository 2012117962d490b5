package io.storefleet.cli;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --progress} display: one line per operation (so one per server for a broadcast),
 * each cut to the terminal's width. On a terminal the lines are redrawn in place; elsewhere a
 * line is printed again only when it changed.
 */
final class ProgressBoard {
  /** The width used on a terminal whose width is not known ({@code COLUMNS} unset). */
  static final int DEFAULT_WIDTH = 80;

  private final PrintStream out;
  private final boolean tty;
  private final int width;
  private List<String> shown = List.of();

  /**
   * @param width the columns each line may use, or 0 for no limit
   */
  ProgressBoard(PrintStream out, boolean tty, int width) {
    this.out = out;
    this.tty = tty;
    this.width = width;
  }

  /** A board for the real console: its width from {@code COLUMNS} (the launcher sets it). */
  static ProgressBoard forConsole(PrintStream out) {
    boolean tty = System.console() != null;
    int width = 0;
    try {
      width = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "0").trim());
    } catch (NumberFormatException e) {
      // Not a number: treated as unknown.
    }
    return new ProgressBoard(out, tty, width > 0 ? width : tty ? DEFAULT_WIDTH : 0);
  }

  /** Shows the operations' current progress. */
  void show(List<Operation> ops) {
    List<String> lines = new ArrayList<>();
    for (Operation op : ops) {
      lines.add(fit(OperationText.progressLine(op), width));
    }
    if (lines.equals(shown)) {
      return;
    }
    if (tty) {
      StringBuilder sb = new StringBuilder();
      if (!shown.isEmpty()) {
        // Back to the first line of the previous drawing.
        sb.append('\r');
        if (shown.size() > 1) {
          sb.append("\u001b[").append(shown.size() - 1).append('A');
        }
      }
      for (int i = 0; i < lines.size(); i++) {
        sb.append(lines.get(i)).append("\u001b[K");
        if (i < lines.size() - 1) {
          sb.append('\n');
        }
      }
      out.print(sb);
    } else {
      for (int i = 0; i < lines.size(); i++) {
        if (i >= shown.size() || !lines.get(i).equals(shown.get(i))) {
          out.println(lines.get(i));
        }
      }
    }
    out.flush();
    shown = lines;
  }

  /** Ends the drawing, so what follows starts on a fresh line. */
  void finish() {
    if (tty && !shown.isEmpty()) {
      out.println();
    }
  }

  /** The line cut to {@code width} columns with an ellipsis; 0 means no limit. */
  static String fit(String line, int width) {
    if (width <= 0 || line.length() <= width) {
      return line;
    }
    return width == 1 ? "…" : line.substring(0, width - 1) + "…";
  }
}
