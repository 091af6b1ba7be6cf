// The event log: every trace record as its stable text line (format_trace_record), oldest first,
// the known future dimmed below a "now" line, a substring filter (text or node name) and a
// "timers" toggle, following the present as it moves. Clicking a row seeks to its event.
// ImGuiListClipper formats only the visible rows, so 100k records stay fast.
// A filter "trace:<trace id hex>" (or a pasted traceparent or 32-hex trace id) keeps only the
// records of that request's trace (core/monitor/request_tracing.hpp): the trace panel sets it with
// the trace it shows; typed by hand, the trace is looked up by id prefix (at least 4 hex digits).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/monitor/request_tracing.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct EventLogPanel {
  void draw(const View& view, UiCommands& out);
  // Shows only the records of this trace (the filter text becomes "trace:<id>").
  void filter_by_trace(const monitor::RequestTrace& trace);
  // The records shown while a filter is on (indices into the session's trace), for tests.
  const std::vector<std::uint32_t>& filtered_rows() const { return rows_; }

 private:
  void update_rows(const View& view);
  void update_trace_rows(const View& view, const std::string& trace_hex);

  char filter_[128] = "";
  bool show_timers_ = true;
  bool follow_ = true;
  // filtered rows (indices into the trace), rebuilt when the filter or the trace changes
  bool filtering_ = false;
  std::string cached_filter_;
  bool cached_show_timers_ = true;
  std::uint64_t generation_ = ~0ull;
  std::size_t scanned_ = 0;
  std::vector<std::uint32_t> rows_;
  std::size_t last_present_rows_ = SIZE_MAX;
  bool skip_follow_ = false;
  // trace filter
  bool trace_mode_ = false;
  std::optional<monitor::RequestTrace> trace_filter_;
  std::optional<monitor::RequestTracer> trace_search_;  // looking a typed id up
  std::size_t trace_search_at_ = 0;
  bool trace_search_done_ = false;
};

}  // namespace dsplay::ui
