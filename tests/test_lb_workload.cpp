// The load-balancing workload's integer-only variates (core/balance/workload.hpp): fixed-point
// log2 / exp2 against libm (allowed here: tests only compare), the exponential sampler's mean and
// tail P(E > x) = e^-x, and Zipf frequencies. Statistical bounds are 5 sigma at fixed seeds.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/balance/workload.hpp"

using namespace dsplay;
using namespace dsplay::balance;

namespace {
double five_sigma_binomial(double p, double n) { return 5.0 * std::sqrt(p * (1.0 - p) / n); }
}  // namespace

TEST_CASE("lb workload: fixed-point log2 matches std::log2 to 2^-30", "[lb][workload]") {
  const std::uint64_t dens[] = {1, 3, 7, 512, 1000, 123457};
  for (std::uint64_t den : dens) {
    for (std::uint64_t mul = 1; mul < 5000; mul = mul * 3 + 1) {
      for (std::uint64_t extra = 0; extra < 3; ++extra) {
        const std::uint64_t num = den * mul + extra;
        const double exact = std::log2(static_cast<double>(num) / static_cast<double>(den));
        const double got = static_cast<double>(log2_ratio_q32(num, den)) / 4294967296.0;
        CAPTURE(num, den);
        CHECK(std::fabs(got - exact) < 1.0 / (1u << 30));
      }
    }
  }
  CHECK(log2_ratio_q32(1, 1) == 0);
  CHECK(log2_ratio_q32(8, 1) == (std::uint64_t{3} << 32));
  CHECK(log2_ratio_q32(1, 2) == 0);  // below 1: clamped
}

TEST_CASE("lb workload: 2^-f in Q62 matches std::exp2 to 1e-15", "[lb][workload]") {
  for (std::uint64_t i = 0; i < 4096; ++i) {
    const auto f = static_cast<std::uint32_t>(i * 1048573u);
    const double exact = std::exp2(-static_cast<double>(f) / 4294967296.0);
    const double got = static_cast<double>(exp2_neg_frac_q62(f)) / 4611686018427387904.0;
    CAPTURE(f);
    CHECK(std::fabs(got - exact) < 1e-15);
  }
  CHECK(exp2_neg_frac_q62(0) == (std::uint64_t{1} << 62));
}

TEST_CASE("lb workload: the exponential sampler's fraction table is -log2(1 - u/2)", "[lb][workload]") {
  for (std::size_t i = 0; i < detail::kExpFracTable.size(); ++i) {
    const double u = static_cast<double>(i) / static_cast<double>(detail::kExpTableSize);
    const double exact = -std::log2(1.0 - u / 2.0);
    CHECK(std::fabs(static_cast<double>(detail::kExpFracTable[i]) / 4294967296.0 - exact) < 1.0 / (1u << 30));
  }
}

TEST_CASE("lb workload: exponential_q32 has mean 1 and tail e^-x (10^6 draws, 5 sigma)", "[lb][workload]") {
  const std::uint64_t seed = GENERATE(1u, 2u, 77u);
  CAPTURE(seed);
  Rng rng(seed);
  constexpr int kDraws = 1'000'000;
  const double xs[] = {0.05, 0.5, 1.0, 2.0, 4.0, 8.0};
  std::vector<int> above(std::size(xs), 0);
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double e = static_cast<double>(exponential_q32(rng)) / 4294967296.0;
    sum += e;
    for (std::size_t j = 0; j < std::size(xs); ++j) above[j] += e > xs[j] ? 1 : 0;
  }
  // Exp(1) has standard deviation 1: the mean of n draws has sigma 1/sqrt(n) = 0.001.
  CHECK(std::fabs(sum / kDraws - 1.0) < 5.0 / std::sqrt(static_cast<double>(kDraws)));
  for (std::size_t j = 0; j < std::size(xs); ++j) {
    const double p = std::exp(-xs[j]);
    CAPTURE(xs[j], above[j]);
    CHECK(std::fabs(above[j] / static_cast<double>(kDraws) - p) < five_sigma_binomial(p, kDraws));
  }
}

TEST_CASE("lb workload: Zipf weights follow 1/(i+1)^s and samples follow the weights", "[lb][workload]") {
  const std::uint32_t s_milli = GENERATE(500u, 1000u, 1500u);
  CAPTURE(s_milli);
  constexpr std::uint32_t kKeys = 1000;
  const ZipfTable zipf(kKeys, s_milli);
  const double s = s_milli / 1000.0;
  double harmonic = 0;
  for (std::uint32_t i = 0; i < kKeys; ++i) harmonic += std::pow(i + 1.0, -s);
  for (std::uint32_t i : {0u, 1u, 2u, 9u, 99u, 999u}) {
    const double exact = std::pow(i + 1.0, -s) / harmonic;
    CAPTURE(i);
    CHECK(std::fabs(zipf.probability(i) / exact - 1.0) < 1e-6);
  }
  Rng rng(2024);
  constexpr int kDraws = 1'000'000;
  std::vector<int> counts(kKeys, 0);
  for (int i = 0; i < kDraws; ++i) ++counts[zipf.sample(rng)];
  for (std::uint32_t i : {0u, 1u, 2u, 9u, 99u}) {
    const double p = zipf.probability(i);
    CAPTURE(i, counts[i]);
    CHECK(std::fabs(counts[i] / static_cast<double>(kDraws) - p) < five_sigma_binomial(p, kDraws));
  }
}

TEST_CASE("lb workload: Zipf with s = 0 is uniform", "[lb][workload]") {
  const ZipfTable zipf(10, 0);
  Rng rng(5);
  std::vector<int> counts(10, 0);
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) ++counts[zipf.sample(rng)];
  for (int c : counts) CHECK(std::fabs(c / static_cast<double>(kDraws) - 0.1) < five_sigma_binomial(0.1, kDraws));
  CHECK(zipf.probability(3) == Approx(0.1));
}
