package dev.smtptls.internal.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Collects an HTTP response body up to a size cap, one buffer at a time (the HTTP client reads
 * no further ahead than it is asked). {@link #getBody()} completes at once, when the headers
 * arrive; {@link #done()} completes with the whole body, or exceptionally with {@link TooLarge}
 * or the client's {@code IOException}. {@link #cancel()} stops it from any thread, so the caller
 * can wait for {@code done()} with a deadline and interruptibly. A response that is not 2xx, or
 * announces a {@code Content-Length} above the cap, is not read at all.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody> {

  private static final int FIRST_BUFFER = 64 * 1024;

  /** The body is larger than the cap; stackless, it is a verdict, not a bug. */
  public static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("larger than the cap", null, false, false);
    }
  }

  private final long maxBytes;
  private final OptionalLong announced;
  private final boolean read;
  private final CompletableFuture<byte[]> done = new CompletableFuture<>();
  private final AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
  private volatile boolean cancelled;
  private volatile long received;
  // Touched only by the Flow signals, which the client delivers one at a time.
  private byte @Nullable [] buffer;
  private int size;

  private BoundedBody(long maxBytes, OptionalLong announced, boolean read) {
    this.maxBytes = maxBytes;
    this.announced = announced;
    this.read = read;
  }

  /** {@return a handler reading 2xx bodies up to maxBytes and discarding any other} */
  public static HttpResponse.BodyHandler<BoundedBody> handler(long maxBytes) {
    return info -> {
      OptionalLong length;
      try {
        length = info.headers().firstValueAsLong("Content-Length");
      } catch (NumberFormatException e) {
        length = OptionalLong.empty();
      }
      int status = info.statusCode();
      return new BoundedBody(maxBytes, length, status >= 200 && status <= 299);
    };
  }

  /** {@return the Content-Length the server announced, if any} */
  public OptionalLong announced() {
    return announced;
  }

  /** {@return body bytes received so far} */
  public long received() {
    return received;
  }

  /** {@return completes with the body, or exceptionally with {@link TooLarge} or an IOException} */
  public CompletableFuture<byte[]> done() {
    return done;
  }

  /** Stops reading; the connection is given up. Safe from any thread, any number of times. */
  public void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public CompletionStage<BoundedBody> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (!subscription.compareAndSet(null, s)) {
      s.cancel();
      return;
    }
    if (cancelled || !read) {
      s.cancel();
      done.complete(new byte[0]);
      return;
    }
    if (announced.isPresent() && announced.getAsLong() > maxBytes) {
      s.cancel();
      done.completeExceptionally(new TooLarge());
      return;
    }
    buffer = new byte[(int) (announced.isPresent() ? announced.getAsLong() : Math.min(FIRST_BUFFER, maxBytes))];
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    byte[] b = buffer;
    Flow.Subscription s = subscription.get();
    if (b == null || cancelled || done.isDone() || s == null) {
      return;
    }
    for (ByteBuffer item : items) {
      int r = item.remaining();
      if ((long) size + r > maxBytes) {
        buffer = null;
        s.cancel();
        done.completeExceptionally(new TooLarge());
        return;
      }
      if (size + r > b.length) {
        long grown = Math.max((long) size + r, Math.max(FIRST_BUFFER, 2L * b.length));
        b = Arrays.copyOf(b, (int) Math.min(grown, maxBytes));
        buffer = b;
      }
      item.get(b, size, r);
      size += r;
    }
    received = size;
    s.request(1);
  }

  @Override
  public void onError(Throwable t) {
    buffer = null;
    done.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    byte[] b = buffer;
    buffer = null;
    if (b == null) {
      done.complete(new byte[0]);
    } else {
      done.complete(size == b.length ? b : Arrays.copyOf(b, size));
    }
  }
}
