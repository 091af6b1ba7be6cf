// Spans: one timed operation of a traced request (a client call, a server handling it, a retry),
// linked to its parent by span id. A trace's spans must form a tree rooted at the client's span;
// check_trace_tree says whether they do and, if not, why (lost parents, cycles, duplicate ids),
// which is what the tracing lesson and the checkers look at.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/monitor/trace_context.hpp"
#include "core/rng.hpp"
#include "core/sim_time.hpp"

namespace dsplay::monitor {

struct Span {
  TraceId trace_id;
  SpanId span_id = 0;
  SpanId parent_span_id = 0;  // 0 = root of its trace
  std::string name;
  SimTimeUs start_us = 0;
  SimTimeUs duration_us = 0;
  std::int64_t pid = 0;       // Chrome trace process (e.g. node id)
  std::int64_t tid = 0;       // Chrome trace thread (lane); see ChromeTraceOptions::auto_lanes
  std::vector<std::pair<std::string, std::string>> args;
  bool operator==(const Span&) const = default;
};

// A new root span (new trace id and span id from rng).
Span make_root_span(Rng& rng, std::string name, SimTimeUs start_us, std::int64_t pid = 0);
// A child of parent in the same trace (new span id from rng).
Span make_child_span(Rng& rng, const Span& parent, std::string name, SimTimeUs start_us, std::int64_t pid = 0);
// A child of a received traceparent: the remote caller's span becomes the parent.
Span make_child_span(Rng& rng, const TraceContext& remote_parent, std::string name, SimTimeUs start_us,
                     std::int64_t pid = 0);
// What to send downstream from inside `span` (sampled flag set).
TraceContext context_of(const Span& span, std::uint8_t flags = 1);

struct TraceTreeCheck {
  bool is_tree = false;
  SpanId root = 0;                    // the root's span id when there is exactly one
  std::vector<std::string> problems;  // empty iff is_tree
};

// True iff the spans are non-empty, all share one valid trace id, have non-zero unique span ids,
// exactly one has no parent, every other span's parent is among them, and every span is reachable
// from the root (so there is no cycle).
TraceTreeCheck check_trace_tree(const std::vector<Span>& spans);

}  // namespace dsplay::monitor
