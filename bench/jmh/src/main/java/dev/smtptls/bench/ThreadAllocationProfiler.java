package dev.smtptls.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Bytes allocated per operation by the probing client apart from the rest of the JVM (mostly
 * the in-process mock servers), which {@code -prof gc} counts together as {@code
 * gc.alloc.rate.norm}. Run with {@code -prof dev.smtptls.bench.ThreadAllocationProfiler}.
 *
 * <ul>
 *   <li>{@code alloc.client.norm}: the JMH benchmark threads ({@code *-jmh-worker-*}) and the
 *       library's threads ({@code smtptls-*}: the probe watchdog, the scan's coordinator and
 *       probe pool) that are alive at the end of the iteration, from {@code
 *       ThreadMXBean.getThreadAllocatedBytes}. A probe through {@code inspect} runs wholly on the
 *       calling thread (the handshake included) but for the watchdog's few bytes, so for {@code
 *       ProbeBenchmark} this is the client's allocation per probe. A scan's probe pool lives only
 *       as long as one scan and is gone by then: for the scan benchmarks it is far too low.
 *   <li>{@code alloc.total.norm}: every thread, those that ended too ({@code
 *       getTotalThreadAllocatedBytes}, JDK 21 and 17.0.9+; left out where missing): the same as
 *       {@code -prof gc}'s {@code gc.alloc.rate.norm}.
 *   <li>{@code alloc.rest.norm}: total less client: the mock servers, the finalizer and JMH.
 * </ul>
 */
public final class ThreadAllocationProfiler implements InternalProfiler {

  private final com.sun.management.ThreadMXBean threads;
  private Map<Long, Long> before = Map.of();
  private long totalBefore;

  /**
   * Checks that this JVM counts allocation per thread.
   *
   * @throws ProfilerException if it does not
   */
  public ThreadAllocationProfiler() throws ProfilerException {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
        || !t.isThreadAllocatedMemorySupported()) {
      throw new ProfilerException("this JVM does not count allocated bytes per thread");
    }
    if (!t.isThreadAllocatedMemoryEnabled()) {
      t.setThreadAllocatedMemoryEnabled(true);
    }
    this.threads = t;
  }

  @Override
  public String getDescription() {
    return "bytes allocated per op by the client's threads (JMH workers, smtptls-*) and by the rest";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    totalBefore = total();
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> snapshot = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        snapshot.put(ids[i], bytes[i]);
      }
    }
    before = snapshot;
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
    long totalAfter = total();
    long client = 0;
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] < 0 || infos[i] == null || !isClient(infos[i].getThreadName())) {
        continue;
      }
      client += bytes[i] - before.getOrDefault(ids[i], 0L);
    }
    long ops = result.getMetadata().getAllOps();
    List<Result> out = new ArrayList<>(3);
    out.add(perOp("alloc.client.norm", client, ops));
    if (totalBefore >= 0 && totalAfter >= 0) {
      out.add(perOp("alloc.total.norm", totalAfter - totalBefore, ops));
      out.add(perOp("alloc.rest.norm", totalAfter - totalBefore - client, ops));
    }
    return out;
  }

  static boolean isClient(String threadName) {
    return threadName.contains("-jmh-worker-") || threadName.startsWith("smtptls-");
  }

  private static ScalarResult perOp(String label, long bytes, long ops) {
    return new ScalarResult(label, ops == 0 ? Double.NaN : (double) bytes / ops, "B/op", AggregationPolicy.AVG);
  }

  /** {@return bytes allocated by every thread so far, or -1 where this JVM cannot tell} */
  private long total() {
    try {
      return threads.getTotalThreadAllocatedBytes();
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }
}
