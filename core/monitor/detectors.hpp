// Online anomaly detectors over a numeric series (latencies, queue lengths, error rates). Each one
// sees a point at a time, says how surprising it is, and keeps a band of expected values the UI
// can draw: update(value[, feature]) -> {score, is_anomaly, expected, band_low, band_high}. The
// point is scored against the state *before* it, then learned. Plain doubles with + - * / and
// sqrt only (all correctly rounded in IEEE-754), so the same series gives bit-identical outputs
// natively and in the browser. The default knobs were tuned once on the NAB corpus (the same for
// every series); they are conservative (14-20 sigma) because real metrics are heavy-tailed — for
// Gaussian synthetic noise 4-6 sigma is the usual choice. Tuning and results: docs/MONITORING.md.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dsplay::monitor {

constexpr double kNoFeature = std::numeric_limits<double>::quiet_NaN();

struct DetectorOutput {
  double score = 0;            // deviation in the detector's own sd units (0 while warming up)
  bool is_anomaly = false;     // score > threshold (never during warm-up)
  double expected = std::numeric_limits<double>::quiet_NaN();   // NaN while warming up
  double band_low = std::numeric_limits<double>::quiet_NaN();   // values outside the band are flagged
  double band_high = std::numeric_limits<double>::quiet_NaN();
  bool operator==(const DetectorOutput&) const = default;
};

// --- Fixed threshold: the baseline every other detector must beat --------------------------------
struct ThresholdConfig {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  // If > 0, low/high are ignored and set once from the first calibrate_points values:
  // mean -+ calibrate_k * sd (a static alert threshold picked from a quiet period). No flags before.
  std::size_t calibrate_points = 0;
  double calibrate_k = 3;
  bool operator==(const ThresholdConfig&) const = default;
};

class ThresholdDetector {
 public:
  explicit ThresholdDetector(ThresholdConfig config = {}) : config_(config) {}
  DetectorOutput update(double value, double feature = kNoFeature);
  const ThresholdConfig& config() const { return config_; }
  bool operator==(const ThresholdDetector&) const = default;

 private:
  ThresholdConfig config_;
  std::size_t seen_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double sd_ = 0;
};

// --- EWMA mean and variance with a z-score band ----------------------------------------------------
struct EwmaConfig {
  double alpha = 0.003;            // weight of the newest point (memory ~ 1/alpha points)
  double threshold_z = 16;         // flag |x - mean| > threshold_z * sd
  std::size_t warmup_points = 20;  // no flags before this many points
  double min_sigma_rel = 1e-3;     // sd floor, relative to |mean| (flat series)
  bool clip_learning = false;      // learn flagged points as if they were on the band's edge
  bool operator==(const EwmaConfig&) const = default;
};

class EwmaDetector {
 public:
  explicit EwmaDetector(EwmaConfig config = {}) : config_(config) {}
  DetectorOutput update(double value, double feature = kNoFeature);
  const EwmaConfig& config() const { return config_; }
  bool operator==(const EwmaDetector&) const = default;

 private:
  EwmaConfig config_;
  std::size_t seen_ = 0;
  double mean_ = 0;
  double variance_ = 0;
};

// --- Robust: median and MAD over a sliding window ---------------------------------------------------
struct MadConfig {
  std::size_t window_points = 512;
  double threshold = 20;           // flag |x - median| > threshold * sigma, sigma ~ 1.4826 * MAD
  std::size_t warmup_points = 16;  // no flags until the window holds this many points
  double min_sigma_rel = 1e-3;     // floor relative to |median| (MAD is 0 on flat stretches)
  // MAD is 0 whenever more than half the window holds one value (quantised CPU %, small counts);
  // the sigma is then floored at sd_floor * the window's standard deviation.
  double sd_floor = 1;
  bool operator==(const MadConfig&) const = default;
};

class MadDetector {
 public:
  explicit MadDetector(MadConfig config = {});
  DetectorOutput update(double value, double feature = kNoFeature);
  const MadConfig& config() const { return config_; }
  double median() const;
  double mad() const;  // median absolute deviation from the median (unscaled)
  bool operator==(const MadDetector&) const = default;

 private:
  std::pair<double, double> kth_deviations(std::size_t k, double median) const;
  double mad_around(double median) const;
  double window_sd() const;
  MadConfig config_;
  std::vector<double> ring_;    // insertion order (oldest at head_ once full)
  std::vector<double> sorted_;  // the same values, ascending
  std::size_t head_ = 0;
  double window_mean_ = 0;      // sliding Welford mean and sum of squared deviations,
  double window_m2_ = 0;        // recomputed exactly once per window to stop drift
  std::size_t since_recompute_ = 0;
};

// --- Holt-Winters (additive trend and seasonality) with a prediction band ----------------------------
struct HoltWintersConfig {
  std::size_t season_length = 288;  // points per season (one day of 5-minute samples)
  double alpha = 0.1;               // level smoothing
  double beta = 0.005;              // trend smoothing
  double gamma = 0.05;              // seasonal smoothing
  double threshold = 14;            // band = forecast +- threshold * residual sd
  double residual_alpha = 0.005;    // EWMA weight of squared one-step residuals
  std::size_t warmup_points = 30;   // forecasts after the first season before flags
  double min_sigma_rel = 1e-3;
  bool clip_learning = false;       // learn flagged points as if they were on the band's edge
  bool operator==(const HoltWintersConfig&) const = default;
};

class HoltWintersDetector {
 public:
  explicit HoltWintersDetector(HoltWintersConfig config = {});
  DetectorOutput update(double value, double feature = kNoFeature);
  const HoltWintersConfig& config() const { return config_; }
  bool operator==(const HoltWintersDetector&) const = default;

 private:
  HoltWintersConfig config_;
  std::vector<double> seasonal_;  // also the first season's raw values until initialised
  std::size_t seen_ = 0;
  std::size_t position_ = 0;      // seasonal slot of the next point
  double level_ = 0;
  double trend_ = 0;
  double residual_variance_ = 0;
};

// --- Learned: recursive least squares (online linear regression) ------------------------------------
// Regresses the value on [1, feature (if use_feature), value[t-1] ... value[t-lags]]: with a load
// feature it learns latency ~ a + b * load; with lags it is an online autoregressive model. The
// forgetting factor lets it track drift; the covariance trace is capped so flat stretches cannot
// wind it up. Values and feature are divided by a scale fixed from the first non-zero value so the
// prior and the cap mean the same for any unit.
struct RlsConfig {
  bool use_feature = false;
  std::size_t lags = 2;             // 0..4
  double forgetting = 0.98;         // lambda in [0.5, 1]; memory ~ 1 / (1 - lambda) points
  double threshold = 15;            // flag |residual| > threshold * residual sd
  double residual_alpha = 0.002;
  std::size_t warmup_points = 30;
  double initial_p = 100;           // P(0) = initial_p * I
  double p_trace_max = 1e4;
  double min_sigma_rel = 1e-3;
  bool clip_learning = false;       // learn flagged points with the residual clipped to the band
  bool operator==(const RlsConfig&) const = default;
};

class RlsDetector {
 public:
  static constexpr std::size_t kMaxDims = 6;
  explicit RlsDetector(RlsConfig config = {});
  DetectorOutput update(double value, double feature = kNoFeature);
  const RlsConfig& config() const { return config_; }
  std::size_t dims() const { return dims_; }
  const std::array<double, kMaxDims>& coefficients() const { return theta_; }  // in scaled units
  bool operator==(const RlsDetector&) const = default;

 private:
  RlsConfig config_;
  std::size_t dims_ = 0;
  std::array<double, kMaxDims> theta_{};
  std::array<double, kMaxDims * kMaxDims> p_{};
  std::array<double, 4> lag_values_{};  // most recent first (scaled)
  std::size_t seen_ = 0;
  std::size_t residuals_seen_ = 0;
  double scale_ = 0;                    // 0 until the first non-zero value
  double feature_scale_ = 0;
  double residual_variance_ = 0;
};

// --- Peers: each member against the robust centre of the group in the same window ---------------------
// Not a series detector: one update takes one value per member (servers behind one balancer, in one
// metrics window) and scores each against the median of the group, with sigma = 1.4826 * MAD of the
// group (floored at min_sigma_rel * |median|). It needs no history, so it finds a server that was
// slow from the start, which every series detector above learns as "normal" (Envoy's outlier
// detection works the same way). It cannot see a fault that hits every member at once.
struct PeerConfig {
  double threshold = 6;          // flag (value - median) > threshold * sigma
  double min_sigma_rel = 0.15;   // sigma floor relative to |median| (few members: the MAD can be ~0)
  std::size_t min_members = 3;   // fewer members with a value (not NaN): no verdicts
  bool high_only = true;         // latency: only "slower than the peers" is anomalous
  bool operator==(const PeerConfig&) const = default;
};

class PeerDetector {
 public:
  explicit PeerDetector(PeerConfig config = {}) : config_(config) {}
  // values[i]: member i's value in this window (NaN: no data, gets an empty output). out has room
  // for count outputs. No state is learned: the same window always gives the same verdicts.
  void update(const double* values, std::size_t count, DetectorOutput* out);
  const PeerConfig& config() const { return config_; }
  bool operator==(const PeerDetector& other) const { return config_ == other.config_; }

 private:
  PeerConfig config_;
  std::vector<double> scratch_;  // reused between updates (not state)
};

// --- One type for all ---------------------------------------------------------------------------------
enum class DetectorKind : std::uint8_t { threshold, ewma, mad, holt_winters, rls };
using AnyDetector = std::variant<ThresholdDetector, EwmaDetector, MadDetector, HoltWintersDetector, RlsDetector>;

std::string_view detector_kind_name(DetectorKind kind);  // "threshold", "ewma", "mad", "holt_winters", "rls"
DetectorKind detector_kind(const AnyDetector& detector);
DetectorOutput detector_update(AnyDetector& detector, double value, double feature = kNoFeature);

}  // namespace dsplay::monitor
