// The monitoring panel of a balancing scenario: for the completed requests' latencies, each
// quantile (p50/p90/p99/p99.9) as estimated by a Prometheus histogram (default buckets), an HDR
// histogram and a DDSketch next to the true value from the raw samples, with each method's error;
// and the anomaly detectors (EWMA, MAD, Holt-Winters, RLS) run over every server's latency series
// (mean per 250 ms of simulated time), their flags drawn on a chart and the first flag of each
// detector listed. Fed from the session's trace ("lb done" records), so it follows the timeline.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/monitor/detectors.hpp"
#include "core/monitor/quantile_compare.hpp"
#include "core/session.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct MonitorPanel {
  static constexpr std::size_t kDetectors = 4;  // ewma, mad, holt_winters, rls
  static constexpr SimTimeUs kBinUs = 250'000;
  void draw(const View& view, UiCommands& out);

 private:
  struct Point {
    float t_s = 0;
    float latency_ms = 0;
    std::uint8_t flags = 0;  // bit d: detector d flagged this point
  };
  struct ServerSeries {
    NodeId node = kNoNode;
    std::string name;
    std::vector<Point> points;
    std::array<monitor::AnyDetector, kDetectors> detectors;
    std::int64_t bin = -1;
    double bin_sum_us = 0;
    std::uint64_t bin_count = 0;
  };
  void reset(const Session* session);
  void sync(const View& view);
  void close_bin(ServerSeries& s);
  ServerSeries& series_for(const View& view, NodeId node);

  const Session* session_ = nullptr;
  std::size_t seen_ = 0;
  monitor::QuantileCompare quantiles_;
  std::vector<ServerSeries> servers_;
  struct FirstFlag {
    float t_s = -1;
    std::string server;
  };
  std::array<FirstFlag, kDetectors> first_;
};

}  // namespace dsplay::ui
