// Span construction and the trace-tree check (see span.hpp).
#include "core/monitor/span.hpp"

#include <algorithm>

namespace dsplay::monitor {

Span make_root_span(Rng& rng, std::string name, SimTimeUs start_us, std::int64_t pid) {
  Span span;
  span.trace_id = new_trace_id(rng);
  span.span_id = new_span_id(rng);
  span.name = std::move(name);
  span.start_us = start_us;
  span.pid = pid;
  return span;
}

Span make_child_span(Rng& rng, const Span& parent, std::string name, SimTimeUs start_us, std::int64_t pid) {
  return make_child_span(rng, context_of(parent), std::move(name), start_us, pid);
}

Span make_child_span(Rng& rng, const TraceContext& remote_parent, std::string name, SimTimeUs start_us,
                     std::int64_t pid) {
  Span span;
  span.trace_id = remote_parent.trace_id;
  span.span_id = new_span_id(rng);
  span.parent_span_id = remote_parent.parent_id;
  span.name = std::move(name);
  span.start_us = start_us;
  span.pid = pid;
  return span;
}

TraceContext context_of(const Span& span, std::uint8_t flags) {
  TraceContext context;
  context.trace_id = span.trace_id;
  context.parent_id = span.span_id;
  context.flags = flags;
  return context;
}

TraceTreeCheck check_trace_tree(const std::vector<Span>& spans) {
  TraceTreeCheck result;
  auto& problems = result.problems;
  if (spans.empty()) {
    problems.push_back("no spans");
    return result;
  }
  const TraceId trace = spans.front().trace_id;
  if (!trace.is_valid()) problems.push_back("trace id is all zeros");

  // Sorted (span id, position) pairs: lookups without unordered containers.
  std::vector<std::pair<SpanId, std::size_t>> by_id;
  by_id.reserve(spans.size());
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    if (!(s.trace_id == trace)) problems.push_back("span " + span_id_hex(s.span_id) + " belongs to trace " + to_hex(s.trace_id));
    if (s.span_id == 0) problems.push_back("span '" + s.name + "' has span id 0");
    if (s.parent_span_id == 0) roots.push_back(i);
    by_id.emplace_back(s.span_id, i);
  }
  std::sort(by_id.begin(), by_id.end());
  for (std::size_t i = 1; i < by_id.size(); ++i) {
    if (by_id[i].first == by_id[i - 1].first) problems.push_back("duplicate span id " + span_id_hex(by_id[i].first));
  }
  auto find = [&](SpanId id) -> std::ptrdiff_t {
    const auto it = std::lower_bound(by_id.begin(), by_id.end(), std::make_pair(id, std::size_t{0}));
    return it != by_id.end() && it->first == id ? static_cast<std::ptrdiff_t>(it->second) : -1;
  };
  if (roots.empty()) problems.push_back("no root span (every span has a parent)");
  if (roots.size() > 1) problems.push_back(std::to_string(roots.size()) + " root spans (expected exactly one)");
  for (const Span& s : spans) {
    if (s.parent_span_id != 0 && find(s.parent_span_id) < 0) {
      problems.push_back("span " + span_id_hex(s.span_id) + " has missing parent " + span_id_hex(s.parent_span_id));
    }
    if (s.parent_span_id != 0 && s.parent_span_id == s.span_id) {
      problems.push_back("span " + span_id_hex(s.span_id) + " is its own parent");
    }
  }
  // Reachability from the root: walk up from every span; a walk longer than the span count loops.
  if (roots.size() == 1) {
    result.root = spans[roots.front()].span_id;
    std::size_t unreachable = 0;
    for (const Span& s : spans) {
      SpanId at = s.span_id;
      std::size_t steps = 0;
      bool reached = false;
      while (steps++ <= spans.size()) {
        const auto pos = find(at);
        if (pos < 0) break;
        const Span& node = spans[static_cast<std::size_t>(pos)];
        if (node.parent_span_id == 0) {
          reached = true;
          break;
        }
        at = node.parent_span_id;
      }
      if (!reached) ++unreachable;
    }
    if (unreachable > 0) problems.push_back(std::to_string(unreachable) + " span(s) not reachable from the root (cycle or lost parent)");
  }
  result.is_tree = problems.empty();
  return result;
}

}  // namespace dsplay::monitor
