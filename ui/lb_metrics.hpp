// Load-balancing metrics: latency percentiles (p50 / p90 / p99) over time, queue lengths per
// server, each server's share of the requests with the imbalance numbers, and the latency
// histogram. The same plots overlay two simulations in compare mode. Read-only: everything comes
// from the simulations' closed metric windows and histograms.
#pragma once
#include <vector>

#include <imgui.h>

#include "core/world.hpp"
#include "ui/placement_view.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

// A line on a time plot: (time in seconds, value) points.
struct LbSeries {
  std::vector<ImVec2> points;
  ImU32 col = 0;
  float thickness = 1.5f;
  bool dashed = false;
};

// Draws a framed time plot into [p0, p1]; log_y: logarithmic y with 1-2-5 ticks; unit_ms: values
// are milliseconds (tick labels "10 ms", "2 s").
void lb_time_plot(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const char* title, const std::vector<LbSeries>& series, bool log_y,
                  bool unit_ms, float scale);

// The right-hand panel of a balancing scenario: "Latency & load" and, for hash balancers, "Placement".
struct LbMetricsPanel {
  void draw(const View& view, UiCommands& out);
  PlacementView placement;

 private:
  int last_algo_ = -1;
  bool want_placement_tab_ = false;
};

// Compare mode: a's and b's metrics overlaid (a warm, b cool), in the rest of the current window.
void draw_lb_compare_metrics(const View& view, const World& a, const World& b);

// The colours of compare mode's two sides.
constexpr ImU32 kCompareA = IM_COL32(255, 122, 84, 255);
constexpr ImU32 kCompareB = IM_COL32(84, 196, 255, 255);

}  // namespace dsplay::ui
