// Speed of the monitoring primitives on the hot path of a simulated request, against the budgets in
// docs/MONITORING.md: BM_PromObserve <= 20 ns, BM_HdrRecord <= 5 ns, BM_DDSketchInsert <= 15 ns,
// BM_DetectorUpdate <= 100 ns per point (native, -O2). Inputs are precomputed from the seeded Rng
// so the benchmark measures the primitive, not the generator.
#include <array>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "core/monitor/ddsketch.hpp"
#include "core/monitor/detectors.hpp"
#include "core/monitor/hdr_histogram.hpp"
#include "core/monitor/prom_histogram.hpp"
#include "core/rng.hpp"

namespace {

using namespace dsplay::monitor;
constexpr std::size_t kInputs = 1 << 14;  // power of two: index with a mask

// Latency-like values in us: mostly 1-20 ms with a 1% tail up to 2 s.
std::vector<std::int64_t> latencies_us() {
  dsplay::Rng rng(42);
  std::vector<std::int64_t> out(kInputs);
  for (auto& v : out) v = rng.chance_ppm(10'000) ? rng.between(20'000, 2'000'000) : rng.between(1'000, 20'000);
  return out;
}

std::vector<double> latencies_s() {
  std::vector<double> out;
  for (const auto v : latencies_us()) out.push_back(static_cast<double>(v) * 1e-6);
  return out;
}

// A daily-seasonal series with noise and rare spikes, like a request rate.
std::vector<double> series_points() {
  dsplay::Rng rng(7);
  std::vector<double> out(kInputs);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double phase = static_cast<double>(i % 288) / 288.0;
    const double triangle = phase < 0.5 ? phase : 1 - phase;
    out[i] = 100 + 80 * triangle + static_cast<double>(rng.between(-5, 5)) + (rng.chance_ppm(2'000) ? 200.0 : 0.0);
  }
  return out;
}

void BM_PromObserve(benchmark::State& state) {
  const auto values = latencies_s();
  PromHistogram histogram;  // default buckets .005 .. 10 s
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.observe(values[i++ & (kInputs - 1)]);
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PromObserve);

void BM_HdrRecord(benchmark::State& state) {
  const auto values = latencies_us();
  HdrHistogram histogram;  // 1 us .. 1 h, 3 digits
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.record(values[i++ & (kInputs - 1)]);
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HdrRecord);

void BM_DDSketchInsert(benchmark::State& state) {
  const auto values = latencies_s();
  DDSketch sketch;  // alpha 1%
  std::size_t i = 0;
  for (auto _ : state) {
    sketch.insert(values[i++ & (kInputs - 1)]);
  }
  benchmark::DoNotOptimize(sketch.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DDSketchInsert);

void BM_DetectorUpdate(benchmark::State& state, DetectorKind kind) {
  const auto values = series_points();
  AnyDetector detector;
  switch (kind) {
    case DetectorKind::threshold: detector = ThresholdDetector(ThresholdConfig{.low = 50, .high = 250}); break;
    case DetectorKind::ewma: detector = EwmaDetector(); break;
    case DetectorKind::mad: detector = MadDetector(); break;
    case DetectorKind::holt_winters: detector = HoltWintersDetector(); break;
    case DetectorKind::rls: detector = RlsDetector(); break;
  }
  std::size_t i = 0;
  std::size_t flagged = 0;
  for (auto _ : state) {
    flagged += detector_update(detector, values[i++ & (kInputs - 1)]).is_anomaly ? 1 : 0;
  }
  benchmark::DoNotOptimize(flagged);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_DetectorUpdate, threshold, DetectorKind::threshold);
BENCHMARK_CAPTURE(BM_DetectorUpdate, ewma, DetectorKind::ewma);
BENCHMARK_CAPTURE(BM_DetectorUpdate, mad, DetectorKind::mad);
BENCHMARK_CAPTURE(BM_DetectorUpdate, holt_winters, DetectorKind::holt_winters);
BENCHMARK_CAPTURE(BM_DetectorUpdate, rls, DetectorKind::rls);

// The peer detector judges a whole group per update: one window of 8 servers per iteration, so
// the time per point is the iteration time / 8 (items = points).
void BM_DetectorUpdatePeer(benchmark::State& state) {
  constexpr std::size_t kMembers = 8;
  const auto values = series_points();
  PeerDetector peer;
  std::array<DetectorOutput, kMembers> out{};
  std::size_t i = 0;
  std::size_t flagged = 0;
  for (auto _ : state) {
    peer.update(&values[(i * kMembers) & (kInputs - 1)], kMembers, out.data());
    ++i;
    flagged += out[0].is_anomaly ? 1 : 0;
  }
  benchmark::DoNotOptimize(flagged);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMembers));
}
BENCHMARK(BM_DetectorUpdatePeer);

}  // namespace
