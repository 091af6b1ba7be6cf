// The online anomaly detectors (see detectors.hpp). Shared pattern: score the point against the
// state before it, then learn it. Running variances start as plain averages (weight 1/n) and turn
// into exponential averages once 1/n drops below the configured weight, so early estimates are
// not dominated by the first point.
#include "core/monitor/detectors.hpp"

#include <algorithm>
#include <cmath>

// No fused multiply-add: a*b+c must round twice everywhere, or ARM/clang builds (which contract by
// default) would differ from x86-64 and wasm in the last bit.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace dsplay::monitor {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTinySigma = 1e-300;

double floored_sigma(double sigma, double level, double min_sigma_rel) {
  return std::max({sigma, min_sigma_rel * std::fabs(level), kTinySigma});
}

DetectorOutput judge(double value, double expected, double sigma, double threshold, bool armed) {
  DetectorOutput out;
  out.expected = expected;
  out.band_low = expected - threshold * sigma;
  out.band_high = expected + threshold * sigma;
  const double deviation = std::fabs(value - expected);
  out.score = deviation == 0 ? 0 : deviation / sigma;
  out.is_anomaly = armed && out.score > threshold;
  return out;
}

// Branch-free binary searches (the compiler emits conditional moves): on noisy data a branchy
// std::lower_bound mispredicts about every other step, which dominated the MAD detector's cost.
// In the sorted window a (n > 0): the first index with a[i] >= oldest (the one to remove) and the
// first with a[i] > value (insert before it), in one loop: the two dependent load
// chains run side by side instead of one after the other.
std::pair<std::size_t, std::size_t> remove_insert_indices(const double* a, std::size_t n, double oldest, double value) {
  std::size_t low = 0;
  std::size_t up = 0;
  while (n > 1) {
    const std::size_t half = n / 2;
    // Multiplying by the comparison keeps gcc from turning the select into a branch.
    low += half * static_cast<std::size_t>(a[low + half - 1] < oldest);
    up += half * static_cast<std::size_t>(a[up + half - 1] <= value);
    n -= half;
  }
  return {low + static_cast<std::size_t>(a[low] < oldest), up + static_cast<std::size_t>(a[up] <= value)};
}

// Weight of the n-th (1-based) sample in a running average that becomes an EWMA of weight alpha.
double blend_weight(double alpha, std::size_t n) { return std::max(alpha, 1.0 / static_cast<double>(n)); }

}  // namespace

// --- ThresholdDetector ------------------------------------------------------------------------------

DetectorOutput ThresholdDetector::update(double value, double /*feature*/) {
  if (std::isnan(value)) return {};
  if (config_.calibrate_points > 0) {
    if (seen_ < config_.calibrate_points) {
      ++seen_;
      const double delta = value - mean_;  // Welford: no cancellation on large offsets
      mean_ += delta / static_cast<double>(seen_);
      m2_ += delta * (value - mean_);
      if (seen_ == config_.calibrate_points) {
        sd_ = std::sqrt(m2_ / static_cast<double>(seen_));
        config_.low = mean_ - config_.calibrate_k * sd_;
        config_.high = mean_ + config_.calibrate_k * sd_;
      }
      return {};
    }
    const double sigma = floored_sigma(sd_, mean_, 0);
    DetectorOutput out = judge(value, mean_, sigma, config_.calibrate_k, true);
    out.band_low = config_.low;
    out.band_high = config_.high;
    out.is_anomaly = value > config_.high || value < config_.low;
    return out;
  }
  DetectorOutput out;
  out.band_low = config_.low;
  out.band_high = config_.high;
  out.is_anomaly = value > config_.high || value < config_.low;
  out.score = out.is_anomaly ? 1 : 0;
  return out;
}

// --- EwmaDetector ---------------------------------------------------------------------------------------

DetectorOutput EwmaDetector::update(double value, double /*feature*/) {
  if (std::isnan(value)) return {};
  ++seen_;
  if (seen_ == 1) {
    mean_ = value;
    variance_ = 0;
    return {};
  }
  const double sigma = floored_sigma(std::sqrt(variance_), mean_, config_.min_sigma_rel);
  DetectorOutput out = judge(value, mean_, sigma, config_.threshold_z, seen_ > config_.warmup_points);
  const double a = blend_weight(config_.alpha, seen_);
  double diff = value - mean_;
  if (out.is_anomaly && config_.clip_learning) diff = diff > 0 ? config_.threshold_z * sigma : -config_.threshold_z * sigma;
  const double increment = a * diff;
  mean_ += increment;
  variance_ = (1 - a) * (variance_ + diff * increment);
  return out;
}

// --- MadDetector ------------------------------------------------------------------------------------------

MadDetector::MadDetector(MadConfig config) : config_(config) {
  config_.window_points = std::max<std::size_t>(config_.window_points, 3);
  ring_.reserve(config_.window_points);
  sorted_.reserve(config_.window_points);
}

double MadDetector::median() const {
  const std::size_t n = sorted_.size();
  if (n == 0) return kNaN;
  return n % 2 == 1 ? sorted_[n / 2] : (sorted_[n / 2 - 1] + sorted_[n / 2]) / 2;
}

// The k-th and (k+1)-th smallest (0-based) |x - median| over the window without materialising the
// deviations: below the split the deviations median - x grow towards the front, above it x - median
// grow towards the back, so these are order statistics of two sorted sequences (one branch-free
// binary search, O(log n)). For even windows the MAD needs both, so one search serves both.
std::pair<double, double> MadDetector::kth_deviations(std::size_t k, double median) const {
  const std::size_t n = sorted_.size();
  const std::size_t split = n / 2;
  const std::size_t na = split, nb = n - split;
  const double* s = sorted_.data();
  auto a = [&](std::size_t j) { return median - s[split - 1 - j]; };
  auto b = [&](std::size_t j) { return s[split + j] - median; };
  // i = how many of the k + 1 smallest come from a. "Take more from a" (b[k - i] > a[i]) holds
  // for small i and fails from the answer on; hi always fails, so probes (< hi) need no guards.
  const std::size_t lo = k + 1 > nb ? k + 1 - nb : 0;
  const std::size_t hi = std::min(k + 1, na);
  std::size_t base = lo;
  std::size_t len = hi - lo + 1;
  while (len > 1) {
    const std::size_t half = len / 2;
    const std::size_t probe = base + half - 1;
    base += half * static_cast<std::size_t>(b(k - probe) > a(probe));
    len -= half;
  }
  const std::size_t i = base;
  const std::size_t j = k + 1 - i;
  const double kth = std::max(i > 0 ? a(i - 1) : -1.0, j > 0 ? b(j - 1) : -1.0);
  // The next one is the smaller of the two sequences' next elements.
  constexpr double kBeyond = std::numeric_limits<double>::infinity();
  const double next = std::min(i < na ? a(i) : kBeyond, j < nb ? b(j) : kBeyond);
  return {kth, next};
}

double MadDetector::mad() const { return sorted_.empty() ? kNaN : mad_around(median()); }

double MadDetector::mad_around(double median) const {
  const std::size_t n = sorted_.size();
  if (n % 2 == 1) return kth_deviations(n / 2, median).first;
  const auto [low, high] = kth_deviations(n / 2 - 1, median);
  return (low + high) / 2;
}

double MadDetector::window_sd() const {
  const std::size_t n = ring_.size();
  return n > 1 ? std::sqrt(std::max(window_m2_, 0.0) / static_cast<double>(n)) : 0.0;
}

DetectorOutput MadDetector::update(double value, double /*feature*/) {
  if (std::isnan(value)) return {};
  DetectorOutput out;
  if (!sorted_.empty()) {
    const double m = median();
    const double sigma = floored_sigma(std::max(1.4826 * mad_around(m), config_.sd_floor * window_sd()), m, config_.min_sigma_rel);
    out = judge(value, m, sigma, config_.threshold, sorted_.size() >= config_.warmup_points);
  }
  if (ring_.size() < config_.window_points) {
    ring_.push_back(value);
    const double delta = value - window_mean_;
    window_mean_ += delta / static_cast<double>(ring_.size());
    window_m2_ += delta * (value - window_mean_);
  } else {
    const double oldest = ring_[head_];
    ring_[head_] = value;
    head_ = (head_ + 1) % config_.window_points;
    // Replace oldest by value in the sorted copy with one shift of the elements between them
    // (about a third of the window on average) instead of a full erase plus a full insert.
    const auto first = sorted_.begin();
    const auto [removed_index, slot_index] = remove_insert_indices(sorted_.data(), sorted_.size(), oldest, value);
    const auto removed = first + static_cast<std::ptrdiff_t>(removed_index);
    const auto slot = first + static_cast<std::ptrdiff_t>(slot_index);  // insert before slot
    if (value >= oldest) {
      std::move(removed + 1, slot, removed);
      *(slot - 1) = value;
    } else {
      std::move_backward(slot, removed, removed + 1);
      *slot = value;
    }
    // Replace oldest by value in the running mean and M2 (same count).
    const double n = static_cast<double>(ring_.size());
    const double old_mean = window_mean_;
    window_mean_ += (value - oldest) / n;
    window_m2_ += (value - oldest) * (value - window_mean_ + oldest - old_mean);
    if (++since_recompute_ >= config_.window_points) {
      since_recompute_ = 0;
      double sum = 0;
      for (const double v : ring_) sum += v;
      window_mean_ = sum / n;
      double m2 = 0;
      for (const double v : ring_) m2 += (v - window_mean_) * (v - window_mean_);
      window_m2_ = m2;
    }
    return out;
  }
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), value), value);
  return out;
}

// --- HoltWintersDetector ----------------------------------------------------------------------------------

HoltWintersDetector::HoltWintersDetector(HoltWintersConfig config) : config_(config) {
  config_.season_length = std::max<std::size_t>(config_.season_length, 1);
  seasonal_.assign(config_.season_length, 0);
}

DetectorOutput HoltWintersDetector::update(double value, double /*feature*/) {
  if (std::isnan(value)) return {};
  const std::size_t m = config_.season_length;
  ++seen_;
  if (seen_ <= m) {
    // First season: keep the raw values; then level = their mean, trend 0, seasonal = offsets.
    seasonal_[seen_ - 1] = value;
    if (seen_ == m) {
      double sum = 0;
      for (const double v : seasonal_) sum += v;
      level_ = sum / static_cast<double>(m);
      trend_ = 0;
      for (double& s : seasonal_) s -= level_;
      position_ = 0;
    }
    return {};
  }
  const double forecast = level_ + trend_ + seasonal_[position_];
  const std::size_t residuals_seen = seen_ - m;  // including this one
  const double sigma = floored_sigma(std::sqrt(residual_variance_), forecast, config_.min_sigma_rel);
  const bool armed = residuals_seen > config_.warmup_points;
  DetectorOutput out = judge(value, forecast, sigma, config_.threshold, armed);

  if (out.is_anomaly && config_.clip_learning) value = std::clamp(value, out.band_low, out.band_high);
  const double residual = value - forecast;
  const double season = seasonal_[position_];
  const double previous_level = level_;
  level_ = config_.alpha * (value - season) + (1 - config_.alpha) * (level_ + trend_);
  trend_ = config_.beta * (level_ - previous_level) + (1 - config_.beta) * trend_;
  seasonal_[position_] = config_.gamma * (value - level_) + (1 - config_.gamma) * season;
  position_ = position_ + 1 == m ? 0 : position_ + 1;
  const double w = blend_weight(config_.residual_alpha, residuals_seen);
  residual_variance_ = (1 - w) * residual_variance_ + w * residual * residual;
  return out;
}

// --- RlsDetector --------------------------------------------------------------------------------------------

RlsDetector::RlsDetector(RlsConfig config) : config_(config) {
  config_.lags = std::min<std::size_t>(config_.lags, 4);
  config_.forgetting = std::clamp(config_.forgetting, 0.5, 1.0);
  dims_ = 1 + (config_.use_feature ? 1 : 0) + config_.lags;
  for (std::size_t i = 0; i < dims_; ++i) p_[i * kMaxDims + i] = config_.initial_p;
}

DetectorOutput RlsDetector::update(double value, double feature) {
  if (std::isnan(value)) return {};
  if (scale_ == 0 && value != 0) scale_ = std::fabs(value);
  const double s = scale_ != 0 ? scale_ : 1;
  std::array<double, kMaxDims> x{};
  std::size_t d = 0;
  x[d++] = 1;
  if (config_.use_feature) {
    if (feature_scale_ == 0 && !std::isnan(feature) && feature != 0) feature_scale_ = std::fabs(feature);
    x[d++] = std::isnan(feature) ? 0 : feature / (feature_scale_ != 0 ? feature_scale_ : 1);
  }
  for (std::size_t l = 0; l < config_.lags; ++l) x[d++] = lag_values_[l];

  double y = value / s;
  double prediction = 0;
  for (std::size_t i = 0; i < d; ++i) prediction += theta_[i] * x[i];
  double error = y - prediction;
  const double sigma = floored_sigma(std::sqrt(residual_variance_), prediction, config_.min_sigma_rel);
  DetectorOutput out;
  if (residuals_seen_ > 0) {
    out = judge(value, prediction * s, sigma * s, config_.threshold, seen_ >= config_.warmup_points);
  }
  if (out.is_anomaly && config_.clip_learning) {
    error = std::clamp(error, -config_.threshold * sigma, config_.threshold * sigma);
    y = prediction + error;
  }

  // RLS step: k = P x / (lambda + x' P x); theta += k e; P = (P - k (P x)') / lambda.
  std::array<double, kMaxDims> px{};
  double xpx = 0;
  for (std::size_t i = 0; i < d; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < d; ++j) sum += p_[i * kMaxDims + j] * x[j];
    px[i] = sum;
    xpx += x[i] * sum;
  }
  const double lambda = config_.forgetting;
  const double denominator = lambda + xpx;
  double trace = 0;
  for (std::size_t i = 0; i < d; ++i) {
    const double k = px[i] / denominator;
    theta_[i] += k * error;
    for (std::size_t j = i; j < d; ++j) {
      const double updated = (p_[i * kMaxDims + j] - k * px[j]) / lambda;
      p_[i * kMaxDims + j] = updated;  // keep P exactly symmetric
      p_[j * kMaxDims + i] = updated;
    }
    trace += p_[i * kMaxDims + i];
  }
  if (trace > config_.p_trace_max) {
    const double shrink = config_.p_trace_max / trace;
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = 0; j < d; ++j) p_[i * kMaxDims + j] *= shrink;
    }
  }
  // Residuals count once the lags hold real values (earlier ones reflect zero-filled lags).
  if (seen_ >= config_.lags + 1) {
    ++residuals_seen_;
    const double w = blend_weight(config_.residual_alpha, residuals_seen_);
    residual_variance_ = (1 - w) * residual_variance_ + w * error * error;
  }
  ++seen_;
  for (std::size_t l = lag_values_.size() - 1; l > 0; --l) lag_values_[l] = lag_values_[l - 1];
  lag_values_[0] = y;
  return out;
}

// --- PeerDetector -------------------------------------------------------------------------------------------

namespace {
// Median of v (modified: partially sorted). nth_element leaves the k-th smallest value in place
// whatever its internal choices, so the result is the same with every standard library.
double median_in_place(std::vector<double>& v) {
  const std::size_t n = v.size();
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(v.begin(), mid, v.end());
  const double upper = *mid;
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), mid);
  return (lower + upper) / 2;
}
}  // namespace

void PeerDetector::update(const double* values, std::size_t count, DetectorOutput* out) {
  scratch_.clear();
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isnan(values[i])) scratch_.push_back(values[i]);
  const std::size_t members = scratch_.size();
  if (members < std::max<std::size_t>(config_.min_members, 1)) {
    for (std::size_t i = 0; i < count; ++i) out[i] = DetectorOutput{};
    return;
  }
  const double median = median_in_place(scratch_);
  for (double& x : scratch_) x = std::fabs(x - median);
  const double mad = median_in_place(scratch_);
  const double sigma = floored_sigma(1.4826 * mad, median, config_.min_sigma_rel);
  for (std::size_t i = 0; i < count; ++i) {
    if (std::isnan(values[i])) {
      out[i] = DetectorOutput{};
      continue;
    }
    out[i] = judge(values[i], median, sigma, config_.threshold, true);
    if (config_.high_only) {
      out[i].is_anomaly = out[i].is_anomaly && values[i] > median;
      out[i].band_low = -std::numeric_limits<double>::infinity();
    }
  }
}

// --- AnyDetector ------------------------------------------------------------------------------------------

std::string_view detector_kind_name(DetectorKind kind) {
  switch (kind) {
    case DetectorKind::threshold: return "threshold";
    case DetectorKind::ewma: return "ewma";
    case DetectorKind::mad: return "mad";
    case DetectorKind::holt_winters: return "holt_winters";
    case DetectorKind::rls: return "rls";
  }
  return "unknown";
}

DetectorKind detector_kind(const AnyDetector& detector) {
  // The variant's alternatives are listed in DetectorKind order.
  return static_cast<DetectorKind>(detector.index());
}

DetectorOutput detector_update(AnyDetector& detector, double value, double feature) {
  return std::visit([&](auto& d) { return d.update(value, feature); }, detector);
}

}  // namespace dsplay::monitor
