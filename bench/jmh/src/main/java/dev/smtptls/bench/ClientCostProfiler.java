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
 * Bytes allocated and CPU time per operation of the probing client apart from the rest of the
 * JVM (mostly the in-process mock servers), which {@code -prof gc} and the wall clock count
 * together. Run with {@code -prof dev.smtptls.bench.ClientCostProfiler}.
 *
 * <ul>
 *   <li>{@code alloc.client.norm}, {@code cpu.client.norm}: the JMH benchmark threads ({@code
 *       *-jmh-worker-*}) and the library's threads ({@code smtptls-*}: the probe watchdog, the
 *       scan's coordinator and probe pool) that are alive at the end of the iteration, from
 *       {@code ThreadMXBean.getThreadAllocatedBytes} and {@code getThreadCpuTime}. A probe
 *       through {@code inspect} runs wholly on the calling thread (the handshake included) but
 *       for the watchdog's bit, so for {@code ProbeBenchmark} these are the client's per probe. A
 *       scan's probe pool lives only as long as one scan and is gone by then: for the scan
 *       benchmarks they are far too low, and only the totals mean something.
 *   <li>{@code alloc.total.norm}: every thread, those that ended too ({@code
 *       getTotalThreadAllocatedBytes}, JDK 21 and recent 17 updates; left out where missing):
 *       the same as {@code -prof gc}'s {@code gc.alloc.rate.norm}. {@code cpu.total.norm}: the
 *       process's CPU time ({@code OperatingSystemMXBean.getProcessCpuTime}), JIT compiler and
 *       GC threads included.
 *   <li>{@code alloc.rest.norm}, {@code cpu.rest.norm}: total less client: the mock servers, GC,
 *       JIT, finalizer and JMH.
 * </ul>
 */
public final class ClientCostProfiler implements InternalProfiler {

  private final com.sun.management.ThreadMXBean threads;
  private final com.sun.management.OperatingSystemMXBean os;
  private Map<Long, long[]> before = Map.of();
  private long totalBytesBefore;
  private long processCpuBefore;

  /**
   * Checks that this JVM counts allocation and CPU time per thread.
   *
   * @throws ProfilerException if it does not
   */
  public ClientCostProfiler() throws ProfilerException {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
        || !t.isThreadAllocatedMemorySupported()
        || !t.isThreadCpuTimeSupported()) {
      throw new ProfilerException("this JVM does not count allocated bytes and CPU time per thread");
    }
    if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o)) {
      throw new ProfilerException("this JVM does not tell its process CPU time");
    }
    if (!t.isThreadAllocatedMemoryEnabled()) {
      t.setThreadAllocatedMemoryEnabled(true);
    }
    if (!t.isThreadCpuTimeEnabled()) {
      t.setThreadCpuTimeEnabled(true);
    }
    this.threads = t;
    this.os = o;
  }

  @Override
  public String getDescription() {
    return "bytes allocated and CPU time per op of the client's threads (JMH workers, smtptls-*) and of the rest";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    totalBytesBefore = totalBytes();
    processCpuBefore = os.getProcessCpuTime();
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, long[]> snapshot = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      snapshot.put(ids[i], new long[] {Math.max(0, bytes[i]), Math.max(0, threads.getThreadCpuTime(ids[i]))});
    }
    before = snapshot;
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
    long clientBytes = 0;
    long clientCpu = 0;
    for (int i = 0; i < ids.length; i++) {
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (bytes[i] < 0 || cpu < 0 || infos[i] == null || !isClient(infos[i].getThreadName())) {
        continue; // ended meanwhile, or not the client's
      }
      long[] start = before.getOrDefault(ids[i], new long[2]);
      clientBytes += bytes[i] - start[0];
      clientCpu += cpu - start[1];
    }
    long totalBytes = totalBytes() - totalBytesBefore;
    long processCpu = os.getProcessCpuTime() - processCpuBefore;
    long ops = result.getMetadata().getAllOps();
    List<Result> out = new ArrayList<>(6);
    out.add(perOp("alloc.client.norm", clientBytes, ops, "B/op"));
    if (totalBytesBefore >= 0) {
      out.add(perOp("alloc.total.norm", totalBytes, ops, "B/op"));
      out.add(perOp("alloc.rest.norm", totalBytes - clientBytes, ops, "B/op"));
    }
    out.add(perOp("cpu.client.norm", clientCpu / 1000.0, ops, "us/op"));
    if (processCpuBefore >= 0) {
      out.add(perOp("cpu.total.norm", processCpu / 1000.0, ops, "us/op"));
      out.add(perOp("cpu.rest.norm", (processCpu - clientCpu) / 1000.0, ops, "us/op"));
    }
    return out;
  }

  static boolean isClient(String threadName) {
    return threadName.contains("-jmh-worker-") || threadName.startsWith("smtptls-");
  }

  private static ScalarResult perOp(String label, double amount, long ops, String unit) {
    return new ScalarResult(label, ops == 0 ? Double.NaN : amount / ops, unit, AggregationPolicy.AVG);
  }

  /** {@return bytes allocated by every thread so far, or -1 where this JVM cannot tell} */
  private long totalBytes() {
    try {
      return threads.getTotalThreadAllocatedBytes();
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }
}
