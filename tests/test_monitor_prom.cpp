// Prometheus histogram and histogram_quantile: the numbers of the Prometheus documentation's
// "Errors of quantile estimation" example (prometheus.io/docs/practices/histograms/), and the edge
// rules of PromQL's bucketQuantile (prometheus/prometheus promql/quantile.go).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "core/monitor/prom_histogram.hpp"
#include "core/rng.hpp"

using namespace dsplay::monitor;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
// The documentation's buckets: {le="0.1"}, {le="0.2"}, {le="0.3"}, {le="0.45"} (+Inf implicit).
PromHistogram docs_histogram() { return PromHistogram({0.1, 0.2, 0.3, 0.45}); }
}  // namespace

TEST_CASE("Prometheus docs, errors of quantile estimation: a spike at 220 ms reads as p95 = 295 ms", "[monitor][prom]") {
  // "almost all observations ... fall into the bucket labeled {le="0.3"}, i.e. the bucket from
  // 200ms to 300ms ... it applies linear interpolation, which yields 295ms in this case."
  PromHistogram h = docs_histogram();
  for (int i = 0; i < 1000; ++i) h.observe(0.220);
  CHECK(h.quantile(0.95) == Approx(0.295).margin(1e-12));
  // The truth: every observation is 220 ms.
  CHECK(h.sum() / static_cast<double>(h.count()) == Approx(0.220));
}

TEST_CASE("Prometheus docs: after a 100 ms shift the spike at 320 ms reads as p95 = 442.5 ms", "[monitor][prom]") {
  // "Now the request duration has its sharp spike at 320ms and almost all observations will fall
  // into the bucket from 300ms to 450ms. The 95th percentile is calculated to be 442.5ms".
  PromHistogram h = docs_histogram();
  for (int i = 0; i < 1000; ++i) h.observe(0.320);
  CHECK(h.quantile(0.95) == Approx(0.4425).margin(1e-12));
}

TEST_CASE("Prometheus docs: 90% at 150 ms plus a flat tail to 450 ms gives p95 = 300 ms exactly", "[monitor][prom]") {
  // "the 95th percentile happens to be exactly at our SLO of 300ms. With the histogram, the
  // calculated value is accurate, as the value ... coincide[s] with one of the bucket boundaries."
  PromHistogram h = docs_histogram();
  for (int i = 0; i < 1080; ++i) h.observe(0.150);
  for (int i = 0; i < 120; ++i) h.observe(0.150 + 0.300 * (i + 0.5) / 120.0);  // evenly spread tail
  CHECK(h.quantile(0.95) == Approx(0.300).margin(1e-12));
}

TEST_CASE("histogram_quantile special cases follow promql bucketQuantile", "[monitor][prom]") {
  const std::vector<PromBucket> b = {{0.1, 10}, {0.2, 20}, {kInf, 20}};
  CHECK(std::isnan(histogram_quantile(std::nan(""), b)));
  CHECK(histogram_quantile(-0.1, b) == -kInf);
  CHECK(histogram_quantile(1.1, b) == kInf);
  // No +Inf bucket -> NaN.
  CHECK(std::isnan(histogram_quantile(0.5, {{0.1, 10}, {0.2, 20}})));
  // Fewer than two buckets -> NaN; zero observations -> NaN.
  CHECK(std::isnan(histogram_quantile(0.5, {{kInf, 5}})));
  CHECK(std::isnan(histogram_quantile(0.5, {{0.1, 0}, {kInf, 0}})));
  CHECK(std::isnan(histogram_quantile(0.5, {})));
}

TEST_CASE("histogram_quantile: rank = q * count, lowest bucket starts at 0, +Inf bucket returns the highest finite bound",
          "[monitor][prom]") {
  // 10 observations <= 1, 10 more <= 2, 5 above 2.
  const std::vector<PromBucket> b = {{1, 10}, {2, 20}, {kInf, 25}};
  CHECK(histogram_quantile(0.2, b) == Approx(0.5));    // rank 5 of 10 in [0, 1]
  CHECK(histogram_quantile(0.0, b) == 0.0);            // rank 0: lower bound of the lowest bucket
  CHECK(histogram_quantile(0.6, b) == Approx(1.5));    // rank 15: 5 of 10 into (1, 2]
  CHECK(histogram_quantile(0.8, b) == Approx(2.0));    // rank 20: top of (1, 2]
  CHECK(histogram_quantile(0.9, b) == 2.0);            // rank 22.5 falls in +Inf -> 2
  CHECK(histogram_quantile(1.0, b) == 2.0);
  // A lowest bucket with upper bound <= 0 returns that bound.
  CHECK(histogram_quantile(0.1, {{-1, 5}, {0, 6}, {kInf, 10}}) == -1.0);
  CHECK(histogram_quantile(0.55, {{0, 6}, {1, 8}, {kInf, 10}}) == 0.0);
}

TEST_CASE("histogram_quantile sorts buckets, merges equal bounds and forces monotonic counts", "[monitor][prom]") {
  const std::vector<PromBucket> sorted = {{1, 10}, {2, 20}, {kInf, 25}};
  const std::vector<PromBucket> shuffled = {{kInf, 25}, {1, 10}, {2, 20}};
  CHECK(histogram_quantile(0.6, shuffled) == histogram_quantile(0.6, sorted));
  // Two series with the same le add up (as sum by (le) does).
  CHECK(histogram_quantile(0.6, {{1, 4}, {1, 6}, {2, 12}, {2, 8}, {kInf, 25}}) == Approx(1.5));
  // A dip (20 then 15) is lifted to the envelope (20).
  CHECK(histogram_quantile(0.6, {{1, 10}, {2, 20}, {3, 15}, {kInf, 25}}) == histogram_quantile(0.6, {{1, 10}, {2, 20}, {3, 20}, {kInf, 25}}));
}

TEST_CASE("PromHistogram: le is inclusive, NaN goes to +Inf, cumulative buckets end with +Inf = count", "[monitor][prom]") {
  PromHistogram h;  // default buckets
  CHECK(h.upper_bounds() == std::vector<double>{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  h.observe(0.1);    // exactly on a bound: counted in le="0.1"
  h.observe(0.1000001);
  h.observe(11);     // above every bound
  h.observe(std::nan(""));
  h.observe(-3);     // below every bound: le="0.005"
  const auto buckets = h.cumulative_buckets();
  REQUIRE(buckets.size() == 12);
  CHECK(buckets[0].cumulative_count == 1);   // -3
  CHECK(buckets[4].upper_bound == 0.1);
  CHECK(buckets[4].cumulative_count == 2);   // -3, 0.1
  CHECK(buckets[5].cumulative_count == 3);   // + 0.1000001
  CHECK(buckets[10].cumulative_count == 3);
  CHECK(std::isinf(buckets[11].upper_bound));
  CHECK(buckets[11].cumulative_count == 5);
  CHECK(h.count() == 5);
  CHECK(std::isnan(h.sum()));                // client_golang adds NaN to the sum as well
}

TEST_CASE("PromHistogram: bucket choice matches a linear scan, with few (scan) and many (binary search) bounds",
          "[monitor][prom]") {
  for (const int bounds : {3, 11, 40, 200}) {
    CAPTURE(bounds);
    PromHistogram h(prom_exponential_buckets(0.001, 1.1, bounds));
    std::vector<std::uint64_t> expected(h.upper_bounds().size() + 1, 0);
    dsplay::Rng rng(bounds);
    for (int i = 0; i < 5000; ++i) {
      double v = static_cast<double>(rng.between(0, 2'000'000)) * 1e-6;
      if (i % 10 == 0 && !h.upper_bounds().empty()) v = h.upper_bounds()[rng.below(h.upper_bounds().size())];
      h.observe(v);
      std::size_t k = 0;
      while (k < h.upper_bounds().size() && !(v <= h.upper_bounds()[k])) ++k;
      ++expected[k];
    }
    CHECK(h.bucket_counts() == expected);
  }
}

TEST_CASE("PromHistogram: bounds are sanitised; merge adds counts of identical layouts only", "[monitor][prom]") {
  PromHistogram a({0.3, 0.1, kInf, 0.2, 0.1, std::nan("")});
  CHECK(a.upper_bounds() == std::vector<double>{0.1, 0.2, 0.3});
  PromHistogram b({0.1, 0.2, 0.3});
  a.observe(0.15);
  b.observe(0.25);
  b.observe(1);
  REQUIRE(a.merge(b));
  CHECK(a.count() == 3);
  CHECK(a.bucket_counts() == std::vector<std::uint64_t>{0, 1, 1, 1});
  CHECK_FALSE(a.merge(PromHistogram({0.1})));
  a.reset();
  CHECK(a.count() == 0);
  CHECK(prom_linear_buckets(1, 0.5, 3) == std::vector<double>{1, 1.5, 2});
  CHECK(prom_exponential_buckets(1, 2, 4) == std::vector<double>{1, 2, 4, 8});
  CHECK(prom_exponential_buckets(0, 2, 4).empty());
}
