// RunRecorder: collects a run's message flights, balancer requests and sampled counters from the
// trace records and writes them as Prometheus text, Chrome trace JSON and CSV (see run_export.hpp).
#include "core/run_export.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

#include "core/monitor/chrome_trace.hpp"
#include "core/monitor/prom_text.hpp"
#include "core/monitor/series_csv.hpp"
#include "core/world.hpp"

namespace dsplay {

namespace {

void bump(std::vector<std::uint64_t>& counts, NodeId id) {
  if (id == kNoNode) return;
  if (counts.size() <= id) counts.resize(static_cast<std::size_t>(id) + 1, 0);
  ++counts[id];
}

std::uint64_t at(const std::vector<std::uint64_t>& counts, NodeId id) { return id < counts.size() ? counts[id] : 0; }

double seconds(SimTimeUs us) { return static_cast<double>(us) / 1e6; }

}  // namespace

RunRecorder::RunRecorder(SimTimeUs sample_every_us, std::size_t max_spans)
    : sample_every_us_(sample_every_us > 0 ? sample_every_us : 1), max_spans_(max_spans) {}

void RunRecorder::add_span(monitor::Span span) {
  if (spans_.size() >= max_spans_) {
    ++spans_dropped_;
    return;
  }
  // Deterministic ids from the span's position (no randomness needed for an export).
  const std::uint64_t n = spans_.size() + 1;
  span.trace_id = monitor::TraceId{0x6473706c6179ULL, n};  // "dsplay"
  span.span_id = n;
  spans_.push_back(std::move(span));
}

void RunRecorder::observe(const World& world, const TraceLog& records) {
  for (const TraceRecord& r : records) {
    switch (r.kind) {
      case TraceKind::send:
        bump(node_sent_, r.node);
        if (max_spans_ > 0) in_flight_[r.msg_id] = Sent{r.time_us, r.node};  // only the spans need it
        break;
      case TraceKind::deliver: {
        bump(node_received_, r.node);
        const auto it = in_flight_.find(r.msg_id);
        if (it == in_flight_.end()) break;
        monitor::Span span;
        span.name = r.label;
        span.start_us = it->second.time_us;
        span.duration_us = r.time_us - it->second.time_us;
        span.pid = static_cast<std::int64_t>(r.node);
        const NodeId from = it->second.from;
        span.args = {{"from", from < world.nodes().size() ? world.nodes()[from].name : std::string("?")},
                     {"msg_id", std::to_string(r.msg_id)}};
        in_flight_.erase(it);
        add_span(std::move(span));
        break;
      }
      case TraceKind::drop: in_flight_.erase(r.msg_id); break;
      case TraceKind::note:
        if (std::string_view(r.label) == "lb done") {
          const SimTimeUs latency_us = r.a;
          latency_all_s_.observe(seconds(latency_us));
          server_latency_s_[r.node].observe(seconds(latency_us));
          if (max_spans_ == 0) break;
          monitor::Span span;
          span.name = "request " + std::to_string(r.msg_id);
          span.start_us = r.time_us - latency_us;
          span.duration_us = latency_us;
          span.pid = static_cast<std::int64_t>(r.node);
          span.args = {{"client", r.peer < world.nodes().size() ? world.nodes()[r.peer].name : std::string("?")},
                       {"latency_us", std::to_string(latency_us)}};
          add_span(std::move(span));
        }
        break;
      default: break;
    }
  }
}

void RunRecorder::sample_until(const World& world, SimTimeUs up_to_us) {
  while (next_sample_us_ <= up_to_us) {
    std::vector<std::pair<std::string, double>> row;
    const auto& stats = world.stats();
    row.emplace_back("messages_sent", static_cast<double>(stats.sent));
    row.emplace_back("messages_delivered", static_cast<double>(stats.delivered));
    row.emplace_back("messages_dropped", static_cast<double>(stats.dropped));
    row.emplace_back("messages_in_flight", static_cast<double>(world.messages_in_flight().size()));
    if (const balance::LoadBalancerSim* lb = world.lb()) {
      const balance::LbTotals& t = lb->totals();
      row.emplace_back("lb_arrivals", static_cast<double>(t.arrivals));
      row.emplace_back("lb_completed", static_cast<double>(t.completed));
      row.emplace_back("lb_dropped", static_cast<double>(t.dropped));
      row.emplace_back("lb_failed", static_cast<double>(t.failed));
      row.emplace_back("lb_in_flight", static_cast<double>(lb->requests_in_flight()));
      for (const balance::LbServer& s : lb->servers()) {
        row.emplace_back(s.name + "_served", static_cast<double>(s.served));
        row.emplace_back(s.name + "_queue", static_cast<double>(s.queue.size()));
        row.emplace_back(s.name + "_active", static_cast<double>(s.active));
      }
    }
    for (const auto& [name, value] : row) {
      auto it = std::find(column_names_.begin(), column_names_.end(), name);
      std::size_t c = static_cast<std::size_t>(it - column_names_.begin());
      if (it == column_names_.end()) {
        column_names_.push_back(name);
        columns_.emplace_back(sample_time_us_.size(), std::numeric_limits<double>::quiet_NaN());
      }
      columns_[c].resize(sample_time_us_.size(), std::numeric_limits<double>::quiet_NaN());
      columns_[c].push_back(value);
    }
    sample_time_us_.push_back(next_sample_us_);
    next_sample_us_ += sample_every_us_;
  }
}

std::string RunRecorder::csv() const {
  std::vector<monitor::SeriesColumn> columns;
  for (std::size_t c = 0; c < column_names_.size(); ++c) columns.push_back({column_names_[c], columns_[c]});
  return monitor::series_csv(sample_time_us_, columns);
}

std::string RunRecorder::chrome_trace(const World& world) const {
  monitor::ChromeTraceOptions options;
  for (NodeId id = 0; id < world.nodes().size(); ++id)
    options.process_names.emplace_back(static_cast<std::int64_t>(id), world.nodes()[id].name);
  return monitor::chrome_trace_json(spans_, options);
}

std::string RunRecorder::prometheus_text(const World& world) const {
  monitor::PromExposition out;
  const auto& stats = world.stats();
  out.counter("dsplay_messages_sent_total", "Messages sent by all nodes.", static_cast<double>(stats.sent));
  out.counter("dsplay_messages_delivered_total", "Messages delivered to a node.", static_cast<double>(stats.delivered));
  out.counter("dsplay_messages_dropped_total", "Messages dropped by the network or a down node.",
              static_cast<double>(stats.dropped));
  out.counter("dsplay_messages_duplicated_total", "Messages duplicated by the network.",
              static_cast<double>(stats.duplicated));
  out.counter("dsplay_timers_fired_total", "Timers that fired.", static_cast<double>(stats.timers_fired));
  out.counter("dsplay_events_total", "Simulation events processed.", static_cast<double>(world.event_count()));
  out.gauge("dsplay_sim_time_seconds", "Simulated time at the end of the run.", seconds(world.now_us()));
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    std::vector<monitor::PromLabel> labels = {{"node", node.name}, {"role", node_role_name(node.role)}};
    out.counter("dsplay_node_messages_sent_total", "Messages sent per node.", static_cast<double>(at(node_sent_, id)),
                labels);
    out.counter("dsplay_node_messages_received_total", "Messages delivered per node.",
                static_cast<double>(at(node_received_, id)), labels);
    out.counter("dsplay_node_crashes_total", "Crashes per node.", static_cast<double>(node.crashes), labels);
    out.gauge("dsplay_node_up", "1 if the node is up (not crashed, paused or removed).",
              node.up && !node.paused && !node.removed ? 1 : 0, labels);
  }
  if (const balance::LoadBalancerSim* lb = world.lb()) {
    const balance::LbTotals& t = lb->totals();
    out.counter("dsplay_lb_requests_arrived_total", "Requests that reached the balancer.", static_cast<double>(t.arrivals));
    out.counter("dsplay_lb_requests_no_server_total", "Requests with no server in rotation.",
                static_cast<double>(t.no_server));
    for (const balance::LbServer& s : lb->servers()) {
      const std::vector<monitor::PromLabel> labels = {{"server", s.name}};
      out.counter("dsplay_lb_server_dispatched_total", "Requests dispatched to the server.",
                  static_cast<double>(s.dispatched), labels);
      out.counter("dsplay_lb_server_served_total", "Requests the server completed.", static_cast<double>(s.served),
                  labels);
      out.counter("dsplay_lb_server_dropped_total", "Requests dropped at the server (queue full).",
                  static_cast<double>(s.dropped), labels);
      out.counter("dsplay_lb_server_failed_total", "Requests refused by a down server or lost in a crash.",
                  static_cast<double>(s.failed), labels);
      out.gauge("dsplay_lb_server_queue", "Requests waiting in the server's queue.", static_cast<double>(s.queue.size()),
                labels);
    }
    out.histogram("dsplay_lb_request_duration_seconds", "Request latency (arrival at the balancer to completion).",
                  latency_all_s_);
    for (const auto& [node, histogram] : server_latency_s_) {
      const std::string name = node < world.nodes().size() ? world.nodes()[node].name : "n" + std::to_string(node);
      out.histogram("dsplay_lb_server_request_duration_seconds", "Request latency per server.", histogram,
                    {{"server", name}});
    }
  }
  return out.text();
}

}  // namespace dsplay
