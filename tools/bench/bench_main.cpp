// Entry point of dsplay_bench: the benchmark files in tools/bench/ register themselves.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
