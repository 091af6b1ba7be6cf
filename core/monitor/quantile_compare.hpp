// Side by side: the quantiles of a set of latency samples (µs) as estimated by a Prometheus
// histogram (default buckets, in seconds, PromQL histogram_quantile), an HDR histogram (3
// significant digits) and a DDSketch (1 % relative accuracy), next to the true value from the raw
// samples (nearest rank) and each estimate's relative error. The monitoring panel's table; pure.
#pragma once
#include <cstdint>
#include <vector>

#include "core/monitor/ddsketch.hpp"
#include "core/monitor/hdr_histogram.hpp"
#include "core/monitor/prom_histogram.hpp"

namespace dsplay::monitor {

struct QuantileRow {
  double q = 0;
  double true_us = 0;   // order statistic of nearest rank max(1, ceil(q * n))
  double prom_us = 0;   // NaN when the Prometheus histogram has no answer
  double hdr_us = 0;
  double dd_us = 0;
  double prom_rel_error = 0;  // (estimate - true) / true; NaN when true is 0 or the estimate NaN
  double hdr_rel_error = 0;
  double dd_rel_error = 0;    // against rank floor(q * (n - 1)), the order statistic DDSketch bounds
};

// Feeds the three estimators incrementally and keeps the raw samples for the truth.
class QuantileCompare {
 public:
  QuantileCompare();
  void add(std::int64_t latency_us);
  std::size_t count() const { return samples_.size(); }
  // Rows for the given quantiles (each in [0, 1]); empty when there are no samples.
  std::vector<QuantileRow> rows(const std::vector<double>& quantiles) const;

 private:
  std::vector<std::int64_t> samples_;
  PromHistogram prom_;  // seconds, client_golang DefBuckets
  HdrHistogram hdr_;
  DDSketch dd_;
};

}  // namespace dsplay::monitor
