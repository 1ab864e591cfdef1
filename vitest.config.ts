import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Test files start servers and spawn redis-cli / redis-benchmark: child processes, not threads.
    pool: 'forks',
    // Two cores: running files one at a time keeps servers, benchmarks and timing-tolerant
    // comparisons (TTL ±1) from fighting over the CPU.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
