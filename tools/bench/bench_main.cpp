// dsplay_bench's main (Google Benchmark); the benchmarks live in the other files of tools/bench/.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
