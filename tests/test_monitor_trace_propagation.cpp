// Request tracing across the simulator's hops (core/monitor/request_tracing.hpp): for a balancing
// scenario and for lock and Raft scenarios, every request's spans form a tree rooted at the client's
// span, children lie where the claims say, the ids are a function of the seed, and the context
// really travels hop to hop (client -> lock service -> client, client -> Raft leader -> followers).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/monitor/chrome_trace.hpp"
#include "core/monitor/request_tracing.hpp"
#include "core/scenario.hpp"
#include "core/world.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::monitor::RequestTrace;
using dsplay::monitor::Span;
using dsplay::monitor::TraceOrigin;

namespace {

struct Run {
  World world;
  TraceLog log;
  std::vector<RequestTrace> traces;
};

Run run_scenario(const std::string& path, SimTimeUs until_us, std::uint64_t seed = 0) {
  Scenario scenario = test::load_scenario(path);
  if (seed != 0) scenario.config.seed = seed;
  Run run{make_world(scenario), {}, {}};
  run.log = test::run_collect(run.world, until_us);
  run.traces = monitor::derive_request_traces(run.log, monitor::request_tracing_setup(run.world));
  return run;
}

const Span* parent_of(const RequestTrace& t, const Span& s) {
  for (const Span& p : t.spans)
    if (p.span_id == s.parent_span_id) return &p;
  return nullptr;
}

// A message span's parent, which must be in the trace, and the propagation timing claim: messages
// sent while handling a message leave the instant it was delivered; the client's messages leave
// when its operation starts.
const Span& parent_sent_from(const RequestTrace& t, const Span& s) {
  const Span* p = parent_of(t, s);
  REQUIRE(p != nullptr);
  if (p->parent_span_id == 0) CHECK(s.start_us == p->start_us);
  else CHECK(s.start_us == p->start_us + p->duration_us);
  return *p;
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

// Claims common to both kinds: a tree, rooted at the client's span (on the client node), with the
// trace id of the root's traceparent; every span lies within the root span.
void check_common(const World& world, const RequestTrace& t) {
  CAPTURE(t.key, t.outcome);
  const monitor::TraceTreeCheck tree = monitor::check_trace_tree(t.spans);
  INFO((tree.problems.empty() ? std::string() : tree.problems.front()));
  REQUIRE(tree.is_tree);
  const Span& root = t.spans.front();
  CHECK(root.parent_span_id == 0);
  CHECK(tree.root == root.span_id);
  REQUIRE(t.client < world.nodes().size());
  CHECK(root.pid == static_cast<std::int64_t>(t.client));
  CHECK(monitor::parse_traceparent(t.traceparent()).ok());
  CHECK(monitor::parse_traceparent(t.traceparent()).context->trace_id == t.trace_id);
  CHECK(root.start_us == t.start_us);
  CHECK(root.start_us + root.duration_us == t.end_us);
  for (const Span& s : t.spans) {
    CHECK(s.trace_id == t.trace_id);
    CHECK(s.duration_us >= 0);
    CHECK(s.start_us >= t.start_us);
    CHECK(s.start_us + s.duration_us <= t.end_us);
  }
  CHECK(t.spans.size() == t.span_depth.size());
  CHECK(t.spans.size() == t.span_event.size());
}

}  // namespace

TEST_CASE("balancer requests: client -> balancer -> server -> queue wait + service, each a tree", "[monitor][trace][propagation]") {
  const Run run = run_scenario("assets/scenarios/lb_round_robin_slow_server.json", 6 * kUsPerS);
  const auto setup = monitor::request_tracing_setup(run.world);
  std::size_t done = 0, queued = 0, terminal_notes = 0;
  for (const TraceRecord& r : run.log) {
    if (r.kind != TraceKind::note) continue;
    const std::string_view label(r.label);
    if (label == "lb done" || label == "lb drop: queue full" || label == "lb refused: server down" ||
        label == "lb lost: server crashed" || label == "lb no server" || label == "lb balancer down")
      ++terminal_notes;
  }
  std::size_t complete = 0;
  for (const RequestTrace& t : run.traces) {
    REQUIRE(t.origin == TraceOrigin::balancer_request);
    if (!t.complete) continue;
    ++complete;
    check_common(run.world, t);
    CHECK(run.world.nodes()[t.client].role == NodeRole::lb_client);
    // Balancing spans nest: every child lies within its parent.
    for (const Span& s : t.spans) {
      if (s.parent_span_id == 0) continue;
      const Span* p = parent_of(t, s);
      REQUIRE(p != nullptr);
      CHECK(s.start_us >= p->start_us);
      CHECK(s.start_us + s.duration_us <= p->start_us + p->duration_us);
    }
    CHECK(t.spans[1].start_us == t.start_us + setup.lb_client_hop_us);  // the client hop
    CHECK(run.world.nodes()[static_cast<NodeId>(t.spans[1].pid)].role == NodeRole::balancer);
    if (std::string_view(t.outcome) == "lb done") {
      ++done;
      REQUIRE(t.spans.size() == 5);
      const Span& server = t.spans[2];
      const Span& wait = t.spans[3];
      const Span& service = t.spans[4];
      CHECK(run.world.nodes()[static_cast<NodeId>(server.pid)].role == NodeRole::lb_server);
      CHECK(starts_with(server.name, "server "));
      CHECK(wait.name == "queue wait");
      CHECK(service.name == "service");
      CHECK(wait.duration_us + service.duration_us == server.duration_us);  // they tile the server span
      CHECK(wait.start_us + wait.duration_us == service.start_us);
      CHECK(server.start_us - t.spans[1].start_us >= setup.lb_server_hop_us);
      if (wait.duration_us > 0) ++queued;
    }
  }
  CHECK(complete == terminal_notes);  // one trace per request that ended
  CHECK(done > 100);
  CHECK(queued > 0);  // the slow server queues: the waterfall shows where the time went
  // The root span's duration is the latency the sim measured ("lb done" a).
  for (const TraceRecord& r : run.log) {
    if (r.kind != TraceKind::note || std::string_view(r.label) != "lb done") continue;
    const RequestTrace t = monitor::rederive_request_trace(run.log, setup, TraceOrigin::balancer_request, r.msg_id, 0);
    REQUIRE(!t.spans.empty());
    CHECK(t.duration_us() == r.a);
    break;
  }
}

TEST_CASE("balancer requests lost in a crash or refused still end in a well-formed trace", "[monitor][trace][propagation]") {
  const Run run = run_scenario("tests/scenarios/lb_faults.json", 20 * kUsPerS);
  std::size_t failed = 0;
  for (const RequestTrace& t : run.traces) {
    if (!t.complete) continue;
    check_common(run.world, t);
    if (!t.ok) {
      ++failed;
      CHECK(std::string_view(t.outcome) != "lb done");
      CHECK(t.spans.size() <= 3);  // no queue wait / service spans for a request that was not served
    }
  }
  CHECK(failed > 0);
}

TEST_CASE("lock requests: the service's grant is a child of the client's request", "[monitor][trace][propagation]") {
  const Run run = run_scenario("assets/scenarios/token_lock.json", 10 * kUsPerS);
  REQUIRE(!run.traces.empty());
  std::size_t grants_in_request_trace = 0;
  for (const RequestTrace& t : run.traces) {
    check_common(run.world, t);
    CHECK(monitor::is_tracing_client(run.world.nodes()[t.client].role));
    for (const Span& s : t.spans) {
      if (s.parent_span_id == 0) continue;
      const Span& p = parent_sent_from(t, s);
      if (starts_with(s.name, "TokenGrant") && starts_with(p.name, "TokenRequest")) ++grants_in_request_trace;
    }
  }
  CHECK(grants_in_request_trace > 0);
}

TEST_CASE("Raft: client -> leader -> followers (AppendEntries) -> leader -> client in one trace", "[monitor][trace][propagation]") {
  const Run run = run_scenario("assets/scenarios/raft_lock_service.json", 4 * kUsPerS);
  REQUIRE(!run.traces.empty());
  std::size_t append_under_request = 0, replies_after_commit = 0;
  for (const RequestTrace& t : run.traces) {
    check_common(run.world, t);
    CHECK(run.world.nodes()[t.client].role == NodeRole::raft_client);
    bool has_append = false;
    for (const Span& s : t.spans) {
      if (s.parent_span_id == 0) continue;
      const Span& p = parent_sent_from(t, s);
      if (starts_with(s.name, "AppendEntries") && starts_with(p.name, "ClientRequest")) ++append_under_request, has_append = true;
      // The leader answers the client once the entry commits, i.e. while handling a follower's reply.
      if (starts_with(s.name, "ClientReply") && starts_with(p.name, "AppendReply")) ++replies_after_commit;
    }
    if (has_append) CHECK(t.spans.size() >= 3);  // root, the request, AppendEntries
  }
  CHECK(append_under_request > 0);
  CHECK(replies_after_commit > 0);
}

TEST_CASE("trace ids are a function of the seed: same seed same ids, other seed other ids", "[monitor][trace][propagation]") {
  for (const char* path : {"assets/scenarios/lb_round_robin_slow_server.json", "assets/scenarios/raft_lock_service.json"}) {
    CAPTURE(path);
    const Run a = run_scenario(path, 2 * kUsPerS);
    const Run b = run_scenario(path, 2 * kUsPerS);
    const Run c = run_scenario(path, 2 * kUsPerS, 12345);
    REQUIRE(a.traces.size() == b.traces.size());
    REQUIRE(!a.traces.empty());
    for (std::size_t i = 0; i < a.traces.size(); ++i) {
      CHECK(a.traces[i].traceparent() == b.traces[i].traceparent());
      CHECK(a.traces[i].spans == b.traces[i].spans);
    }
    REQUIRE(!c.traces.empty());
    CHECK(a.traces.front().trace_id != c.traces.front().trace_id);
    // Tracing reads the records only: the world's trace hash is what it was without it.
    CHECK(a.world.trace_hash() == b.world.trace_hash());
  }
}

TEST_CASE("re-deriving one trace from its first record gives the same spans", "[monitor][trace][propagation]") {
  const Run run = run_scenario("assets/scenarios/raft_lock_service.json", 3 * kUsPerS);
  const auto setup = monitor::request_tracing_setup(run.world);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < run.traces.size(); i += 7) {
    const RequestTrace& t = run.traces[i];
    const RequestTrace again = monitor::rederive_request_trace(run.log, setup, t.origin, t.key, t.first_record);
    CHECK(again.spans == t.spans);
    CHECK(again.message_ids == t.message_ids);
    ++checked;
  }
  CHECK(checked > 3);
}

TEST_CASE("the event log's trace filter keeps exactly the trace's records", "[monitor][trace][propagation]") {
  const Run run = run_scenario("assets/scenarios/token_lock.json", 5 * kUsPerS);
  REQUIRE(!run.traces.empty());
  const RequestTrace& t = run.traces.front();
  std::size_t sends = 0, arrivals = 0;
  for (const TraceRecord& r : run.log) {
    if (!t.owns_record(r)) continue;
    if (r.kind == TraceKind::send) ++sends;
    else ++arrivals;
  }
  CHECK(sends == t.spans.size() - 1);  // one send per message span
  CHECK(arrivals == t.spans.size() - 1);  // each delivered or dropped once
}

TEST_CASE("propagated spans export as Chrome Trace Event JSON with parent links", "[monitor][trace][propagation]") {
  const Run run = run_scenario("assets/scenarios/raft_lock_service.json", 2 * kUsPerS);
  const std::vector<Span> spans = monitor::spans_of(run.traces);
  REQUIRE(!spans.empty());
  const auto json = nlohmann::json::parse(monitor::chrome_trace_json(spans));
  std::size_t with_parent = 0, complete_events = 0;
  for (const auto& e : json.at("traceEvents")) {
    if (e.at("ph") != "X") continue;
    ++complete_events;
    if (e.at("args").contains("parent_span_id")) ++with_parent;
  }
  CHECK(complete_events == spans.size());
  CHECK(with_parent == spans.size() - run.traces.size());  // all but the roots
}
