// Spans as Chrome Trace Event JSON ("JSON Object Format": {"traceEvents": [...]}) with complete
// events ("ph":"X", ts/dur in microseconds, pid/tid, args), which chrome://tracing and Perfetto
// (ui.perfetto.dev, "Open trace file") display as a timeline per node. Pure: returns the text; the
// CLI writes the file.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/monitor/span.hpp"

namespace dsplay::monitor {

struct ChromeTraceOptions {
  // Names shown for pids (e.g. node names), emitted as "process_name" metadata events.
  std::vector<std::pair<std::int64_t, std::string>> process_names;
  // Complete events on one (pid, tid) must nest properly or the viewers mis-draw them. With
  // auto_lanes each span's tid is replaced by the first lane of its pid where it nests (greedy,
  // spans ordered by start, longer first), so overlapping concurrent requests get separate lanes.
  bool auto_lanes = true;
};

// One "X" event per span, in (start, longer first, input order) order, with args trace_id,
// span_id, parent_span_id (absent for roots), traceparent, and the span's own args. Deterministic
// bytes (keys sorted), no exceptions (invalid UTF-8 in names is replaced).
std::string chrome_trace_json(const std::vector<Span>& spans, const ChromeTraceOptions& options = {});

// The tids chrome_trace_json would use with auto_lanes, in input order (exposed for tests).
std::vector<std::int64_t> assign_span_lanes(const std::vector<Span>& spans);

}  // namespace dsplay::monitor
