// Chrome Trace Event JSON export of spans (see chrome_trace.hpp).
#include "core/monitor/chrome_trace.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace dsplay::monitor {

namespace {

std::vector<std::size_t> event_order(const std::vector<Span>& spans) {
  std::vector<std::size_t> order(spans.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (spans[a].start_us != spans[b].start_us) return spans[a].start_us < spans[b].start_us;
    return spans[a].duration_us > spans[b].duration_us;
  });
  return order;
}

}  // namespace

std::vector<std::int64_t> assign_span_lanes(const std::vector<Span>& spans) {
  std::vector<std::int64_t> tids(spans.size(), 0);
  // Per pid: lanes, each a stack of end times of the open spans on it. pids are kept in a sorted
  // vector (no unordered containers).
  std::vector<std::pair<std::int64_t, std::vector<std::vector<SimTimeUs>>>> lanes_by_pid;
  for (const std::size_t i : event_order(spans)) {
    const Span& s = spans[i];
    auto it = std::lower_bound(lanes_by_pid.begin(), lanes_by_pid.end(), s.pid,
                               [](const auto& entry, std::int64_t pid) { return entry.first < pid; });
    if (it == lanes_by_pid.end() || it->first != s.pid) it = lanes_by_pid.insert(it, {s.pid, {}});
    auto& lanes = it->second;
    const SimTimeUs end = s.start_us + std::max<SimTimeUs>(s.duration_us, 0);
    std::size_t lane = 0;
    for (; lane < lanes.size(); ++lane) {
      auto& stack = lanes[lane];
      while (!stack.empty() && stack.back() <= s.start_us) stack.pop_back();
      if (stack.empty() || end <= stack.back()) break;
    }
    if (lane == lanes.size()) lanes.emplace_back();
    lanes[lane].push_back(end);
    tids[i] = static_cast<std::int64_t>(lane);
  }
  return tids;
}

std::string chrome_trace_json(const std::vector<Span>& spans, const ChromeTraceOptions& options) {
  using nlohmann::json;
  const std::vector<std::int64_t> lanes = options.auto_lanes ? assign_span_lanes(spans) : std::vector<std::int64_t>{};
  json events = json::array();
  for (const auto& [pid, name] : options.process_names) {
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"tid", 0}, {"args", {{"name", name}}}});
  }
  for (const std::size_t i : event_order(spans)) {
    const Span& s = spans[i];
    json args = json::object();
    args["trace_id"] = to_hex(s.trace_id);
    args["span_id"] = span_id_hex(s.span_id);
    if (s.parent_span_id != 0) args["parent_span_id"] = span_id_hex(s.parent_span_id);
    args["traceparent"] = format_traceparent(context_of(s));
    for (const auto& [key, value] : s.args) args[key] = value;
    events.push_back({{"name", s.name},
                      {"cat", "span"},
                      {"ph", "X"},
                      {"ts", s.start_us},
                      {"dur", std::max<SimTimeUs>(s.duration_us, 0)},
                      {"pid", s.pid},
                      {"tid", options.auto_lanes ? lanes[i] : s.tid},
                      {"args", std::move(args)}});
  }
  const json root = {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}};
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace dsplay::monitor
