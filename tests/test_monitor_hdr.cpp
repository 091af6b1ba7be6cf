// HDR histogram: the HdrHistogram guarantee (hdrhistogram.org; Gil Tene's HdrHistogram README:
// "value quantization within the range will thus be no larger than 1/10^d of any value") checked
// against exact order statistics, plus the bucket layout for 3 significant digits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "core/monitor/hdr_histogram.hpp"
#include "core/rng.hpp"

using namespace dsplay::monitor;

namespace {
std::int64_t pow10(int d) {
  std::int64_t v = 1;
  while (d-- > 0) v *= 10;
  return v;
}
// Nearest-rank order statistic: the value of rank max(1, ceil(q * n)).
std::int64_t exact_quantile(const std::vector<std::int64_t>& sorted, double q) {
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}
}  // namespace

TEST_CASE("HDR layout for 3 digits: values below 2048 are exact, then each bucket doubles the step", "[monitor][hdr]") {
  HdrHistogram h;  // 1 .. 3.6e9, 3 digits
  for (std::int64_t v : {0, 1, 1000, 2047}) {
    CHECK(h.lowest_equivalent_value(v) == v);
    CHECK(h.size_of_equivalent_range(v) == 1);
  }
  CHECK(h.size_of_equivalent_range(2048) == 2);
  CHECK(h.lowest_equivalent_value(2049) == 2048);
  CHECK(h.highest_equivalent_value(2048) == 2049);
  CHECK(h.size_of_equivalent_range(4096) == 4);
  CHECK(h.size_of_equivalent_range(1'000'000) == 512);
  // 1 h at 3 digits: 22 buckets of 1024 half-slots + 1 -> 23 * 1024 counters.
  CHECK(h.bucket_slots() == 23 * 1024);
}

TEST_CASE("HDR: every equivalence range is narrower than value * 10^-digits", "[monitor][hdr]") {
  for (int digits = 1; digits <= 5; ++digits) {
    CAPTURE(digits);
    HdrHistogram h(HdrConfig{1, 3'600'000'000, digits});
    dsplay::Rng rng(static_cast<std::uint64_t>(digits));
    for (int i = 0; i < 20000; ++i) {
      // Log-uniform-ish values over the whole range.
      const std::int64_t v = rng.between(1, std::int64_t{1} << rng.between(1, 31));
      const std::int64_t lo = h.lowest_equivalent_value(v);
      const std::int64_t hi = h.highest_equivalent_value(v);
      REQUIRE(lo <= v);
      REQUIRE(v <= hi);
      // Exact (width 1), or the width is at most v / 10^digits.
      REQUIRE((hi == lo || (hi - lo + 1) * pow10(digits) <= v));
    }
  }
}

TEST_CASE("HDR: quantiles are never below the exact order statistic and within its 10^-digits", "[monitor][hdr]") {
  for (int digits : {1, 2, 3, 4}) {
    CAPTURE(digits);
    HdrHistogram h(HdrConfig{1, 3'600'000'000, digits});
    std::vector<std::int64_t> values;
    dsplay::Rng rng(100 + static_cast<std::uint64_t>(digits));
    for (int i = 0; i < 50000; ++i) {
      const std::int64_t v = rng.chance_ppm(20'000) ? rng.between(100'000, 3'000'000'000) : rng.between(500, 50'000);
      values.push_back(v);
      REQUIRE(h.record(v));
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.0, 0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0}) {
      CAPTURE(q);
      const std::int64_t truth = exact_quantile(values, q);
      const std::int64_t got = h.value_at_quantile(q);
      CHECK(got >= truth);
      CHECK(static_cast<double>(got - truth) <= static_cast<double>(truth) / static_cast<double>(pow10(digits)));
    }
    CHECK(h.value_at_quantile(1.0) == values.back());
    CHECK(h.min() == values.front());
    CHECK(h.max() == values.back());
    CHECK(h.count() == values.size());
  }
}

TEST_CASE("HDR: out-of-range values are counted, not recorded; add requires the same config", "[monitor][hdr]") {
  HdrHistogram a(HdrConfig{1, 1'000'000, 2});
  CHECK_FALSE(a.record(-1));
  CHECK_FALSE(a.record(1'000'001));
  CHECK(a.record(1'000'000));
  CHECK(a.out_of_range() == 2);
  CHECK(a.count() == 1);
  HdrHistogram b(HdrConfig{1, 1'000'000, 2});
  b.record(5, 3);
  REQUIRE(a.add(b));
  CHECK(a.count() == 4);
  CHECK(a.value_at_quantile(0.5) == 5);
  CHECK(a.min() == 5);
  CHECK_FALSE(a.add(HdrHistogram(HdrConfig{1, 1'000'000, 3})));
  a.reset();
  CHECK(a.count() == 0);
  CHECK(a.value_at_quantile(0.5) == 0);
  // Sanitised config: digits clamped to 1..5.
  CHECK(HdrHistogram(HdrConfig{1, 1000, 9}).config().significant_digits == 5);
}

TEST_CASE("HDR: a coarser lowest_discernible_value trades low-end resolution for memory", "[monitor][hdr]") {
  HdrHistogram fine(HdrConfig{1, 3'600'000'000, 3});
  HdrHistogram coarse(HdrConfig{1000, 3'600'000'000, 3});  // 1 ms resolution at the bottom
  CHECK(coarse.bucket_slots() < fine.bucket_slots());
  CHECK(coarse.size_of_equivalent_range(10) == 512);  // 2^floor(log2 1000)
  // Above lowest * 2 * 10^digits the guarantee holds again.
  const std::int64_t v = 5'000'000;
  CHECK((coarse.highest_equivalent_value(v) - coarse.lowest_equivalent_value(v)) * 1000 <= v);
}
