package dev.smtptls.internal.scan;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The line rule of every scan input: lines are numbered from 1, blank lines and lines starting
 * with {@code #} are skipped (their numbers are kept, so errors name the right line), and one line
 * is read per entry asked for, so a file of any size streams through. Not API.
 */
public final class InputLines {

  /**
   * Makes an entry of a line.
   *
   * @param <T> the entry
   */
  @FunctionalInterface
  public interface Parser<T> {
    /**
     * Parses a line that is neither blank nor a comment; never throws for bad text.
     *
     * @param number the line number, from 1
     * @param line the line, stripped
     * @return the entry
     */
    T parse(long number, String line);
  }

  private InputLines() {}

  /**
   * Lazily parses lines.
   *
   * @param lines the lines, e.g. {@code BufferedReader.lines().iterator()}
   * @param parser makes an entry of each line that is neither blank nor a comment
   * @param <T> the entry
   * @return the entries
   */
  public static <T> Iterator<T> parse(Iterator<String> lines, Parser<? extends T> parser) {
    requireNonNull(lines, "lines");
    requireNonNull(parser, "parser");
    return new Iterator<>() {
      private long number;
      private @Nullable T next;

      @Override
      public boolean hasNext() {
        while (next == null && lines.hasNext()) {
          String line = lines.next();
          number++;
          String t = line.strip();
          if (!t.isEmpty() && !t.startsWith("#")) {
            next = parser.parse(number, t);
          }
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T n = next;
        next = null;
        return requireNonNull(n);
      }
    };
  }

  /**
   * Lazily numbers items from 1.
   *
   * @param items the items
   * @param entry makes an entry of an item and its number
   * @param <S> an item
   * @param <T> an entry
   * @return the entries
   */
  public static <S, T> Iterator<T> number(Iterator<? extends S> items, Numbered<? super S, ? extends T> entry) {
    requireNonNull(items, "items");
    requireNonNull(entry, "entry");
    return new Iterator<>() {
      private long number;

      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public T next() {
        return entry.of(++number, items.next());
      }
    };
  }

  /**
   * Makes an entry of an item and its position.
   *
   * @param <S> an item
   * @param <T> an entry
   */
  @FunctionalInterface
  public interface Numbered<S, T> {
    /**
     * Makes the entry.
     *
     * @param number the position, from 1
     * @param item the item
     * @return the entry
     */
    T of(long number, S item);
  }
}
