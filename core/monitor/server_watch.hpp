// ServerWatch: the anomaly detectors watching a pool of servers, one metrics window at a time. Each
// server's mean latency per window goes through its own series detectors (threshold baseline,
// EWMA, MAD, Holt-Winters, RLS on load), and all servers of a window go through the peer detector
// together. Every flag is kept in the caller's windows as bits and scored against what the caller
// knows to be true (which servers were degraded): per detector, the first flag, the first flag on a
// degraded server, flags on degraded servers and false alarms on healthy ones. Deterministic (see
// detectors.hpp), so lessons, the CLI and the UI read the same verdicts from a simulated world.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/monitor/detectors.hpp"

namespace dsplay::monitor {

enum class WatchDetector : std::uint8_t { threshold, ewma, mad, holt_winters, rls, peer };
constexpr std::size_t kWatchDetectors = 6;
constexpr std::size_t kWatchSeriesDetectors = 5;  // threshold .. rls: one per server
std::string_view watch_detector_name(std::size_t detector);   // "threshold", "ewma", "mad", "holt_winters", "rls", "peer"
std::string_view watch_detector_label(std::size_t detector);  // "Threshold", "EWMA", "MAD", "Holt-Winters", "RLS", "Peers"

// One server in one closed window.
struct WatchInput {
  double latency_us = std::numeric_limits<double>::quiet_NaN();  // mean latency of its completed requests (NaN: none)
  double load = std::numeric_limits<double>::quiet_NaN();        // requests sent to it in the window (RLS's feature)
  bool degraded = false;  // ground truth for scoring only (slowed, paused, down); detectors never see it
};

// One detector's record over the run. Times are window ends in microseconds, -1: never.
struct WatchScore {
  std::int64_t first_flag_us = -1;
  std::uint32_t first_flag_server = std::numeric_limits<std::uint32_t>::max();
  std::int64_t first_true_flag_us = -1;  // first flag on a server that was degraded then
  std::uint32_t true_flags = 0;          // server-windows flagged while degraded (or within the grace)
  std::uint32_t false_alarms = 0;        // server-windows flagged while healthy
  bool operator==(const WatchScore&) const = default;
};

struct WatchConfig {
  // A server that stops being degraded still drains a queue: flags up to this many windows after
  // its last degraded window still count as true, not as false alarms.
  std::uint32_t recovery_grace_windows = 5;
  bool operator==(const WatchConfig&) const = default;
};

// The knobs for simulated per-window mean latencies: lighter-tailed than NAB's real metrics, so
// 6-8 sigma instead of NAB's 14-20 (docs/MONITORING.md), and warm-ups of about 12 windows.
std::array<AnyDetector, kWatchSeriesDetectors> default_watch_series_detectors();
PeerConfig default_watch_peer_config();

class ServerWatch {
 public:
  explicit ServerWatch(WatchConfig config = {});

  // Feeds one closed window ending at end_us (one input per server, index = server; the pool may
  // grow between windows). flags[i] gets server i's bits: bit d set when detector d flagged it.
  void add_window(std::int64_t end_us, const std::vector<WatchInput>& servers, std::vector<std::uint8_t>& flags);

  std::size_t windows() const { return windows_; }
  const std::array<WatchScore, kWatchDetectors>& scores() const { return scores_; }
  std::int64_t first_degraded_us() const { return first_degraded_us_; }  // end of the first window with a degraded server; -1
  // The detector whose first true flag came first (ties: the lower number), -1 if none has one.
  int first_detector() const;
  // Windows of server i flagged by detector d (0 for an unknown server).
  std::uint32_t server_flags(std::size_t server, std::size_t detector) const;
  std::size_t server_count() const { return servers_.size(); }
  // Compares the state (not the scratch buffers, which may hold NaN for servers without requests).
  bool operator==(const ServerWatch& other) const {
    return config_ == other.config_ && peer_ == other.peer_ && servers_ == other.servers_ && scores_ == other.scores_ &&
           windows_ == other.windows_ && first_degraded_us_ == other.first_degraded_us_;
  }

 private:
  struct Server {
    std::array<AnyDetector, kWatchSeriesDetectors> detectors;
    std::array<std::uint32_t, kWatchDetectors> flags{};
    std::int64_t last_degraded_window = -1;  // window number
    bool operator==(const Server&) const = default;
  };
  WatchConfig config_;
  PeerDetector peer_;
  std::vector<Server> servers_;
  std::array<WatchScore, kWatchDetectors> scores_{};
  std::size_t windows_ = 0;
  std::int64_t first_degraded_us_ = -1;
  std::vector<double> peer_values_;          // scratch (reused, not state)
  std::vector<DetectorOutput> peer_outputs_;  // scratch
};

}  // namespace dsplay::monitor
