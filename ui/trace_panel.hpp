// The request-tracing panel: every client request's spans (core/monitor/request_tracing.hpp),
// derived from the session's trace up to the present. Left: the slowest requests so far (or the
// latest ones); click one to see its waterfall on the right: one row per span, indented by depth,
// a bar on the request's time axis, the hop's name and duration. Clicking a span moves the
// timeline to where it began; "Filter the event log" shows only that trace's records there.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/monitor/request_tracing.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct TracePanel {
  static constexpr std::size_t kKept = 40;  // slowest and latest traces kept (each with its spans)

  void draw(const View& view, UiCommands& out);
  // The trace the user asked the event log to filter by (taken once).
  std::optional<monitor::RequestTrace> take_event_log_filter();

 private:
  void reset(const View& view);
  void sync(const View& view);
  void keep(monitor::RequestTrace trace, bool among_latest);
  void select(const monitor::RequestTrace& trace);
  void draw_list(const View& view);
  void draw_waterfall(const View& view, UiCommands& out);

  const Session* session_ = nullptr;
  std::uint64_t generation_ = ~0ull;
  std::size_t node_count_ = 0;
  std::size_t seen_ = 0;
  std::optional<monitor::RequestTracer> tracer_;
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
  std::vector<monitor::RequestTrace> slowest_;  // longest first, at most kKept
  std::vector<monitor::RequestTrace> latest_;   // newest last, at most kKept
  bool show_latest_ = false;
  std::optional<monitor::RequestTrace> selected_;
  bool user_selected_ = false;  // false: the waterfall follows the slowest request
  std::vector<std::size_t> selected_order_;  // span indices, depth first, children by start
  std::optional<monitor::RequestTrace> log_filter_request_;
};

}  // namespace dsplay::ui
