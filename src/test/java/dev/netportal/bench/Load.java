package dev.netportal.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A closed loop: {@code clients} threads each send one request, wait for its answer and send the next, first for
 * a warm-up whose answers are not counted, then for the measured time. Throughput is the answers completed in the
 * measured time per second; latencies are those of the measured answers.
 */
final class Load {

    /** One request; throws when the answer is not the expected one. */
    interface Call {
        void run() throws Exception;
    }

    record Result(double perSecond, long count, double p50Millis, double p99Millis, double meanMillis, long errors,
                  String firstError) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%8.0f/s  p50 %7.2f ms  p99 %7.2f ms  (%d answers%s)", perSecond, p50Millis,
                    p99Millis, count, errors == 0 ? "" : ", " + errors + " errors: " + firstError);
        }
    }

    private Load() {
    }

    /** {@code calls.apply(client)} gives each client thread its call. */
    static Result run(int clients, Duration warmup, Duration measured, IntFunction<Call> calls) {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] counts = new int[clients];
        for (int c = 0; c < clients; c++) {
            long[][] mine = {new long[1024]};
            int client = c;
            Call call = calls.apply(c);
            Thread thread = Thread.ofPlatform().name("load-" + c).start(() -> {
                int n = 0;
                while (true) {
                    long before = System.nanoTime();
                    if (before >= end) {
                        break;
                    }
                    try {
                        call.run();
                    } catch (Exception | AssertionError e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.getMessage());
                    }
                    long after = System.nanoTime();
                    if (before >= measureFrom && after <= end) {
                        if (n == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], n * 2);
                        }
                        mine[0][n++] = after - before;
                    }
                }
                counts[client] = n;
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], n));
                }
            });
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = measured.toNanos() / 1e9;
        return new Result(all.length / seconds, all.length, percentile(all, 0.5) / 1e6, percentile(all, 0.99) / 1e6,
                Arrays.stream(all).average().orElse(0) / 1e6, errors.get(), firstError.get());
    }

    /** The value below which the given share of the sorted values lie (nearest rank). */
    static double percentile(long[] sorted, double share) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
    }
}
