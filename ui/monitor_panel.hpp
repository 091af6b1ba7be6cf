// The monitoring panel of a balancing scenario: for the completed requests' latencies, each
// quantile (p50/p90/p95/p99/p99.9) as estimated by a Prometheus histogram (default buckets), an HDR
// histogram and a DDSketch next to the true value from the raw samples, with each method's error
// (fed from the session's trace, "lb done" records, so it follows the timeline); and the anomaly
// detectors the simulation runs over every server's metrics windows (monitor::ServerWatch in the
// lb sim: threshold, EWMA, MAD, Holt-Winters, RLS and the peer comparison), read from the world:
// each server's mean latency per window with the detectors' flags, and per detector its first
// flag, its first flag on a degraded server, true flags and false alarms.
#pragma once
#include <cstdint>
#include <string>

#include "core/monitor/quantile_compare.hpp"
#include "core/session.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct MonitorPanel {
  void draw(const View& view, UiCommands& out);

 private:
  void reset(const Session* session);
  void sync(const View& view);
  void draw_detector_table(const View& view, float width);
  void draw_chart(const View& view);

  const Session* session_ = nullptr;
  std::size_t seen_ = 0;
  monitor::QuantileCompare quantiles_;
  std::uint8_t shown_detectors_ = 0x3F;  // bit d: draw detector d's rings on the chart
};

}  // namespace dsplay::ui
