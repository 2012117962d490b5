package io.storefleet.worker.importmap;

import java.util.Arrays;

/**
 * One account's old → new item ids (folders included), as two sorted int arrays: a million
 * entries take 8 MB instead of the ~80 MB of a boxed map.
 */
public final class ItemIds {
  static final ItemIds EMPTY = new ItemIds(new int[0], new int[0]);

  private final int[] olds;
  private final int[] news;

  private ItemIds(int[] olds, int[] news) {
    this.olds = olds;
    this.news = news;
  }

  /** The new id of {@code oldId}, or -1 when the map has none. */
  public int get(int oldId) {
    int i = Arrays.binarySearch(olds, oldId);
    return i >= 0 ? news[i] : -1;
  }

  public int size() {
    return olds.length;
  }

  /** The i-th old id, in ascending order. */
  public int oldAt(int i) {
    return olds[i];
  }

  /** The new id of the i-th old id. */
  public int newAt(int i) {
    return news[i];
  }

  /** Collects pairs in file order; a later pair for the same old id replaces an earlier one. */
  static final class Builder {
    private int[] olds = new int[16];
    private int[] news = new int[16];
    private int n;

    void put(int oldId, int newId) {
      if (n == olds.length) {
        olds = Arrays.copyOf(olds, n * 2);
        news = Arrays.copyOf(news, n * 2);
      }
      olds[n] = oldId;
      news[n] = newId;
      n++;
    }

    ItemIds build() {
      if (n == 0) {
        return EMPTY;
      }
      // Sort (old id, position) so that the last pair of each old id is the last of its run.
      long[] keyed = new long[n];
      for (int i = 0; i < n; i++) {
        keyed[i] = ((long) olds[i] << 32) | i;
      }
      Arrays.sort(keyed);
      int[] o = new int[n];
      int[] w = new int[n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        int old = (int) (keyed[i] >>> 32);
        int pos = (int) keyed[i];
        if (m > 0 && o[m - 1] == old) {
          w[m - 1] = news[pos];
        } else {
          o[m] = old;
          w[m] = news[pos];
          m++;
        }
      }
      return new ItemIds(Arrays.copyOf(o, m), Arrays.copyOf(w, m));
    }
  }
}
