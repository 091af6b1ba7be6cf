// Tracing: W3C Trace Context `traceparent` (www.w3.org/TR/trace-context/, sections "traceparent
// Header Field Values" and "Versioning of traceparent"), span trees, and the Chrome Trace Event
// format ("Trace Event Format" doc: complete events "ph":"X", ts/dur in microseconds).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/monitor/chrome_trace.hpp"
#include "core/monitor/span.hpp"
#include "core/monitor/trace_context.hpp"
#include "core/rng.hpp"

using namespace dsplay::monitor;

TEST_CASE("traceparent: the W3C examples parse and format back byte-for-byte", "[monitor][trace]") {
  for (const char* header : {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                             "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
                             "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                             "00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-ff",
                             "00-00000000000000000000000000000001-0000000000000001-08"}) {
    CAPTURE(header);
    const TraceparentParse parsed = parse_traceparent(header);
    REQUIRE(parsed.ok());
    CHECK(format_traceparent(*parsed.context) == header);
  }
  const auto ctx = *parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").context;
  CHECK(ctx.trace_id.high == 0x4bf92f3577b34da6ull);
  CHECK(ctx.trace_id.low == 0xa3ce929d0e0e4736ull);
  CHECK(ctx.parent_id == 0x00f067aa0ba902b7ull);
  CHECK(ctx.sampled());
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").context->sampled());
  // Flags are a bit field: 09 is sampled plus an unknown bit, kept for the round trip.
  CHECK(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09").context->sampled());
}

TEST_CASE("traceparent: invalid headers are rejected with a reason", "[monitor][trace]") {
  struct Case {
    const char* header;
    TraceparentError error;
  };
  const Case cases[] = {
      {"00-00000000000000000000000000000000-00f067aa0ba902b7-01", TraceparentError::zero_trace_id},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", TraceparentError::zero_parent_id},
      {"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", TraceparentError::uppercase_hex},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", TraceparentError::uppercase_hex},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A", TraceparentError::uppercase_hex},
      {"0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", TraceparentError::uppercase_hex},
      {"00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", TraceparentError::too_short},      // 31-digit trace id
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", TraceparentError::wrong_length}, // v00 is exactly 55
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011", TraceparentError::wrong_length},
      {"00-4bf92f3577b34da6a3ce929d0e0e47366-0f067aa0ba902b7-01", TraceparentError::missing_dash},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01", TraceparentError::missing_dash},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902g7-01", TraceparentError::bad_hex},
      {"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", TraceparentError::version_ff},
      {"0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", TraceparentError::bad_version},
      {"00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", TraceparentError::bad_version},
      {"", TraceparentError::too_short},
      {"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", TraceparentError::bad_future_format},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    const TraceparentParse parsed = parse_traceparent(c.header);
    CHECK(parsed.error == c.error);
    CHECK_FALSE(parsed.context.has_value());
    CHECK(std::string(traceparent_error_text(parsed.error)).size() > 2);
  }
}

TEST_CASE("traceparent: a higher version is parsed for its known fields and re-emitted as 00", "[monitor][trace]") {
  // "Vendors MUST use these fields to construct the new traceparent field according to the highest
  // version of the specification known to the implementation".
  const TraceparentParse parsed = parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
  REQUIRE(parsed.ok());
  CHECK(parsed.context->version == 0xcc);
  CHECK(format_traceparent(*parsed.context) == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  CHECK(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").ok());
}

TEST_CASE("Trace and span IDs come from the seeded Rng: same seed, same IDs, never zero", "[monitor][trace]") {
  dsplay::Rng a(42), b(42), c(43);
  const TraceId ta = new_trace_id(a);
  CHECK(ta == new_trace_id(b));
  CHECK_FALSE(ta == new_trace_id(c));
  CHECK(ta.is_valid());
  CHECK(new_span_id(a) == new_span_id(b));
  // Pinned: xoshiro256** seeded by splitmix64, the same in the browser build.
  dsplay::Rng pinned(42);
  CHECK(to_hex(new_trace_id(pinned)) == "15780b2e0c2ec7166104d9866d113a7e");
  CHECK(span_id_hex(new_span_id(pinned)) == "ae17533239e499a1");
}

namespace {
// client -> frontend -> (cache, db) with a retry to db: a tree of 5 spans.
std::vector<Span> sample_trace(dsplay::Rng& rng) {
  Span client = make_root_span(rng, "GET /item", 1'000, 0);
  client.duration_us = 9'000;
  // The frontend receives the client's traceparent over the (simulated) wire.
  const std::string header = format_traceparent(context_of(client));
  const TraceContext received = *parse_traceparent(header).context;
  Span frontend = make_child_span(rng, received, "handle /item", 1'500, 1);
  frontend.duration_us = 8'000;
  Span cache = make_child_span(rng, frontend, "cache.get", 2'000, 2);
  cache.duration_us = 500;
  Span db1 = make_child_span(rng, frontend, "db.query", 2'600, 3);
  db1.duration_us = 3'000;
  db1.args.emplace_back("attempt", "1");
  Span db2 = make_child_span(rng, frontend, "db.query", 5'700, 3);
  db2.duration_us = 2'000;
  db2.args.emplace_back("attempt", "2");
  return {client, frontend, cache, db1, db2};
}
}  // namespace

TEST_CASE("check_trace_tree: a request's spans form a tree rooted at the client span", "[monitor][trace]") {
  dsplay::Rng rng(1);
  std::vector<Span> spans = sample_trace(rng);
  const TraceTreeCheck ok = check_trace_tree(spans);
  INFO((ok.problems.empty() ? std::string() : ok.problems.front()));
  CHECK(ok.is_tree);
  CHECK(ok.root == spans[0].span_id);

  SECTION("a lost parent") {
    spans[2].parent_span_id = 12345;
    const auto check = check_trace_tree(spans);
    CHECK_FALSE(check.is_tree);
    CHECK(check.problems.front().find("missing parent") != std::string::npos);
  }
  SECTION("two roots") {
    spans[1].parent_span_id = 0;
    CHECK_FALSE(check_trace_tree(spans).is_tree);
  }
  SECTION("a cycle detached from the root") {
    spans[3].parent_span_id = spans[4].span_id;
    spans[4].parent_span_id = spans[3].span_id;
    const auto check = check_trace_tree(spans);
    CHECK_FALSE(check.is_tree);
    CHECK(check.problems.back().find("not reachable") != std::string::npos);
  }
  SECTION("a span of another trace") {
    spans[2].trace_id.low ^= 1;
    CHECK_FALSE(check_trace_tree(spans).is_tree);
  }
  SECTION("duplicate span ids") {
    spans[4].span_id = spans[3].span_id;
    CHECK_FALSE(check_trace_tree(spans).is_tree);
  }
  SECTION("no spans") { CHECK_FALSE(check_trace_tree({}).is_tree); }
}

TEST_CASE("Chrome trace JSON: complete events with ts/dur in us, pid/tid, args; lanes keep slices nested", "[monitor][trace]") {
  dsplay::Rng rng(1);
  std::vector<Span> spans = sample_trace(rng);
  // Two overlapping, non-nested requests on node 1 must not share a lane.
  Span other = make_root_span(rng, "handle /other", 9'000, 1);
  other.duration_us = 2'000;
  spans.push_back(other);
  ChromeTraceOptions options;
  options.process_names = {{0, "client"}, {1, "frontend"}, {2, "cache"}, {3, "db"}};
  const std::string text = chrome_trace_json(spans, options);
  CHECK(text == chrome_trace_json(spans, options));  // deterministic bytes

  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  REQUIRE(doc["traceEvents"].is_array());
  std::size_t complete = 0, metadata = 0;
  for (const auto& event : doc["traceEvents"]) {
    if (event["ph"] == "M") {
      ++metadata;
      CHECK(event["name"] == "process_name");
      continue;
    }
    ++complete;
    CHECK(event["ph"] == "X");
    CHECK(event["ts"].is_number_integer());
    CHECK(event["dur"].is_number_integer());
    CHECK(event["pid"].is_number_integer());
    CHECK(event["tid"].is_number_integer());
    CHECK(event["args"]["trace_id"].get<std::string>().size() == 32);
    CHECK(parse_traceparent(event["args"]["traceparent"].get<std::string>()).ok());
  }
  CHECK(complete == spans.size());
  CHECK(metadata == 4);
  const auto& frontend_event = doc["traceEvents"][5];  // after 4 metadata events: client (ts 1000), then frontend (1500)
  CHECK(frontend_event["name"] == "handle /item");
  CHECK(frontend_event["ts"] == 1500);
  CHECK(frontend_event["dur"] == 8000);
  CHECK(frontend_event["args"]["parent_span_id"] == span_id_hex(spans[0].span_id));

  // Per (pid, tid), slices nest or are disjoint.
  const std::vector<std::int64_t> lanes = assign_span_lanes(spans);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    for (std::size_t j = 0; j < spans.size(); ++j) {
      if (i == j || spans[i].pid != spans[j].pid || lanes[i] != lanes[j]) continue;
      const auto a0 = spans[i].start_us, a1 = a0 + spans[i].duration_us;
      const auto b0 = spans[j].start_us, b1 = b0 + spans[j].duration_us;
      const bool disjoint = a1 <= b0 || b1 <= a0;
      const bool nested = (a0 <= b0 && b1 <= a1) || (b0 <= a0 && a1 <= b1);
      CHECK((disjoint || nested));
    }
  }
  CHECK(lanes.back() != lanes[1]);  // "handle /other" overlaps "handle /item" on node 1 without nesting
}
