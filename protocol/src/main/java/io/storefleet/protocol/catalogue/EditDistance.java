package io.storefleet.protocol.catalogue;

/** Levenshtein distance, for suggesting the closest command or parameter name. */
public final class EditDistance {
  /** No command or parameter name is longer; a longer word is no typo of one. */
  private static final int LONGEST_SUGGESTED = 64;

  private EditDistance() {}

  /**
   * Whether a suggestion is worth looking for: the distance costs the product of the two lengths,
   * so a word of a megabyte (a request body is allowed one) would hold a thread for seconds.
   */
  public static boolean suggestible(String word) {
    return word.length() <= LONGEST_SUGGESTED;
  }

  /** The number of single-character edits that turn {@code a} into {@code b}. */
  public static int between(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
