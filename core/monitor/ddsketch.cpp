// DDSketch stores, bucket geometry, quantile and merge (see ddsketch.hpp for the index mapping).
#include "core/monitor/ddsketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

// No fused multiply-add: a*b+c must round twice everywhere, or ARM/clang builds (which contract by
// default) would differ from x86-64 and wasm in the last bit.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace dsplay::monitor {

DDSketch::DDSketch(DDSketchConfig config) {
  if (!(config.relative_accuracy >= 1e-4)) config.relative_accuracy = 1e-4;  // also NaN
  if (config.relative_accuracy > 0.25) config.relative_accuracy = 0.25;
  if (!(config.min_indexable_value >= 0x1p-1020)) config.min_indexable_value = 0x1p-1020;  // normal doubles only
  config_ = config;
  const double alpha = config.relative_accuracy;
  // Buckets span a ratio <= 1 + 1/m; 1 + 1/m == gamma at m = (1 - alpha) / (2 alpha). The extra
  // 1e-6 keeps the bound strict despite rounding in the index computation (~1e-16 relative).
  multiplier_ = (1 - alpha) / (2 * alpha) * (1 + 1e-6);
}

double DDSketch::bucket_lower_bound(int index) const {
  // Inverse of the piecewise-linear log2: y = index / m, value = 2^floor(y) * (1 + frac(y)).
  const double y = index / multiplier_;
  const double whole = std::floor(y);
  return std::ldexp(1 + (y - whole), static_cast<int>(whole));
}

double DDSketch::bucket_value(int index) const {
  const double lower = bucket_lower_bound(index);
  const double upper = bucket_upper_bound(index);
  // The point with equal relative distance to both ends, (v - lower) / v == (upper - v) / v, i.e.
  // 2 * lower * upper / (lower + upper), written so that nothing overflows near DBL_MAX.
  const double value = lower * (2 / (1 + lower / upper));
  return value <= kMaxMagnitude ? value : kMaxMagnitude;
}

void DDSketch::Store::grow_to_include(int index) {
  constexpr int kSlack = 32;  // grow in chunks: fewer reallocations while the range settles
  if (counts.empty()) {
    offset = index - kSlack;
    counts.assign(2 * kSlack + 1, 0);
    return;
  }
  const int end = offset + static_cast<int>(counts.size());
  if (index < offset) {
    const int new_offset = index - kSlack;
    counts.insert(counts.begin(), static_cast<std::size_t>(offset - new_offset), 0);
    offset = new_offset;
  } else if (index >= end) {
    counts.resize(static_cast<std::size_t>(index + kSlack + 1 - offset), 0);
  }
}

std::vector<std::pair<int, std::uint64_t>> DDSketch::Store::bins() const {
  std::vector<std::pair<int, std::uint64_t>> out;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] != 0) out.emplace_back(offset + static_cast<int>(i), counts[i]);
  }
  return out;
}

double DDSketch::quantile(double q) const {
  if (count_ == 0 || !(q >= 0 && q <= 1)) return std::numeric_limits<double>::quiet_NaN();
  const double rank = std::floor(q * static_cast<double>(count_ - 1));
  double running = 0;
  double result = max_;
  bool found = false;
  // Ascending value order: most negative first (highest negative index), then zero, then positive.
  for (std::size_t i = negative_.counts.size(); i-- > 0 && !found;) {
    running += static_cast<double>(negative_.counts[i]);
    if (running > rank) {
      result = -bucket_value(negative_.offset + static_cast<int>(i));
      found = true;
    }
  }
  if (!found) {
    running += static_cast<double>(zero_count_);
    if (running > rank) {
      result = 0;
      found = true;
    }
  }
  for (std::size_t i = 0; i < positive_.counts.size() && !found; ++i) {
    running += static_cast<double>(positive_.counts[i]);
    if (running > rank) {
      result = bucket_value(positive_.offset + static_cast<int>(i));
      found = true;
    }
  }
  return std::clamp(result, min_, max_);
}

bool DDSketch::merge(const DDSketch& other) {
  if (!(other.config_ == config_)) return false;
  for (const auto& [index, c] : other.positive_.bins()) positive_.add(index, c);
  for (const auto& [index, c] : other.negative_.bins()) negative_.add(index, c);
  zero_count_ += other.zero_count_;
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  return true;
}

bool DDSketch::operator==(const DDSketch& other) const {
  return config_ == other.config_ && zero_count_ == other.zero_count_ && count_ == other.count_ &&
         min_ == other.min_ && max_ == other.max_ && positive_.bins() == other.positive_.bins() &&
         negative_.bins() == other.negative_.bins();
}

}  // namespace dsplay::monitor
