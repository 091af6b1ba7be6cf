// DDSketch (Masson, Rim, Lee, VLDB 2019): a quantile sketch with a relative-error guarantee. Every
// quantile it returns is within a factor (1 +- alpha) of the true order statistic, and two sketches
// with the same alpha merge into exactly the sketch of the union (bucket counts add). dsplay uses it
// for per-node latency quantiles that can be combined across nodes.
//
// Determinism: the paper's index is ceil(log_gamma(x)), but libm's log differs between glibc and
// Emscripten's musl in the last bit, which would move boundary values into different buckets on
// desktop and in the browser. The index here uses a piecewise-linear log2 read straight from the
// IEEE-754 bits (exponent + mantissa fraction) and a multiplier m = (1 - alpha) / (2 alpha), chosen
// so that every bucket spans a ratio of at most 1 + 1/m <= gamma = (1 + alpha) / (1 - alpha); see
// docs/MONITORING.md for the proof. The cost is ~1.44x more buckets than exact log indexing.
#pragma once
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace dsplay::monitor {

struct DDSketchConfig {
  double relative_accuracy = 0.01;     // alpha, clamped to [1e-4, 0.25]
  double min_indexable_value = 1e-9;   // |x| below it counts as zero (bounds the bucket range)
  bool operator==(const DDSketchConfig&) const = default;
};

class DDSketch {
 public:
  explicit DDSketch(DDSketchConfig config = {});

  // Adds value (count times). NaN is ignored. +-Inf is clamped to the largest finite magnitude.
  void insert(double value, std::uint64_t count = 1) {
    if (value != value || count == 0) return;
    double magnitude = value < 0 ? -value : value;
    if (magnitude > kMaxMagnitude) magnitude = kMaxMagnitude;
    if (magnitude < config_.min_indexable_value) {
      zero_count_ += count;
    } else {
      (value < 0 ? negative_ : positive_).add(index_of(magnitude), count);
    }
    count_ += count;
    const double clamped = value < 0 ? -magnitude : magnitude;
    sum_ += clamped * static_cast<double>(count);
    if (clamped < min_) min_ = clamped;
    if (clamped > max_) max_ = clamped;
  }

  // The value at quantile q in [0, 1]: the representative of the bucket holding the order statistic
  // of 0-based rank floor(q * (count - 1)), clamped to [min(), max()]. Within a relative alpha of
  // that order statistic (values below min_indexable_value are reported as 0). NaN when empty or
  // when q is outside [0, 1].
  double quantile(double q) const;

  // Adds other's buckets. False (nothing merged) when the configs differ.
  bool merge(const DDSketch& other);

  // The mapping, exposed for tests and the docs: bucket index of a magnitude >= min_indexable, and
  // the bucket's [lower, upper) bounds and representative 2 * lower * upper / (lower + upper).
  int index_of(double magnitude) const {
    std::uint64_t bits;
    std::memcpy(&bits, &magnitude, sizeof bits);
    const auto exponent = static_cast<int>((bits >> 52) & 0x7FF) - 1023;
    const double fraction = static_cast<double>(bits & 0xFFFFFFFFFFFFFull) * 0x1p-52;  // in [0, 1)
    const double scaled = (exponent + fraction) * multiplier_;
    const auto truncated = static_cast<int>(scaled);
    return truncated - (scaled < truncated ? 1 : 0);  // floor without libm
  }
  double bucket_lower_bound(int index) const;
  double bucket_upper_bound(int index) const { return bucket_lower_bound(index + 1); }
  double bucket_value(int index) const;

  std::uint64_t count() const { return count_; }
  std::uint64_t zero_count() const { return zero_count_; }
  double sum() const { return sum_; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  double multiplier() const { return multiplier_; }
  const DDSketchConfig& config() const { return config_; }
  // Non-empty buckets as (index, count), ascending index; negative values are mirrored.
  std::vector<std::pair<int, std::uint64_t>> positive_bins() const { return positive_.bins(); }
  std::vector<std::pair<int, std::uint64_t>> negative_bins() const { return negative_.bins(); }
  std::size_t bucket_slots() const { return positive_.counts.size() + negative_.counts.size(); }

  // Same config, same non-empty buckets, zero count, count, min and max. (sum is left out: float
  // addition in a different order may differ in the last bits.)
  bool operator==(const DDSketch& other) const;

 private:
  // A dense run of bucket counters starting at index `offset`, grown on demand.
  struct Store {
    int offset = 0;
    std::vector<std::uint64_t> counts;
    void add(int index, std::uint64_t count) {
      const auto slot = static_cast<std::size_t>(static_cast<unsigned>(index - offset));
      if (slot < counts.size()) {
        counts[slot] += count;
      } else {
        grow_to_include(index);
        counts[static_cast<std::size_t>(index - offset)] += count;
      }
    }
    void grow_to_include(int index);
    std::vector<std::pair<int, std::uint64_t>> bins() const;
  };
  static constexpr double kMaxMagnitude = 1.7976931348623157e308;

  DDSketchConfig config_;
  double multiplier_ = 0;
  Store positive_;
  Store negative_;
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = kMaxMagnitude;
  double max_ = -kMaxMagnitude;
};

}  // namespace dsplay::monitor
