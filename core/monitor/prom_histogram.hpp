// A Prometheus-style cumulative histogram (fixed `le` buckets, _sum, _count) and histogram_quantile()
// with Prometheus's own interpolation rules, so dsplay's numbers match what a real Prometheus server
// would compute from the same buckets (including its well-known estimation errors, which the
// monitoring lesson demonstrates).
#pragma once
#include <cstdint>
#include <vector>

namespace dsplay::monitor {

// One cumulative bucket as Prometheus stores it: observations <= upper_bound.
struct PromBucket {
  double upper_bound = 0;
  double cumulative_count = 0;
  bool operator==(const PromBucket&) const = default;
};

// client_golang's DefBuckets: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 (seconds).
std::vector<double> prom_default_buckets_s();
// start, start+width, ... (count bounds). count < 1 -> empty.
std::vector<double> prom_linear_buckets(double start, double width, int count);
// start, start*factor, ... by repeated multiplication (no pow, so the bounds are the same
// everywhere). count < 1, start <= 0 or factor <= 1 -> empty.
std::vector<double> prom_exponential_buckets(double start, double factor, int count);

// PromQL histogram_quantile(q, buckets) for classic histograms, with Prometheus's rules
// (promql/quantile.go, bucketQuantile): q NaN -> NaN, q < 0 -> -Inf, q > 1 -> +Inf; buckets are
// sorted by upper bound and equal bounds merged; no +Inf bucket -> NaN; counts are made monotonic
// (after treating relative differences <= 1e-12 as float noise); fewer than 2 buckets or zero
// observations -> NaN. rank = q * count; the first bucket whose cumulative count >= rank holds the
// quantile, which is interpolated linearly inside it; the lowest bucket's lower bound is 0 (if its
// upper bound is <= 0, that upper bound is returned); a rank in the +Inf bucket returns the
// highest finite upper bound.
double histogram_quantile(double q, std::vector<PromBucket> buckets);

class PromHistogram {
 public:
  // Bounds are sanitised: non-finite values dropped (the +Inf bucket is implicit), sorted,
  // duplicates removed.
  explicit PromHistogram(std::vector<double> upper_bounds = prom_default_buckets_s());

  // Counts `value` into the first bucket with value <= le (NaN goes to +Inf, as in client_golang).
  void observe(double value) {
    const std::size_t n = upper_bounds_.size();
    std::size_t index = 0;
    if (value != value) {
      index = n;
    } else if (n <= kLinearScanMax) {
      // Branch-free count of bounds below the value: no mispredictions on random latencies.
      for (std::size_t i = 0; i < n; ++i) index += upper_bounds_[i] < value ? 1 : 0;
    } else {
      std::size_t lo = 0, hi = n;  // first bound >= value
      while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (upper_bounds_[mid] < value) lo = mid + 1; else hi = mid;
      }
      index = lo;
    }
    ++bucket_counts_[index];
    ++count_;
    sum_ += value;
  }

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }  // finite, ascending
  // Per-bucket (non-cumulative) counts; one more than upper_bounds(), the last is the +Inf bucket.
  const std::vector<std::uint64_t>& bucket_counts() const { return bucket_counts_; }
  // Cumulative buckets ending with {+Inf, count}, as exposed and as histogram_quantile takes them.
  std::vector<PromBucket> cumulative_buckets() const;
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double quantile(double q) const { return histogram_quantile(q, cumulative_buckets()); }

  // Adds other's counts (what sum by (le) does across instances). False if the bounds differ.
  bool merge(const PromHistogram& other);
  void reset();

  bool operator==(const PromHistogram&) const = default;

 private:
  static constexpr std::size_t kLinearScanMax = 32;
  std::vector<double> upper_bounds_;
  std::vector<std::uint64_t> bucket_counts_;
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace dsplay::monitor
