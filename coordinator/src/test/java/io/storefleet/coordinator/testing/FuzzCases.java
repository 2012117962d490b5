package io.storefleet.coordinator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Runs a property over generated cases: {@code storefleet.fuzz.cases} of them (the caller's
 * default otherwise), drawn from {@code storefleet.fuzz.seed} (a new seed otherwise). A failing
 * case is shrunk (words dropped, long words cut) while it still fails, and reported with the
 * seed that reproduces the run.
 */
public final class FuzzCases {
  /** A property of one case: null when it holds, otherwise what is wrong. */
  public interface Property<T> {
    String check(T input) throws Exception;
  }

  private FuzzCases() {}

  /** How many cases a run makes. */
  public static int count(int byDefault) {
    return Integer.getInteger("storefleet.fuzz.cases", byDefault);
  }

  /** Checks {@code property} on {@code cases} word lists made by {@code make}; throws on the first that fails. */
  public static int run(String what, int cases, Function<Random, List<String>> make, Property<List<String>> property)
      throws Exception {
    long seed = Long.getLong("storefleet.fuzz.seed", new Random().nextLong());
    Random r = new Random(seed);
    for (int i = 0; i < cases; i++) {
      List<String> input = make.apply(r);
      String wrong = safely(property, input);
      if (wrong != null) {
        List<String> small = shrink(input, property);
        throw new AssertionError(what + ": case " + (i + 1) + " of " + cases + " fails (rerun with -Dstorefleet.fuzz.seed="
            + seed + "): " + wrong + "\n  generated input: " + show(input) + "\n  shrunk input: " + show(small)
            + "\n  which fails as: " + safely(property, small));
      }
    }
    return cases;
  }

  private static String safely(Property<List<String>> property, List<String> input) {
    try {
      return property.check(input);
    } catch (Exception | AssertionError e) {
      return "threw " + e;
    }
  }

  /** Drops words and shortens long ones as long as the property still fails. */
  private static List<String> shrink(List<String> input, Property<List<String>> property) {
    List<String> cur = new ArrayList<>(input);
    boolean progress = true;
    for (int round = 0; progress && round < 50; round++) {
      progress = false;
      for (int i = 0; i < cur.size(); i++) {
        List<String> fewer = new ArrayList<>(cur);
        fewer.remove(i);
        if (safely(property, fewer) != null) {
          cur = fewer;
          progress = true;
          break;
        }
        String w = cur.get(i);
        if (w.length() > 8) {
          List<String> shorter = new ArrayList<>(cur);
          shorter.set(i, w.substring(0, w.length() / 2));
          if (safely(property, shorter) != null) {
            cur = shorter;
            progress = true;
            break;
          }
        }
      }
    }
    return cur;
  }

  /** Words as Java string literals, long ones cut, so that control characters can be read. */
  public static String show(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      StringBuilder sb = new StringBuilder("\"");
      String cut = w.length() > 120 ? w.substring(0, 120) : w;
      for (char c : cut.toCharArray()) {
        if (c < 0x20 || c >= 0x7f) {
          sb.append(String.format("\\u%04x", (int) c));
        } else if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else {
          sb.append(c);
        }
      }
      sb.append(w.length() > 120 ? "\"...(" + w.length() + " chars)" : "\"");
      out.add(sb.toString());
    }
    return out.toString();
  }
}
