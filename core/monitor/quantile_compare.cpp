// QuantileCompare: three quantile estimators against the exact order statistic (see the header).
#include "core/monitor/quantile_compare.hpp"

#include <algorithm>
#include <limits>

namespace dsplay::monitor {

namespace {

double rel_error(double estimate, double truth) {
  if (truth == 0 || estimate != estimate) return std::numeric_limits<double>::quiet_NaN();
  return (estimate - truth) / truth;
}

}  // namespace

QuantileCompare::QuantileCompare() : prom_(prom_default_buckets_s()), hdr_(HdrConfig{}), dd_(DDSketchConfig{}) {}

void QuantileCompare::add(std::int64_t latency_us) {
  samples_.push_back(latency_us);
  prom_.observe(static_cast<double>(latency_us) / 1e6);
  hdr_.record(latency_us);
  dd_.insert(static_cast<double>(latency_us));
}

std::vector<QuantileRow> QuantileCompare::rows(const std::vector<double>& quantiles) const {
  std::vector<QuantileRow> out;
  if (samples_.empty()) return out;
  std::vector<std::int64_t> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(sorted.size());
  for (const double q : quantiles) {
    QuantileRow row;
    row.q = q;
    double rank = q * n;
    std::size_t r = static_cast<std::size_t>(rank);
    if (static_cast<double>(r) < rank) ++r;  // ceil
    r = std::clamp<std::size_t>(r, 1, sorted.size());
    row.true_us = static_cast<double>(sorted[r - 1]);
    row.prom_us = prom_.quantile(q) * 1e6;
    row.hdr_us = static_cast<double>(hdr_.value_at_quantile(q));
    row.dd_us = dd_.quantile(q);
    row.prom_rel_error = rel_error(row.prom_us, row.true_us);
    row.hdr_rel_error = rel_error(row.hdr_us, row.true_us);
    // DDSketch's guarantee is about the order statistic of rank floor(q * (n - 1)) (0-based).
    const std::size_t dd_rank = static_cast<std::size_t>(q * (n - 1));
    row.dd_rel_error = rel_error(row.dd_us, static_cast<double>(sorted[std::min(dd_rank, sorted.size() - 1)]));
    out.push_back(row);
  }
  return out;
}

}  // namespace dsplay::monitor
