// Request tracing derived from trace records (see request_tracing.hpp).
#include "core/monitor/request_tracing.hpp"

#include <algorithm>
#include <string_view>

#include "core/monitor/chrome_trace.hpp"
#include "core/stable_hash.hpp"
#include "core/world.hpp"

namespace dsplay::monitor {

namespace {

// Span-id domains: what a hashed key names.
constexpr std::uint64_t kClientRootSpan = 1;
constexpr std::uint64_t kMessageSpan = 2;
constexpr std::uint64_t kLbSpan = 3;  // key = request id * 8 + hop

enum LbHop : std::uint64_t { lb_request = 0, lb_balancer = 1, lb_server = 2, lb_queue = 3, lb_service = 4 };

// The balancing sim's notes that end a request; `age_in_a`: the time since the client sent it is
// in `a` ("lb done": a = latency, b = queue wait), otherwise in `b`.
struct LbTerminal {
  std::string_view label;
  bool age_in_a;
};
constexpr LbTerminal kLbTerminals[] = {
    {"lb done", true},
    {"lb drop: queue full", false},
    {"lb refused: server down", false},
    {"lb lost: server crashed", false},
    {"lb no server", false},
    {"lb balancer down", false},
};

const LbTerminal* lb_terminal(std::string_view label) {
  for (const LbTerminal& t : kLbTerminals)
    if (t.label == label) return &t;
  return nullptr;
}

SimTimeUs clamp_time(SimTimeUs t, SimTimeUs lo, SimTimeUs hi) { return std::max(lo, std::min(t, hi)); }

}  // namespace

bool is_tracing_client(NodeRole role) {
  switch (role) {
    case NodeRole::token_client:
    case NodeRole::cache_client:
    case NodeRole::raft_client:
    case NodeRole::ticket_client:
    case NodeRole::queue_client:
    case NodeRole::redis_client:
    case NodeRole::redlock_client: return true;
    default: return false;
  }
}

RequestTracingSetup request_tracing_setup(const World& world) {
  RequestTracingSetup setup;
  setup.seed = world.seed();
  for (const Node& node : world.nodes()) {
    setup.roles.push_back(node.role);
    setup.node_names.push_back(node.name);
  }
  const balance::LbConfig& lb = world.lb() != nullptr ? world.lb()->config() : world.config().balancing;
  setup.lb_client_hop_us = lb.client_hop_us;
  setup.lb_server_hop_us = lb.server_hop_us;
  return setup;
}

TraceId derived_trace_id(std::uint64_t seed, TraceOrigin origin, std::uint64_t key) {
  Hasher h(0x7472616365ull);  // "trace"
  h.u64(seed).u64(static_cast<std::uint64_t>(origin)).u64(key);
  TraceId id;
  id.high = h.value();
  id.low = h.u64(0x6c6f77ull).value();
  if (!id.is_valid()) id.low = 1;
  return id;
}

SpanId derived_span_id(std::uint64_t seed, std::uint64_t what, std::uint64_t key) {
  const SpanId id = Hasher(0x7370616eull).u64(seed).u64(what).u64(key).value();  // "span"
  return id == 0 ? 1 : id;
}

std::string RequestTrace::traceparent() const {
  return spans.empty() ? std::string() : format_traceparent(context_of(spans.front()));
}

bool RequestTrace::owns_record(const TraceRecord& r) const {
  if (origin == TraceOrigin::balancer_request)
    return r.kind == TraceKind::note && r.msg_id == key && std::string_view(r.label).substr(0, 3) == "lb ";
  if (r.kind != TraceKind::send && r.kind != TraceKind::deliver && r.kind != TraceKind::drop) return false;
  return std::binary_search(message_ids.begin(), message_ids.end(), r.msg_id);  // ids grow in send order
}

// ------------------------------------------------------------------ the tracer

RequestTracer::RequestTracer(RequestTracingSetup setup) : setup_(std::move(setup)) {}

std::string RequestTracer::name_of(NodeId node) const {
  return node < setup_.node_names.size() ? setup_.node_names[node] : "n" + std::to_string(node);
}

bool RequestTracer::is_client(NodeId node) const {
  return node < setup_.roles.size() && is_tracing_client(setup_.roles[node]);
}

void RequestTracer::feed(const TraceLog& log, std::size_t from, std::size_t to) {
  to = std::min(to, log.size());
  for (std::size_t i = from; i < to; ++i) feed(log[i], i);
}

void RequestTracer::feed(const TraceRecord& r, std::size_t index) {
  if (!seen_any_ || r.event != event_) {
    if (seen_any_) end_event();
    event_ = r.event;
    seen_any_ = true;
  }
  last_time_us_ = std::max(last_time_us_, r.time_us);
  last_index_ = index;
  switch (r.kind) {
    case TraceKind::send: on_send(r, index); break;
    case TraceKind::deliver: on_arrival(r, index, true); break;
    case TraceKind::drop: on_arrival(r, index, false); break;
    case TraceKind::note:
      if (r.label[0] == 'l' && r.label[1] == 'b' && r.label[2] == ' ') on_lb_note(r, index);
      break;
    default: break;
  }
}

void RequestTracer::on_send(const TraceRecord& r, std::size_t index) {
  const NodeId from = r.node;
  InFlight parent;
  if (is_client(from)) {
    // A client's sends in one event are one operation: one root span, one trace.
    if (client_root_key_ == 0) {
      client_root_key_ = r.msg_id;
      MessageTrace& mt = message_traces_[r.msg_id];
      RequestTrace& t = mt.trace;
      t.origin = TraceOrigin::client_message;
      t.key = r.msg_id;
      t.trace_id = derived_trace_id(setup_.seed, t.origin, t.key);
      t.client = from;
      t.start_us = t.end_us = r.time_us;
      t.first_event = t.last_event = r.event;
      t.first_record = t.last_record = index;
      Span root;
      root.trace_id = t.trace_id;
      root.span_id = derived_span_id(setup_.seed, kClientRootSpan, t.key);
      root.name = name_of(from) + " " + r.label;
      root.start_us = r.time_us;
      root.pid = static_cast<std::int64_t>(from);
      root.args = {{"client", name_of(from)}};
      t.spans.push_back(std::move(root));
      t.span_event.push_back(r.event);
      t.span_depth.push_back(0);
    }
    parent = {client_root_key_, 0};
  } else if (handling_active_ && handling_node_ == from) {
    parent = handling_span_;  // automatic propagation: the message being handled is the context
  } else {
    return;  // not part of a request (timers, heartbeats, start-up)
  }
  auto it = message_traces_.find(parent.trace_key);
  if (it == message_traces_.end()) return;
  RequestTrace& t = it->second.trace;
  if (t.spans.size() >= setup_.max_spans_per_trace) {
    t.truncated = true;
    return;
  }
  Span span;
  span.trace_id = t.trace_id;
  span.span_id = derived_span_id(setup_.seed, kMessageSpan, r.msg_id);
  span.parent_span_id = t.spans[parent.span].span_id;
  span.name = std::string(r.label) + " " + name_of(from) + "->" + name_of(r.peer);
  span.start_us = r.time_us;
  span.pid = static_cast<std::int64_t>(r.peer);
  span.args = {{"msg_id", std::to_string(r.msg_id)}, {"from", name_of(from)}, {"to", name_of(r.peer)}};
  const auto span_index = static_cast<std::uint32_t>(t.spans.size());
  t.span_depth.push_back(t.span_depth[parent.span] + 1);
  t.spans.push_back(std::move(span));
  t.span_event.push_back(r.event);
  t.message_ids.push_back(r.msg_id);
  t.last_event = r.event;
  t.last_record = index;
  ++it->second.pending;
  in_flight_[r.msg_id] = {parent.trace_key, span_index};
}

void RequestTracer::on_arrival(const TraceRecord& r, std::size_t index, bool delivered) {
  if (delivered) handling_active_ = false;  // an event delivers at most one message
  auto flying = in_flight_.find(r.msg_id);
  if (flying == in_flight_.end()) return;
  const InFlight f = flying->second;
  in_flight_.erase(flying);
  auto it = message_traces_.find(f.trace_key);
  if (it == message_traces_.end()) return;
  RequestTrace& t = it->second.trace;
  Span& span = t.spans[f.span];
  span.duration_us = r.time_us - span.start_us;
  if (delivered) {
    span.args.emplace_back("outcome", "delivered");
  } else {
    span.args.emplace_back("outcome", std::string("dropped: ") + drop_reason_name(static_cast<DropReason>(r.a)));
    t.ok = false;
  }
  t.last_event = r.event;
  t.last_record = index;
  if (--it->second.pending == 0) touched_.push_back(f.trace_key);
  // What a client receives ends its trace there: a client's own sends start new requests.
  if (delivered && !is_client(r.node)) {
    handling_active_ = true;
    handling_node_ = r.node;
    handling_span_ = f;
  }
}

void RequestTracer::end_event() {
  for (std::uint64_t key : touched_) {
    auto it = message_traces_.find(key);
    if (it != message_traces_.end() && it->second.pending == 0) close_message_trace(it, true);
  }
  touched_.clear();
  handling_active_ = false;
  client_root_key_ = 0;
}

void RequestTracer::close_message_trace(std::map<std::uint64_t, MessageTrace>::iterator it, bool complete) {
  RequestTrace t = std::move(it->second.trace);
  message_traces_.erase(it);
  SimTimeUs end = t.start_us;
  for (std::size_t i = 1; i < t.spans.size(); ++i) {
    Span& span = t.spans[i];
    const bool open = std::none_of(span.args.begin(), span.args.end(), [](const auto& kv) { return kv.first == "outcome"; });
    if (open) {
      span.duration_us = std::max<SimTimeUs>(0, last_time_us_ - span.start_us);
      span.args.emplace_back("outcome", "in flight when the log ended");
    }
    end = std::max(end, span.start_us + span.duration_us);
  }
  t.end_us = end;
  t.spans.front().duration_us = end - t.start_us;
  t.complete = complete;
  t.outcome = !complete ? "open" : t.ok ? "delivered" : "dropped";
  t.spans.front().args.emplace_back("outcome", t.outcome);
  if (t.truncated) t.spans.front().args.emplace_back("truncated", "max spans per trace reached");
  completed_.push_back(std::move(t));
}

void RequestTracer::on_lb_note(const TraceRecord& r, std::size_t index) {
  const std::string_view label(r.label);
  if (label == "lb dispatch") {
    lb_requests_[r.msg_id] = LbDispatch{r.time_us, r.event, index, r.node, r.peer};
    return;
  }
  const LbTerminal* terminal = lb_terminal(label);
  if (terminal == nullptr || r.msg_id == 0) return;
  const auto dispatched = lb_requests_.find(r.msg_id);
  const bool was_dispatched = dispatched != lb_requests_.end();
  const LbDispatch d = was_dispatched ? dispatched->second : LbDispatch{r.time_us, r.event, index, r.node, kNoNode};
  if (was_dispatched) lb_requests_.erase(dispatched);

  const SimTimeUs end_us = r.time_us;
  const SimTimeUs age_us = std::max<SimTimeUs>(0, terminal->age_in_a ? r.a : r.b);
  RequestTrace t;
  t.origin = TraceOrigin::balancer_request;
  t.key = r.msg_id;
  t.trace_id = derived_trace_id(setup_.seed, t.origin, t.key);
  t.client = r.peer;
  t.start_us = end_us - age_us;
  t.end_us = end_us;
  t.first_event = d.event;
  t.first_record = d.record;
  t.last_event = r.event;
  t.last_record = index;
  t.outcome = r.label;
  t.ok = label == "lb done";
  t.complete = true;
  t.message_ids = {r.msg_id};
  auto add = [&](std::uint64_t hop, std::string name, NodeId node, SimTimeUs start_us, SimTimeUs stop_us,
                 std::uint32_t depth, std::uint64_t event, std::uint64_t parent_hop) {
    Span span;
    span.trace_id = t.trace_id;
    span.span_id = derived_span_id(setup_.seed, kLbSpan, t.key * 8 + hop);
    span.parent_span_id = hop == lb_request ? 0 : derived_span_id(setup_.seed, kLbSpan, t.key * 8 + parent_hop);
    span.name = std::move(name);
    span.start_us = start_us;
    span.duration_us = stop_us - start_us;
    span.pid = static_cast<std::int64_t>(node);
    t.spans.push_back(std::move(span));
    t.span_event.push_back(event);
    t.span_depth.push_back(depth);
    return &t.spans.back();
  };
  // client: from the send to the answer (or the failure)
  Span* root = add(lb_request, "request #" + std::to_string(t.key) + " " + name_of(t.client), t.client, t.start_us, end_us, 0, 0, 0);
  root->args = {{"request_id", std::to_string(t.key)}, {"client", name_of(t.client)}, {"outcome", t.outcome}};
  // balancer: from the request's arrival (one client hop later) until the answer; a paused
  // balancer holds it before dispatching
  const SimTimeUs at_balancer_us = clamp_time(t.start_us + setup_.lb_client_hop_us, t.start_us, end_us);
  Span* balancer = add(lb_balancer, "balancer " + name_of(d.balancer), d.balancer, at_balancer_us, end_us, 1, d.event, lb_request);
  if (was_dispatched && d.dispatch_us > at_balancer_us) balancer->args.emplace_back("held_us", std::to_string(d.dispatch_us - at_balancer_us));
  if (!was_dispatched) {
    balancer->args.emplace_back("outcome", t.outcome);
  } else {
    // server: from the request's arrival (one server hop after dispatch) until it is done
    const SimTimeUs at_server_us = clamp_time(d.dispatch_us + setup_.lb_server_hop_us, at_balancer_us, end_us);
    Span* server = add(lb_server, "server " + name_of(d.server), d.server, at_server_us, end_us, 2, 0, lb_balancer);
    server->args = {{"outcome", t.outcome}};
    if (t.ok) {
      const SimTimeUs service_start_us = clamp_time(at_server_us + std::max<SimTimeUs>(0, r.b), at_server_us, end_us);
      add(lb_queue, "queue wait", d.server, at_server_us, service_start_us, 3, 0, lb_server);
      add(lb_service, "service", d.server, service_start_us, end_us, 3, 0, lb_server);
    }
  }
  completed_.push_back(std::move(t));
}

std::vector<RequestTrace> RequestTracer::take_completed() {
  std::vector<RequestTrace> out = std::move(completed_);
  completed_.clear();
  return out;
}

std::vector<RequestTrace> RequestTracer::finish() {
  if (seen_any_) end_event();
  std::vector<RequestTrace> out = take_completed();
  while (!message_traces_.empty()) close_message_trace(message_traces_.begin(), false);
  for (const auto& [id, d] : lb_requests_) {
    // Dispatched and not answered when the log ended.
    RequestTrace t;
    t.origin = TraceOrigin::balancer_request;
    t.key = id;
    t.trace_id = derived_trace_id(setup_.seed, t.origin, id);
    t.start_us = std::max<SimTimeUs>(0, d.dispatch_us - setup_.lb_client_hop_us);
    t.end_us = std::max(last_time_us_, d.dispatch_us);
    t.first_event = t.last_event = d.event;
    t.first_record = t.last_record = d.record;
    t.outcome = "open";
    t.complete = false;
    t.message_ids = {id};
    Span root;
    root.trace_id = t.trace_id;
    root.span_id = derived_span_id(setup_.seed, kLbSpan, id * 8 + lb_request);
    root.name = "request #" + std::to_string(id);
    root.start_us = t.start_us;
    root.duration_us = t.end_us - t.start_us;
    root.args = {{"request_id", std::to_string(id)}, {"outcome", "open"}};
    Span balancer = root;
    balancer.span_id = derived_span_id(setup_.seed, kLbSpan, id * 8 + lb_balancer);
    balancer.parent_span_id = root.span_id;
    balancer.name = "balancer " + name_of(d.balancer);
    balancer.pid = static_cast<std::int64_t>(d.balancer);
    balancer.start_us = std::min(t.start_us + setup_.lb_client_hop_us, t.end_us);
    balancer.duration_us = t.end_us - balancer.start_us;
    balancer.args.clear();
    t.spans = {root, balancer};
    t.span_event = {0, d.event};
    t.span_depth = {0, 1};
    completed_.push_back(std::move(t));
  }
  lb_requests_.clear();
  std::vector<RequestTrace> open = take_completed();
  for (RequestTrace& t : open) out.push_back(std::move(t));
  return out;
}

// ------------------------------------------------------------------ whole logs

std::vector<RequestTrace> derive_request_traces(const TraceLog& log, const RequestTracingSetup& setup, bool include_open) {
  RequestTracer tracer(setup);
  tracer.feed(log, 0, log.size());
  if (include_open) return tracer.finish();
  std::vector<RequestTrace> out = tracer.take_completed();
  // The last event may have completed traces that only the end of the event reveals.
  for (RequestTrace& t : tracer.finish())
    if (t.complete) out.push_back(std::move(t));
  return out;
}

RequestTrace rederive_request_trace(const TraceLog& log, const RequestTracingSetup& setup, TraceOrigin origin,
                                    std::uint64_t key, std::size_t first_record) {
  RequestTracer tracer(setup);
  auto find = [&](std::vector<RequestTrace>& traces) -> RequestTrace* {
    for (RequestTrace& t : traces)
      if (t.origin == origin && t.key == key) return &t;
    return nullptr;
  };
  constexpr std::size_t kBatch = 4096;
  for (std::size_t at = std::min(first_record, log.size()); at < log.size(); at += kBatch) {
    tracer.feed(log, at, at + kBatch);
    std::vector<RequestTrace> done = tracer.take_completed();
    if (RequestTrace* t = find(done)) return std::move(*t);
  }
  std::vector<RequestTrace> rest = tracer.finish();
  if (RequestTrace* t = find(rest)) return std::move(*t);
  return {};
}

std::vector<Span> spans_of(const std::vector<RequestTrace>& traces, std::size_t max_spans) {
  std::vector<Span> out;
  for (const RequestTrace& t : traces) {
    if (out.size() + t.spans.size() > max_spans) break;
    out.insert(out.end(), t.spans.begin(), t.spans.end());
  }
  return out;
}

// ------------------------------------------------------------------ export

RequestTraceCollector::RequestTraceCollector(RequestTracingSetup setup, std::size_t max_spans)
    : tracer_(std::move(setup)), max_spans_(max_spans) {}

void RequestTraceCollector::keep(std::vector<RequestTrace> traces) {
  for (RequestTrace& t : traces) {
    if (spans_ + t.spans.size() > max_spans_) {
      ++dropped_;
      continue;
    }
    spans_ += t.spans.size();
    traces_.push_back(std::move(t));
  }
}

void RequestTraceCollector::observe(const TraceLog& records) {
  for (const TraceRecord& r : records) tracer_.feed(r, records_seen_++);
  keep(tracer_.take_completed());
}

std::string RequestTraceCollector::chrome_trace_json() {
  if (!finished_) keep(tracer_.finish());
  finished_ = true;
  ChromeTraceOptions options;
  const auto& names = tracer_.setup().node_names;
  for (std::size_t id = 0; id < names.size(); ++id) options.process_names.emplace_back(static_cast<std::int64_t>(id), names[id]);
  return monitor::chrome_trace_json(spans_of(traces_), options);
}

}  // namespace dsplay::monitor
