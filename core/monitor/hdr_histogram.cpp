// HDR histogram geometry and queries (see hdr_histogram.hpp). Layout: bucket 0 holds
// sub_bucket_count slots of width 2^unit; every further bucket doubles the width and holds the
// upper half of the sub-buckets, so each slot's width is at most 1/sub_bucket_half_count of its
// lowest value, and sub_bucket_half_count >= 10^digits.
#include "core/monitor/hdr_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace dsplay::monitor {

namespace {
int floor_log2(std::uint64_t v) { return 63 - std::countl_zero(v | 1); }
int ceil_log2(std::uint64_t v) { return v <= 1 ? 0 : 64 - std::countl_zero(v - 1); }
}  // namespace

HdrHistogram::HdrHistogram(HdrConfig config) {
  config.significant_digits = std::clamp(config.significant_digits, 1, 5);
  config.lowest_discernible_value = std::clamp<std::int64_t>(config.lowest_discernible_value, 1, INT64_MAX / 16);
  config.highest_trackable_value =
      std::clamp(config.highest_trackable_value, 2 * config.lowest_discernible_value, INT64_MAX / 4);
  config_ = config;

  std::int64_t single_unit_resolution_max = 2;  // 2 * 10^digits
  for (int i = 0; i < config.significant_digits; ++i) single_unit_resolution_max *= 10;
  const int sub_bucket_count_magnitude = ceil_log2(static_cast<std::uint64_t>(single_unit_resolution_max));
  sub_bucket_half_count_magnitude_ = std::max(sub_bucket_count_magnitude, 1) - 1;
  unit_magnitude_ = floor_log2(static_cast<std::uint64_t>(config.lowest_discernible_value));
  sub_bucket_count_ = std::int64_t{1} << (sub_bucket_half_count_magnitude_ + 1);
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = static_cast<std::uint64_t>(sub_bucket_count_ - 1) << unit_magnitude_;

  // Buckets needed so that the highest trackable value has a slot.
  std::int64_t smallest_untrackable = sub_bucket_count_ << unit_magnitude_;
  int bucket_count = 1;
  while (smallest_untrackable <= config.highest_trackable_value) {
    if (smallest_untrackable > INT64_MAX / 2) {
      ++bucket_count;
      break;
    }
    smallest_untrackable <<= 1;
    ++bucket_count;
  }
  counts_.assign(static_cast<std::size_t>((bucket_count + 1) * sub_bucket_half_count_), 0);
}

std::int64_t HdrHistogram::value_from_index(std::size_t index) const {
  auto bucket = static_cast<int>(static_cast<std::int64_t>(index) >> sub_bucket_half_count_magnitude_) - 1;
  std::int64_t sub_bucket = (static_cast<std::int64_t>(index) & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return sub_bucket << (bucket + unit_magnitude_);
}

std::int64_t HdrHistogram::size_of_equivalent_range(std::int64_t value) const {
  const int bucket = bucket_index(std::max<std::int64_t>(value, 0));
  return std::int64_t{1} << (unit_magnitude_ + bucket);
}

std::int64_t HdrHistogram::lowest_equivalent_value(std::int64_t value) const {
  value = std::max<std::int64_t>(value, 0);
  const int bucket = bucket_index(value);
  const int shift = bucket + unit_magnitude_;
  return (value >> shift) << shift;
}

std::int64_t HdrHistogram::highest_equivalent_value(std::int64_t value) const {
  return lowest_equivalent_value(value) + size_of_equivalent_range(value) - 1;
}

std::int64_t HdrHistogram::value_at_quantile(double q) const {
  if (total_count_ == 0) return 0;
  if (!(q > 0)) q = 0;  // also NaN
  if (q > 1) q = 1;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, total_count_);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    running += counts_[i];
    if (running >= rank) {
      return std::clamp(highest_equivalent_value(value_from_index(i)), min_, max_);
    }
  }
  return max_;
}

bool HdrHistogram::add(const HdrHistogram& other) {
  if (!(other.config_ == config_)) return false;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_count_ += other.total_count_;
  out_of_range_ += other.out_of_range_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  return true;
}

void HdrHistogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_count_ = 0;
  out_of_range_ = 0;
  min_ = INT64_MAX;
  max_ = 0;
  sum_ = 0;
}

}  // namespace dsplay::monitor
