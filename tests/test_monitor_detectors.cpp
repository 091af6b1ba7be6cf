// Online anomaly detectors: each finds an injected spike / level shift in a synthetic series and stays
// quiet on clean noise; the robust statistics match brute force; Holt-Winters follows additive
// seasonality (Winters 1960; Hyndman & Athanasopoulos, "Forecasting: Principles and Practice" 8.3);
// RLS converges to the least-squares line (Haykin, "Adaptive Filter Theory", ch. 10); and outputs are
// bit-identical across runs and platforms (pinned hash).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/monitor/detectors.hpp"
#include "core/rng.hpp"
#include "core/stable_hash.hpp"

using namespace dsplay::monitor;

namespace {

// Approximately normal noise from the integer Rng (sum of 12 uniforms - 6), scaled.
double noise(dsplay::Rng& rng, double sd) {
  double sum = 0;
  for (int i = 0; i < 12; ++i) sum += static_cast<double>(rng.below(1'000'000)) / 1e6;
  return (sum - 6) * sd;
}

// 100 + daily triangle wave (period 288) + noise; spike at spike_at, +level_shift from shift_at.
std::vector<double> synthetic(std::uint64_t seed, std::size_t n, std::size_t spike_at, double spike, std::size_t shift_at,
                              double level_shift, double season_amplitude = 0) {
  dsplay::Rng rng(seed);
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double phase = static_cast<double>(i % 288) / 288.0;
    const double triangle = phase < 0.5 ? phase : 1 - phase;
    out[i] = 100 + season_amplitude * triangle + noise(rng, 2);
    if (i == spike_at) out[i] += spike;
    if (i >= shift_at) out[i] += level_shift;
  }
  return out;
}

std::vector<std::size_t> flagged_points(AnyDetector detector, const std::vector<double>& values) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (detector_update(detector, values[i]).is_anomaly) out.push_back(i);
  }
  return out;
}

std::vector<AnyDetector> all_detectors(std::size_t season_length) {
  HoltWintersConfig hw;
  hw.season_length = season_length;
  return {ThresholdDetector(ThresholdConfig{.calibrate_points = 400, .calibrate_k = 10}), EwmaDetector(), MadDetector(),
          HoltWintersDetector(hw), RlsDetector()};
}

}  // namespace

TEST_CASE("Every detector flags a large spike and stays quiet on clean noise (default knobs)", "[monitor][detectors]") {
  const auto clean = synthetic(1, 3000, 99999, 0, 99999, 0);
  const auto spiky = synthetic(1, 3000, 2000, 150, 99999, 0);
  for (AnyDetector detector : all_detectors(288)) {
    CAPTURE(detector_kind_name(detector_kind(detector)));
    CHECK(flagged_points(detector, clean).empty());
    const auto flags = flagged_points(detector, spiky);
    REQUIRE_FALSE(flags.empty());
    CHECK(flags.front() == 2000);
    CHECK(flags.size() <= 3);  // the spike, and for lag-based models its echo
  }
}

TEST_CASE("Every detector flags the start of a large level shift", "[monitor][detectors]") {
  const auto shifted = synthetic(2, 3000, 99999, 0, 2000, 80);
  for (AnyDetector detector : all_detectors(288)) {
    CAPTURE(detector_kind_name(detector_kind(detector)));
    const auto flags = flagged_points(detector, shifted);
    REQUIRE_FALSE(flags.empty());
    CHECK(flags.front() == 2000);
  }
}

TEST_CASE("Outputs: warm-up gives no flags and NaN expectations; then the band brackets the expectation",
          "[monitor][detectors]") {
  const auto values = synthetic(3, 1000, 99999, 0, 99999, 0);
  for (AnyDetector detector : all_detectors(50)) {
    CAPTURE(detector_kind_name(detector_kind(detector)));
    const DetectorOutput first = detector_update(detector, values[0]);
    CHECK_FALSE(first.is_anomaly);
    CHECK(std::isnan(first.expected));
    DetectorOutput last;
    for (std::size_t i = 1; i < values.size(); ++i) last = detector_update(detector, values[i]);
    CHECK(last.band_low <= last.expected);
    CHECK(last.expected <= last.band_high);
    CHECK(std::fabs(last.expected - 100) < 10);
    CHECK(last.score >= 0);
    // NaN input: no flag, no state change.
    AnyDetector copy = detector;
    CHECK_FALSE(detector_update(detector, std::nan("")).is_anomaly);
    CHECK(detector_update(detector, 100).score == detector_update(copy, 100).score);
  }
}

TEST_CASE("MAD detector: median and MAD over the sliding window equal brute force", "[monitor][detectors]") {
  for (const std::size_t window : {3u, 4u, 7u, 64u, 65u}) {
    CAPTURE(window);
    MadDetector detector(MadConfig{.window_points = window});
    std::vector<double> history;
    dsplay::Rng rng(window);
    for (int i = 0; i < 2000; ++i) {
      // Many ties (small integer range) and occasional big values.
      const double v = rng.chance_ppm(50'000) ? static_cast<double>(rng.between(-1000, 1000)) : static_cast<double>(rng.between(0, 9));
      detector.update(v);
      history.push_back(v);
      std::vector<double> w(history.end() - static_cast<std::ptrdiff_t>(std::min(history.size(), window)), history.end());
      std::sort(w.begin(), w.end());
      const std::size_t n = w.size();
      const double median = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
      std::vector<double> dev;
      for (const double x : w) dev.push_back(std::fabs(x - median));
      std::sort(dev.begin(), dev.end());
      const double mad = n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2;
      REQUIRE(detector.median() == median);
      REQUIRE(detector.mad() == mad);
    }
  }
}

TEST_CASE("MAD detector floors sigma at the window sd: quantised data with MAD 0 does not flag every step",
          "[monitor][detectors]") {
  // Like NAB's ec2_cpu_utilization_c6585a: mostly 0.066, often 0.134.
  std::vector<double> values;
  dsplay::Rng rng(4);
  for (int i = 0; i < 3000; ++i) values.push_back(rng.chance_ppm(300'000) ? 0.134 : 0.066);
  CHECK(flagged_points(MadDetector(), values).empty());
  CHECK_FALSE(flagged_points(MadDetector(MadConfig{.sd_floor = 0}), values).empty());
}

TEST_CASE("Holt-Winters learns an additive daily season: its band follows the wave, EWMA's cannot", "[monitor][detectors]") {
  const auto values = synthetic(5, 288 * 6, 288 * 5 + 100, 25, 99999, 0, 80);
  HoltWintersConfig config;
  config.season_length = 288;
  config.threshold = 6;
  HoltWintersDetector hw(config);
  double worst_error = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const DetectorOutput out = hw.update(values[i]);
    if (i >= 288 * 3 && i != 288 * 5 + 100) worst_error = std::max(worst_error, std::fabs(out.expected - values[i]));
    if (i == 288 * 5 + 100) CHECK(out.is_anomaly);  // a 25-unit bump, small next to the 40-unit wave
  }
  CHECK(worst_error < 12);  // noise sd 2: forecasts track the wave
}

TEST_CASE("RLS with a load feature learns latency = a + b * load and flags a latency jump at the same load",
          "[monitor][detectors]") {
  RlsConfig config;
  config.use_feature = true;
  config.lags = 0;
  config.forgetting = 1.0;
  config.threshold = 6;
  RlsDetector rls(config);
  dsplay::Rng rng(6);
  DetectorOutput out;
  for (int i = 0; i < 3000; ++i) {
    const double load = static_cast<double>(rng.between(10, 1000));
    const double latency_ms = 5 + 0.02 * load + noise(rng, 0.2);
    out = rls.update(latency_ms, load);
    if (i > 100) REQUIRE_FALSE(out.is_anomaly);
  }
  CHECK(rls.update(5 + 0.02 * 500, 500).expected == Approx(15).margin(0.05));
  CHECK(rls.update(5 + 0.02 * 50, 50).expected == Approx(6).margin(0.05));
  // Same load, latency 5 ms higher: the residual is 25 sd.
  CHECK(rls.update(5 + 0.02 * 500 + 5, 500).is_anomaly);
}

TEST_CASE("RLS stays finite on a flat series (covariance trace capped)", "[monitor][detectors]") {
  RlsDetector rls;
  DetectorOutput out;
  for (int i = 0; i < 100000; ++i) out = rls.update(42);
  CHECK(std::isfinite(out.expected));
  CHECK(out.expected == Approx(42));
  CHECK_FALSE(out.is_anomaly);
  CHECK(rls.update(43).is_anomaly);  // any change of a perfectly flat series is news
}

TEST_CASE("Fixed threshold: absolute limits, or limits calibrated once from a quiet period", "[monitor][detectors]") {
  ThresholdDetector fixed(ThresholdConfig{.low = 10, .high = 20});
  CHECK_FALSE(fixed.update(15).is_anomaly);
  CHECK(fixed.update(21).is_anomaly);
  CHECK(fixed.update(9).is_anomaly);
  ThresholdDetector calibrated(ThresholdConfig{.calibrate_points = 4, .calibrate_k = 2});
  for (double v : {9.0, 11.0, 9.0, 11.0}) CHECK_FALSE(calibrated.update(v).is_anomaly);  // mean 10, sd 1
  CHECK(calibrated.config().low == 8);
  CHECK(calibrated.config().high == 12);
  CHECK_FALSE(calibrated.update(11.9).is_anomaly);
  CHECK(calibrated.update(12.1).is_anomaly);
}

TEST_CASE("Detector outputs are deterministic: pinned hash of every output bit (same on wasm)", "[monitor][detectors]") {
  const auto values = synthetic(7, 4000, 3000, 60, 3500, 30, 50);
  dsplay::Hasher hasher;
  for (AnyDetector detector : all_detectors(288)) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const DetectorOutput out = detector_update(detector, values[i], static_cast<double>(i % 7));
      for (const double v : {out.score, out.expected, out.band_low, out.band_high}) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        hasher.u64(bits);
      }
      hasher.boolean(out.is_anomaly);
    }
  }
  // Pinned on x86-64 (gcc 12 and clang 14) and wasm32 (Emscripten 3.1.6 under node): all equal.
  CHECK(hasher.value() == 0xed1498a2965fc0aaull);
}

// --- The peer detector and the detector bank over a simulated world (core/monitor/server_watch.hpp) ---

TEST_CASE("peer detector: flags the one member far above the group's median and nobody in a tight group", "[monitor][detectors][peer]") {
  PeerDetector peer;
  const double tight[5] = {200, 210, 195, 205, 215};
  DetectorOutput out[5];
  peer.update(tight, 5, out);
  for (const DetectorOutput& o : out) CHECK_FALSE(o.is_anomaly);
  CHECK(out[0].expected == 205);  // the median

  const double one_slow[5] = {200, 210, 195, 205, 900};
  peer.update(one_slow, 5, out);
  for (int i = 0; i < 4; ++i) CHECK_FALSE(out[i].is_anomaly);
  CHECK(out[4].is_anomaly);
  CHECK(out[4].score > 6);

  // One-sided by default: a member much faster than its peers is not a slow server.
  const double one_fast[5] = {200, 210, 195, 205, 20};
  peer.update(one_fast, 5, out);
  CHECK_FALSE(out[4].is_anomaly);

  // NaN (no requests this window) members are skipped; with fewer than min_members nobody is judged.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double few[4] = {200, nan, nan, 900};
  peer.update(few, 4, out);
  for (int i = 0; i < 4; ++i) CHECK_FALSE(out[i].is_anomaly);
  CHECK(std::isnan(out[1].expected));
}

TEST_CASE("peer detector: the median and MAD match a sort for even and odd groups", "[monitor][detectors][peer]") {
  dsplay::Rng rng(41);
  PeerConfig config;
  config.min_sigma_rel = 0;
  config.threshold = 1e9;
  PeerDetector peer(config);
  for (std::size_t n = 3; n <= 12; ++n) {
    std::vector<double> v(n);
    for (double& x : v) x = static_cast<double>(rng.below(1000));
    std::vector<DetectorOutput> out(n);
    peer.update(v.data(), n, out.data());
    std::vector<double> s = v;
    std::sort(s.begin(), s.end());
    const double median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    std::vector<double> dev(n);
    for (std::size_t i = 0; i < n; ++i) dev[i] = std::fabs(v[i] - median);
    std::sort(dev.begin(), dev.end());
    const double mad = n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2;
    CHECK(out[0].expected == median);
    if (mad > 0) CHECK(out[0].band_high == Approx(median + 1e9 * 1.4826 * mad));
  }
}
