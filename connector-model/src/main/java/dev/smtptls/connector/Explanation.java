package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link SmtpErrorExplainer#explain(String)} made of a logged SMTP error: the replies it
 * found, outermost first, and the causes it knows for them, most likely first. The JSON form is
 * the {@code explain} object of {@code CONTRACT.md}.
 *
 * @param replies the replies in the line, outermost first; never empty
 * @param causes the known causes, most likely first; empty when no rule matches the line
 */
public record Explanation(List<ExplainedReply> replies, List<ExplainedCause> causes) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if a list or an element is null
   * @throws IllegalArgumentException if {@code replies} is empty
   */
  public Explanation {
    replies = List.copyOf(requireNonNull(replies, "replies"));
    causes = List.copyOf(requireNonNull(causes, "causes"));
    if (replies.isEmpty()) {
      throw new IllegalArgumentException("an explanation needs at least one reply");
    }
  }

  /**
   * Whether at least one cause is known: the condition for exit 0 of {@code smtptls explain}.
   *
   * @return true when {@link #causes()} is not empty
   */
  public boolean explained() {
    return !causes.isEmpty();
  }

  /**
   * The innermost reply: usually the one the receiving server actually sent.
   *
   * @return the last of {@link #replies()}
   */
  public ExplainedReply innermost() {
    return replies.get(replies.size() - 1);
  }
}
