// DDSketch (Masson, Rim, Lee: "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with
// Relative-Error Guarantees", VLDB 2019): alpha-accurate quantiles (Definition 2 / Proposition 4)
// and full mergeability (Section 2.2), with dsplay's libm-free index mapping (docs/MONITORING.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/monitor/ddsketch.hpp"
#include "core/rng.hpp"

using namespace dsplay::monitor;

namespace {

// Values spread over 12 decades, some negative, some exactly zero.
std::vector<double> wide_values(std::uint64_t seed, std::size_t n, bool with_negatives) {
  dsplay::Rng rng(seed);
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (rng.chance_ppm(10'000)) {
      out.push_back(0.0);
      continue;
    }
    const double mantissa = 1 + static_cast<double>(rng.below(1'000'000)) / 1e6 * 9;
    double v = mantissa * std::ldexp(1.0, static_cast<int>(rng.between(-20, 20)));
    if (with_negatives && rng.chance_ppm(300'000)) v = -v;
    out.push_back(v);
  }
  return out;
}

double exact_quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(std::floor(q * static_cast<double>(values.size() - 1)))];
}

}  // namespace

TEST_CASE("DDSketch: every bucket spans a ratio of at most gamma = (1 + alpha) / (1 - alpha)", "[monitor][ddsketch]") {
  for (const double alpha : {0.25, 0.05, 0.01, 0.001}) {
    CAPTURE(alpha);
    const DDSketch sketch(DDSketchConfig{alpha, 1e-12});
    const double gamma = (1 + alpha) / (1 - alpha);
    for (int index = sketch.index_of(1e-12); index <= sketch.index_of(1e12); ++index) {
      const double lower = sketch.bucket_lower_bound(index);
      const double upper = sketch.bucket_upper_bound(index);
      REQUIRE(lower < upper);
      REQUIRE(upper / lower <= gamma);
      // The representative is within alpha of both ends.
      const double v = sketch.bucket_value(index);
      REQUIRE((v - lower) / lower <= alpha);
      REQUIRE((upper - v) / upper <= alpha);
    }
  }
}

TEST_CASE("DDSketch: index_of puts a value into the bucket whose bounds contain it", "[monitor][ddsketch]") {
  const DDSketch sketch;
  dsplay::Rng rng(9);
  for (int i = 0; i < 100000; ++i) {
    const double x = (1 + static_cast<double>(rng.below(1u << 30)) / (1u << 30)) * std::ldexp(1.0, static_cast<int>(rng.between(-29, 60)));
    const int index = sketch.index_of(x);
    // Up to the rounding of (exponent + fraction) * m, i.e. ~1e-15 relative.
    REQUIRE(sketch.bucket_lower_bound(index) <= x * (1 + 1e-12));
    REQUIRE(x < sketch.bucket_upper_bound(index) * (1 + 1e-12));
  }
}

TEST_CASE("DDSketch: every quantile is within alpha of the exact order statistic (relative)", "[monitor][ddsketch]") {
  for (const double alpha : {0.05, 0.01, 0.002}) {
    for (const bool negatives : {false, true}) {
      CAPTURE(alpha, negatives);
      const auto values = wide_values(static_cast<std::uint64_t>(alpha * 1e6) + negatives, 20000, negatives);
      DDSketch sketch(DDSketchConfig{alpha, 1e-9});
      for (const double v : values) sketch.insert(v);
      REQUIRE(sketch.count() == values.size());
      for (int i = 0; i <= 1000; ++i) {
        const double q = i / 1000.0;
        const double truth = exact_quantile(values, q);
        const double got = sketch.quantile(q);
        CAPTURE(q, truth, got);
        REQUIRE(std::fabs(got - truth) <= alpha * std::fabs(truth));
      }
    }
  }
}

TEST_CASE("DDSketch: merging two sketches gives exactly the sketch of the union", "[monitor][ddsketch]") {
  const auto values = wide_values(77, 30000, true);
  DDSketch all, left, right;
  for (std::size_t i = 0; i < values.size(); ++i) {
    all.insert(values[i]);
    (i % 3 == 0 ? left : right).insert(values[i]);
  }
  DDSketch merged = left;
  REQUIRE(merged.merge(right));
  CHECK(merged == all);
  CHECK(merged.positive_bins() == all.positive_bins());
  CHECK(merged.negative_bins() == all.negative_bins());
  for (const double q : {0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0}) CHECK(merged.quantile(q) == all.quantile(q));
  // Merge is commutative.
  DDSketch other_way = right;
  REQUIRE(other_way.merge(left));
  CHECK(other_way == merged);
  // Different accuracy: refused, nothing changed.
  DDSketch coarse(DDSketchConfig{0.05, 1e-9});
  CHECK_FALSE(merged.merge(coarse));
  CHECK(merged == all);
}

TEST_CASE("DDSketch edge cases: empty, q outside [0, 1], NaN ignored, infinities clamped, tiny values count as 0",
          "[monitor][ddsketch]") {
  DDSketch sketch;
  CHECK(std::isnan(sketch.quantile(0.5)));
  sketch.insert(std::nan(""));
  CHECK(sketch.count() == 0);
  sketch.insert(5, 3);
  CHECK(std::isnan(sketch.quantile(-0.1)));
  CHECK(std::isnan(sketch.quantile(1.1)));
  CHECK(sketch.quantile(0.5) == 5);  // clamped to [min, max] = [5, 5]
  sketch.insert(1e-12);              // below min_indexable_value 1e-9
  CHECK(sketch.zero_count() == 1);
  CHECK(sketch.quantile(0) == 1e-12);  // reported as 0, then clamped to the true minimum
  sketch.insert(std::numeric_limits<double>::infinity());
  CHECK(std::isfinite(sketch.max()));
  CHECK(sketch.count() == 5);
}

TEST_CASE("DDSketch mapping is pinned: same indices and values on every platform (no libm log)", "[monitor][ddsketch]") {
  const DDSketch sketch;  // alpha 0.01
  CHECK(sketch.multiplier() == 49.500049499999996);
  CHECK(sketch.index_of(1e-9) == -1482);
  CHECK(sketch.index_of(0.001) == -494);
  CHECK(sketch.index_of(0.5) == -50);
  CHECK(sketch.index_of(1.0) == 0);
  CHECK(sketch.index_of(1.5) == 24);
  CHECK(sketch.index_of(2.0) == 49);
  CHECK(sketch.index_of(123.456) == 342);
  CHECK(sketch.index_of(1e6) == 985);
  CHECK(sketch.bucket_value(0) == 1.0099999901000098);
  CHECK(sketch.bucket_value(342) == 122.82443754947333);
}
