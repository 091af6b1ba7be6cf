// An HDR histogram (the HdrHistogram layout of Gil Tene): integer values (e.g. latencies in us)
// recorded in O(1) with a configurable number of significant decimal digits, so a quantile read
// back is within a relative 10^-digits of the true value over the whole range (1 us .. 1 h by
// default). Used where the simulator needs exact-enough tail latencies cheaply.
#pragma once
#include <bit>
#include <cstdint>
#include <vector>

namespace dsplay::monitor {

struct HdrConfig {
  std::int64_t lowest_discernible_value = 1;              // values below it share one resolution step
  std::int64_t highest_trackable_value = 3'600'000'000;   // 1 h in us
  int significant_digits = 3;                             // 1..5
  bool operator==(const HdrConfig&) const = default;
};

class HdrHistogram {
 public:
  // The config is sanitised: digits clamped to 1..5, lowest to [1, 2^59], highest to
  // [2 * lowest, 2^61].
  explicit HdrHistogram(HdrConfig config = {});

  // Records value (count times). Values outside [0, highest_trackable_value] are not recorded;
  // they are counted in out_of_range() and false is returned.
  bool record(std::int64_t value, std::uint64_t count = 1) {
    if (value < 0 || value > config_.highest_trackable_value) {
      out_of_range_ += count;
      return false;
    }
    counts_[counts_index(value)] += count;
    total_count_ += count;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
    sum_ += static_cast<double>(value) * static_cast<double>(count);
    return true;
  }

  // The value at quantile q (clamped to [0, 1]): the recorded value of nearest rank
  // max(1, ceil(q * count)) is located and the highest value equivalent to it is returned, clamped
  // to [min(), max()]. So the result is never below the true order statistic and exceeds it by at
  // most size_of_equivalent_range - 1 < true value * 10^-digits (for values >= lowest * 2 * 10^d;
  // with lowest 1 every value). 0 when empty.
  std::int64_t value_at_quantile(double q) const;

  // The bucket geometry: [lowest_equivalent, highest_equivalent] is the set of values recorded as
  // the same value as v.
  std::int64_t lowest_equivalent_value(std::int64_t value) const;
  std::int64_t highest_equivalent_value(std::int64_t value) const;
  std::int64_t size_of_equivalent_range(std::int64_t value) const;

  std::uint64_t count() const { return total_count_; }
  std::uint64_t out_of_range() const { return out_of_range_; }
  std::int64_t min() const { return total_count_ ? min_ : 0; }
  std::int64_t max() const { return total_count_ ? max_ : 0; }
  double mean() const { return total_count_ ? sum_ / static_cast<double>(total_count_) : 0.0; }
  const HdrConfig& config() const { return config_; }
  std::size_t bucket_slots() const { return counts_.size(); }  // memory: 8 bytes each

  // Adds other's counts. False (nothing added) if the configs differ.
  bool add(const HdrHistogram& other);
  void reset();

  bool operator==(const HdrHistogram&) const = default;

 private:
  int bucket_index(std::int64_t value) const {
    const auto v = static_cast<std::uint64_t>(value) | sub_bucket_mask_;
    const int pow2_ceiling = 64 - std::countl_zero(v);
    return pow2_ceiling - unit_magnitude_ - (sub_bucket_half_count_magnitude_ + 1);
  }
  std::size_t counts_index(std::int64_t value) const {
    const int bucket = bucket_index(value);
    const auto sub_bucket = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) >> (bucket + unit_magnitude_));
    return static_cast<std::size_t>((static_cast<std::int64_t>(bucket + 1) << sub_bucket_half_count_magnitude_) +
                                    (sub_bucket - sub_bucket_half_count_));
  }
  std::int64_t value_from_index(std::size_t index) const;

  HdrConfig config_;
  int unit_magnitude_ = 0;
  int sub_bucket_half_count_magnitude_ = 0;
  std::int64_t sub_bucket_count_ = 0;
  std::int64_t sub_bucket_half_count_ = 0;
  std::uint64_t sub_bucket_mask_ = 0;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_count_ = 0;
  std::uint64_t out_of_range_ = 0;
  std::int64_t min_ = INT64_MAX;
  std::int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace dsplay::monitor
