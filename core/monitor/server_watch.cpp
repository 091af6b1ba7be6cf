// ServerWatch (see server_watch.hpp): the detector bank over a pool of servers' metrics windows.
#include "core/monitor/server_watch.hpp"

#include <cmath>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace dsplay::monitor {

std::string_view watch_detector_name(std::size_t detector) {
  constexpr std::string_view kNames[kWatchDetectors] = {"threshold", "ewma", "mad", "holt_winters", "rls", "peer"};
  return detector < kWatchDetectors ? kNames[detector] : "unknown";
}

std::string_view watch_detector_label(std::size_t detector) {
  constexpr std::string_view kLabels[kWatchDetectors] = {"Threshold", "EWMA", "MAD", "Holt-Winters", "RLS", "Peers"};
  return detector < kWatchDetectors ? kLabels[detector] : "?";
}

std::array<AnyDetector, kWatchSeriesDetectors> default_watch_series_detectors() {
  ThresholdConfig threshold;  // the static alert: mean + 6 sd of the first 10 windows
  threshold.calibrate_points = 10;
  threshold.calibrate_k = 6;
  EwmaConfig ewma;
  ewma.alpha = 0.05;
  ewma.threshold_z = 6;
  ewma.warmup_points = 12;
  MadConfig mad;
  mad.window_points = 40;
  mad.threshold = 8;
  mad.warmup_points = 12;
  HoltWintersConfig hw;
  hw.season_length = 8;  // no real season in these runs; a short one keeps the warm-up short
  hw.alpha = 0.2;
  hw.gamma = 0.05;
  hw.threshold = 6;
  hw.residual_alpha = 0.05;
  hw.warmup_points = 8;
  RlsConfig rls;  // latency regressed on the window's load (requests sent to the server)
  rls.use_feature = true;
  rls.threshold = 6;
  rls.residual_alpha = 0.05;
  rls.warmup_points = 12;
  return {ThresholdDetector(threshold), EwmaDetector(ewma), MadDetector(mad), HoltWintersDetector(hw), RlsDetector(rls)};
}

PeerConfig default_watch_peer_config() { return PeerConfig{}; }

ServerWatch::ServerWatch(WatchConfig config) : config_(config), peer_(default_watch_peer_config()) {}

int ServerWatch::first_detector() const {
  int best = -1;
  for (std::size_t d = 0; d < kWatchDetectors; ++d) {
    const std::int64_t t = scores_[d].first_true_flag_us;
    if (t < 0) continue;
    if (best < 0 || t < scores_[static_cast<std::size_t>(best)].first_true_flag_us) best = static_cast<int>(d);
  }
  return best;
}

std::uint32_t ServerWatch::server_flags(std::size_t server, std::size_t detector) const {
  if (server >= servers_.size() || detector >= kWatchDetectors) return 0;
  return servers_[server].flags[detector];
}

void ServerWatch::add_window(std::int64_t end_us, const std::vector<WatchInput>& servers, std::vector<std::uint8_t>& flags) {
  const auto window = static_cast<std::int64_t>(windows_);
  ++windows_;
  while (servers_.size() < servers.size()) servers_.push_back(Server{default_watch_series_detectors(), {}, -1});
  const std::size_t n = servers.size();
  flags.assign(n, 0);

  peer_values_.resize(n);
  peer_outputs_.resize(n);
  for (std::size_t i = 0; i < n; ++i) peer_values_[i] = servers[i].latency_us;
  peer_.update(peer_values_.data(), n, peer_outputs_.data());

  for (std::size_t i = 0; i < n; ++i) {
    const WatchInput& in = servers[i];
    Server& s = servers_[i];
    if (in.degraded) {
      s.last_degraded_window = window;
      if (first_degraded_us_ < 0) first_degraded_us_ = end_us;
    }
    std::uint8_t bits = 0;
    for (std::size_t d = 0; d < kWatchSeriesDetectors; ++d)
      if (detector_update(s.detectors[d], in.latency_us, in.load).is_anomaly) bits = static_cast<std::uint8_t>(bits | (1u << d));
    if (peer_outputs_[i].is_anomaly) bits = static_cast<std::uint8_t>(bits | (1u << static_cast<unsigned>(WatchDetector::peer)));
    flags[i] = bits;
    if (bits == 0) continue;
    const bool truly = s.last_degraded_window >= 0 && window - s.last_degraded_window <= static_cast<std::int64_t>(config_.recovery_grace_windows);
    for (std::size_t d = 0; d < kWatchDetectors; ++d) {
      if (!(bits & (1u << d))) continue;
      ++s.flags[d];
      WatchScore& score = scores_[d];
      if (score.first_flag_us < 0) {
        score.first_flag_us = end_us;
        score.first_flag_server = static_cast<std::uint32_t>(i);
      }
      if (truly) {
        ++score.true_flags;
        if (score.first_true_flag_us < 0) score.first_true_flag_us = end_us;
      } else {
        ++score.false_alarms;
      }
    }
  }
}

}  // namespace dsplay::monitor
