// Prometheus histogram buckets and histogram_quantile (see prom_histogram.hpp for the rules).
#include "core/monitor/prom_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

// No fused multiply-add: a*b+c must round twice everywhere, or ARM/clang builds (which contract by
// default) would differ from x86-64 and wasm in the last bit.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace dsplay::monitor {

std::vector<double> prom_default_buckets_s() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> prom_linear_buckets(double start, double width, int count) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i) out.push_back(start + width * i);
  return out;
}

std::vector<double> prom_exponential_buckets(double start, double factor, int count) {
  std::vector<double> out;
  if (start <= 0 || factor <= 1) return out;
  double bound = start;
  for (int i = 0; i < count; ++i, bound *= factor) out.push_back(bound);
  return out;
}

double histogram_quantile(double q, std::vector<PromBucket> buckets) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -kInf;
  if (q > 1) return kInf;
  if (buckets.empty()) return kNaN;
  std::stable_sort(buckets.begin(), buckets.end(),
                   [](const PromBucket& a, const PromBucket& b) { return a.upper_bound < b.upper_bound; });
  if (!(std::isinf(buckets.back().upper_bound) && buckets.back().upper_bound > 0)) return kNaN;

  // Merge buckets with equal upper bounds (their counts add, as Prometheus does).
  std::size_t kept = 0;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].upper_bound == buckets[kept].upper_bound) {
      buckets[kept].cumulative_count += buckets[i].cumulative_count;
    } else {
      buckets[++kept] = buckets[i];
    }
  }
  buckets.resize(kept + 1);

  // Relative differences within 1e-12 are float noise from rate()/sum(): treat them as equal.
  double previous = buckets[0].cumulative_count;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    const double current = buckets[i].cumulative_count;
    const double delta = std::fabs(current - previous);
    if (delta == 0) continue;
    if (delta / current <= 1e-12) buckets[i].cumulative_count = previous; else previous = current;
  }
  // Force monotonic cumulative counts (the envelope), as Prometheus does for inconsistent input.
  double running_max = buckets[0].cumulative_count;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].cumulative_count > running_max) running_max = buckets[i].cumulative_count;
    else buckets[i].cumulative_count = running_max;
  }

  if (buckets.size() < 2) return kNaN;
  const double observations = buckets.back().cumulative_count;
  if (observations == 0) return kNaN;
  double rank = q * observations;
  // First bucket (the +Inf bucket excluded from the search) whose cumulative count reaches rank.
  std::size_t b = 0;
  const std::size_t last = buckets.size() - 1;
  while (b < last && !(buckets[b].cumulative_count >= rank)) ++b;
  if (b == last) return buckets[last - 1].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double bucket_start = 0;
  const double bucket_end = buckets[b].upper_bound;
  double count = buckets[b].cumulative_count;
  if (b > 0) {
    bucket_start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].cumulative_count;
    rank -= buckets[b - 1].cumulative_count;
  }
  return bucket_start + (bucket_end - bucket_start) * (rank / count);
}

PromHistogram::PromHistogram(std::vector<double> upper_bounds) {
  std::erase_if(upper_bounds, [](double v) { return !std::isfinite(v); });
  std::sort(upper_bounds.begin(), upper_bounds.end());
  upper_bounds.erase(std::unique(upper_bounds.begin(), upper_bounds.end()), upper_bounds.end());
  upper_bounds_ = std::move(upper_bounds);
  bucket_counts_.assign(upper_bounds_.size() + 1, 0);
}

std::vector<PromBucket> PromHistogram::cumulative_buckets() const {
  std::vector<PromBucket> out;
  out.reserve(bucket_counts_.size());
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < bucket_counts_.size(); ++i) {
    running += bucket_counts_[i];
    const double bound = i < upper_bounds_.size() ? upper_bounds_[i] : std::numeric_limits<double>::infinity();
    out.push_back({bound, static_cast<double>(running)});
  }
  return out;
}

bool PromHistogram::merge(const PromHistogram& other) {
  if (other.upper_bounds_ != upper_bounds_) return false;
  for (std::size_t i = 0; i < bucket_counts_.size(); ++i) bucket_counts_[i] += other.bucket_counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  return true;
}

void PromHistogram::reset() {
  std::fill(bucket_counts_.begin(), bucket_counts_.end(), 0);
  count_ = 0;
  sum_ = 0;
}

}  // namespace dsplay::monitor
