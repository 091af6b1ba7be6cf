// Request tracing across every hop of the simulator, derived from the world's trace records.
// Every client request gets a W3C trace id and every hop a span with its parent, so a request's
// spans form a tree rooted at the client's span:
//  - load balancing (core/balance/lb_sim.hpp): request (client) -> balancer -> server, which splits
//    into queue wait and service; failures (no server, balancer down, queue full, refused, lost in
//    a crash) end the trace at the hop where they happened.
//  - message protocols (core/world.cpp): the messages a client role sends in one event start a
//    trace (one root span for the client's operation, one span per message from send to delivery
//    or drop); every message a non-client process sends while handling a traced message carries
//    that message's context (automatic propagation, like a tracing library's current span), so the
//    lock service's grant, a Raft leader's AppendEntries and the followers' replies join the trace.
// Nothing is stored in the World (it stays a cheap value and its trace hash is unchanged): the
// context a message carries is a function of the records (the message being handled when it was
// sent), and trace / span ids are hashes of (seed, request or message id), so the same seed gives
// the same ids natively and in wasm. See docs/MONITORING.md, "Request tracing".
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "core/monitor/span.hpp"
#include "core/trace.hpp"

namespace dsplay {
class World;
}

namespace dsplay::monitor {

// What the tracer needs to know about the run besides its records.
struct RequestTracingSetup {
  std::uint64_t seed = 1;
  std::vector<NodeRole> roles;          // by NodeId (ids beyond: not a client)
  std::vector<std::string> node_names;  // by NodeId, for span names
  SimTimeUs lb_client_hop_us = 0;       // the balancing sim's client -> balancer latency
  SimTimeUs lb_server_hop_us = 0;       // balancer -> server
  std::size_t max_spans_per_trace = 256;  // a longer cascade stops being traced (the tree stays whole)
};
RequestTracingSetup request_tracing_setup(const World& world);

// Client roles of the message protocols: their sends start traces, what they receive ends them.
bool is_tracing_client(NodeRole role);

enum class TraceOrigin : std::uint8_t { balancer_request, client_message };

struct RequestTrace {
  TraceOrigin origin = TraceOrigin::client_message;
  std::uint64_t key = 0;        // balancer: the request id; messages: the first message id the client sent
  TraceId trace_id;
  NodeId client = kNoNode;
  SimTimeUs start_us = 0;       // the root span's start
  SimTimeUs end_us = 0;         // the latest end of any span (= the root span's end)
  std::uint64_t first_event = 0;
  std::uint64_t last_event = 0;
  std::size_t first_record = 0;  // index in the log of the first record of this trace
  std::size_t last_record = 0;   // ... and of the last
  const char* outcome = "";      // "done", "lb drop: queue full", "delivered", "dropped", "open" ...
  bool ok = true;                // no hop failed (nothing dropped, refused or lost)
  bool complete = false;         // every hop ended (false: the log ended first)
  bool truncated = false;        // max_spans_per_trace was reached
  // Root first; a parent always comes before its children.
  std::vector<Span> spans;
  std::vector<std::uint64_t> span_event;  // per span: the event it began in (0: not an event, e.g. a client send time)
  std::vector<std::uint32_t> span_depth;  // per span: 0 for the root
  // The records of this trace: messages (send / deliver / drop msg ids) or the balancer request id.
  std::vector<std::uint64_t> message_ids;
  SimTimeUs duration_us() const { return end_us - start_us; }
  std::string traceparent() const;  // the root span's context, as the client would send it
  // Whether a trace record belongs to this trace (the event log's trace filter).
  bool owns_record(const TraceRecord& record) const;
};

// Deterministic ids: hashes of (seed, what, key), never zero.
TraceId derived_trace_id(std::uint64_t seed, TraceOrigin origin, std::uint64_t key);
SpanId derived_span_id(std::uint64_t seed, std::uint64_t what, std::uint64_t key);

// Feeds records in log order; hands back each trace once it is complete.
class RequestTracer {
 public:
  explicit RequestTracer(RequestTracingSetup setup);

  // One record; record_index is its position in the log (kept in the traces for re-deriving).
  void feed(const TraceRecord& record, std::size_t record_index);
  void feed(const TraceLog& log, std::size_t from, std::size_t to);
  // Traces completed so far and not yet taken, in completion order. A message trace completes at
  // the end of the event in which its last message was delivered or dropped, which the tracer
  // knows when a record of a later event arrives (or at finish()).
  std::vector<RequestTrace> take_completed();
  // The log ended: closes the last event and returns the traces still open (complete = false,
  // open hops end at the last time seen).
  std::vector<RequestTrace> finish();
  std::size_t open_traces() const { return message_traces_.size() + lb_requests_.size(); }
  const RequestTracingSetup& setup() const { return setup_; }

 private:
  struct MessageTrace {
    RequestTrace trace;
    std::size_t pending = 0;  // messages sent and not yet delivered or dropped
  };
  struct InFlight {
    std::uint64_t trace_key = 0;
    std::uint32_t span = 0;  // index in the trace's spans
  };
  struct LbDispatch {
    SimTimeUs dispatch_us = 0;
    std::uint64_t event = 0;
    std::size_t record = 0;
    NodeId balancer = kNoNode;
    NodeId server = kNoNode;
  };
  void end_event();
  void on_send(const TraceRecord& r, std::size_t index);
  void on_arrival(const TraceRecord& r, std::size_t index, bool delivered);
  void on_lb_note(const TraceRecord& r, std::size_t index);
  void close_message_trace(std::map<std::uint64_t, MessageTrace>::iterator it, bool complete);
  std::string name_of(NodeId node) const;
  bool is_client(NodeId node) const;

  RequestTracingSetup setup_;
  std::uint64_t event_ = 0;
  SimTimeUs last_time_us_ = 0;
  std::size_t last_index_ = 0;
  bool seen_any_ = false;
  // The current event: the traced message being handled (and by whom), the client root opened.
  bool handling_active_ = false;
  NodeId handling_node_ = kNoNode;
  InFlight handling_span_;
  std::uint64_t client_root_key_ = 0;  // 0: none this event
  std::vector<std::uint64_t> touched_;  // message traces whose pending count reached 0 this event
  std::map<std::uint64_t, MessageTrace> message_traces_;  // open, by key
  std::map<std::uint64_t, InFlight> in_flight_;           // traced messages on the wire, by msg id
  std::map<std::uint64_t, LbDispatch> lb_requests_;       // dispatched balancer requests, by request id
  std::vector<RequestTrace> completed_;
};

// Every trace of a log, completed ones in completion order, then (with include_open) open ones.
std::vector<RequestTrace> derive_request_traces(const TraceLog& log, const RequestTracingSetup& setup,
                                                bool include_open = true);
// The same trace again from the log (re-derived from its first record on; the ids are the same
// because they are hashes, not draws). Returns a trace with no spans if the log no longer has it.
RequestTrace rederive_request_trace(const TraceLog& log, const RequestTracingSetup& setup, TraceOrigin origin,
                                    std::uint64_t key, std::size_t first_record);
// Every span of the traces, for chrome_trace_json.
std::vector<Span> spans_of(const std::vector<RequestTrace>& traces, std::size_t max_spans = SIZE_MAX);

// A run's traces for `dsplay run --export-trace`: fed the records as they are produced, keeps the
// traces' spans up to max_spans (later traces are counted, not kept), writes Chrome Trace JSON with
// node names as process names and parent links in every span's args.
class RequestTraceCollector {
 public:
  explicit RequestTraceCollector(RequestTracingSetup setup, std::size_t max_spans = 200'000);
  void observe(const TraceLog& records);  // the records produced since the last call, in order
  std::string chrome_trace_json();        // ends the run (open traces are included, marked open)
  std::size_t traces_kept() const { return traces_.size(); }
  std::size_t traces_dropped() const { return dropped_; }

 private:
  void keep(std::vector<RequestTrace> traces);
  RequestTracer tracer_;
  std::size_t max_spans_;
  std::size_t records_seen_ = 0;
  std::size_t spans_ = 0;
  std::size_t dropped_ = 0;
  bool finished_ = false;
  std::vector<RequestTrace> traces_;
};

}  // namespace dsplay::monitor
