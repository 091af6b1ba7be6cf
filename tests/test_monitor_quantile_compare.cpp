// QuantileCompare (the monitoring panel's table): HDR within 0.1 % above the true order statistic,
// DDSketch within 1 %, and the Prometheus default buckets off by up to a bucket width — on a
// uniform 1..900 ms latency sample.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/monitor/quantile_compare.hpp"
#include "core/rng.hpp"

using namespace dsplay::monitor;

TEST_CASE("quantile compare: HDR <= 0.1 % and DDSketch <= 1 % from the truth; Prometheus buckets are coarser",
          "[monitor][quantile_compare]") {
  QuantileCompare compare;
  CHECK(compare.rows({0.5}).empty());
  dsplay::Rng rng(7);
  for (int i = 0; i < 20'000; ++i) compare.add(static_cast<std::int64_t>(rng.between(1'000, 900'000)));
  const auto rows = compare.rows({0.5, 0.9, 0.99, 0.999});
  REQUIRE(rows.size() == 4);
  double prom_worst = 0;
  for (const QuantileRow& row : rows) {
    INFO("q " << row.q << " true " << row.true_us << " prom " << row.prom_us << " hdr " << row.hdr_us << " dd "
              << row.dd_us);
    CHECK(row.hdr_rel_error >= 0);
    CHECK(row.hdr_rel_error < 1e-3);
    CHECK(std::abs(row.dd_rel_error) <= 0.01 + 1e-9);
    // default buckets around these values: .25 .5 1 s -> error bounded by the bucket width
    CHECK(std::abs(row.prom_us - row.true_us) <= 500'000);
    prom_worst = std::max(prom_worst, std::abs(row.prom_rel_error));
  }
  CHECK(prom_worst > 0.01);  // the coarse buckets are visibly worse than the sketches
}
