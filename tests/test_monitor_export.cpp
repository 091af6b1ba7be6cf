// Exports: the Prometheus text exposition format (prometheus.io/docs/instrumenting/exposition_formats,
// version 0.0.4) checked byte-for-byte and by a real `promtool check metrics`; CSV per RFC 4180; the
// shortest round-trip number text they both use.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>

#include "core/monitor/number_text.hpp"
#include "core/monitor/prom_text.hpp"
#include "core/monitor/series_csv.hpp"
#include "core/rng.hpp"

using namespace dsplay::monitor;

namespace {

struct CommandResult {
  int status = -1;
  std::string output;
};

bool promtool_available() {
#ifdef __EMSCRIPTEN__
  return false;  // no processes under node
#else
  return std::system("promtool --version >/dev/null 2>&1") == 0;
#endif
}

// Runs `promtool check metrics` on text (stdin), capturing its combined output.
CommandResult promtool_check(const std::string& text) {
  char path[] = "/tmp/dsplay_promtool_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  CommandResult result;
  const std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
    result.status = pclose(pipe);
  }
  std::remove(path);
  return result;
}

PromExposition sample_exposition() {
  PromExposition e;
  PromHistogram latency;  // default buckets
  dsplay::Rng rng(3);
  for (int i = 0; i < 200; ++i) latency.observe(static_cast<double>(rng.between(1'000, 900'000)) * 1e-6);
  CHECK(e.histogram("dsplay_request_duration_seconds", "Request latency seen by clients.", latency,
                    {{"node", "c1"}, {"op", "get"}}));
  CHECK(e.histogram("dsplay_request_duration_seconds", "Request latency seen by clients.", PromHistogram(),
                    {{"node", "c2"}, {"op", "get"}}));
  CHECK(e.counter("dsplay_messages_sent_total", "Messages sent.", 1234, {{"from", "coord"}, {"to", "c\"1\\\n"}}));
  CHECK(e.counter("dsplay_messages_sent_total", "Messages sent.", 5, {{"from", "c1"}, {"to", "coord"}}));
  CHECK(e.gauge("dsplay_queue_length", "Requests waiting, per node.\nSampled at the end of the run.", 3.5));
  CHECK(e.gauge("dsplay_clock_skew_seconds", "Clock offset.", -0.25, {{"node", "n1"}}));
  CHECK(e.errors().empty());
  return e;
}

}  // namespace

TEST_CASE("format_double: shortest text that round-trips; Prometheus spellings of infinities and NaN", "[monitor][export]") {
  CHECK(format_double(0.1) == "0.1");
  CHECK(format_double(2.5) == "2.5");
  CHECK(format_double(10) == "10");
  CHECK(format_double(0.005) == "0.005");
  CHECK(format_double(1e-5) == "1e-05");
  CHECK(format_double(123456789) == "123456789");
  CHECK(format_double(1e21) == "1e+21");
  CHECK(format_double(123e18) == "123000000000000000000");
  CHECK(format_double(0.0001) == "0.0001");
  CHECK(format_double(-2.5e-7) == "-2.5e-07");
  CHECK(format_double(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_double(-0.0) == "-0");
  CHECK(format_double(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_double(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_double(std::nan("")) == "NaN");
  dsplay::Rng rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::uint64_t bits = rng.next_u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    const auto back = parse_double(format_double(v));
    REQUIRE(back.has_value());
    CHECK(*back == v);
  }
}

TEST_CASE("parse_double: strict decimal syntax, exact fast path agrees with strtod", "[monitor][export]") {
  CHECK(parse_double("0") == 0.0);
  CHECK(parse_double("-12.5") == -12.5);
  CHECK(parse_double("+3") == 3.0);
  CHECK(parse_double("5.") == 5.0);
  CHECK(parse_double(".5") == 0.5);
  CHECK(parse_double("1e3") == 1000.0);
  CHECK(parse_double("-1.03989471325e-05") == -1.03989471325e-05);
  CHECK(parse_double("0.20199999999999999") == 0.20199999999999999);
  CHECK(parse_double("12345678901234567890123") == 12345678901234567890123.0);
  for (const char* bad : {"", "-", ".", "e5", "1e", "1e+", "0x10", "inf", "nan", " 1", "1 ", "1,5", "1..2", "1e400"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_double(bad).has_value());
  }
  dsplay::Rng rng(5);
  char text[64];
  for (int i = 0; i < 5000; ++i) {
    const auto mantissa = static_cast<long long>(rng.below(1'000'000'000'000'000ull));
    const int exponent = static_cast<int>(rng.between(-30, 30));
    std::snprintf(text, sizeof text, "%lld.%llde%d", mantissa / 1000, mantissa % 1000, exponent);
    CAPTURE(text);
    REQUIRE(parse_double(text).has_value());
    CHECK(*parse_double(text) == std::strtod(text, nullptr));
  }
}

TEST_CASE("Prometheus exposition: HELP/TYPE once per family, cumulative _bucket{le} then _sum and _count", "[monitor][export]") {
  PromExposition e;
  PromHistogram h({0.1, 0.5});
  h.observe(0.05);
  h.observe(0.3);
  h.observe(2);
  REQUIRE(e.histogram("rpc_seconds", "RPC latency.", h, {{"op", "put"}}));
  REQUIRE(e.counter("rpc_total", "RPCs\\calls\nmade.", 3));
  REQUIRE(e.gauge("temp_celsius", "Temperature.", -1.5, {{"room", "a \"b\" \\c\nd"}}));
  CHECK(e.text() ==
        "# HELP rpc_seconds RPC latency.\n"
        "# TYPE rpc_seconds histogram\n"
        "rpc_seconds_bucket{op=\"put\",le=\"0.1\"} 1\n"
        "rpc_seconds_bucket{op=\"put\",le=\"0.5\"} 2\n"
        "rpc_seconds_bucket{op=\"put\",le=\"+Inf\"} 3\n"
        "rpc_seconds_sum{op=\"put\"} 2.35\n"
        "rpc_seconds_count{op=\"put\"} 3\n"
        "# HELP rpc_total RPCs\\\\calls\\nmade.\n"
        "# TYPE rpc_total counter\n"
        "rpc_total 3\n"
        "# HELP temp_celsius Temperature.\n"
        "# TYPE temp_celsius gauge\n"
        "temp_celsius{room=\"a \\\"b\\\" \\\\c\\nd\"} -1.5\n");
}

TEST_CASE("Prometheus exposition rejects invalid names, type conflicts, reserved and duplicate labels", "[monitor][export]") {
  PromExposition e;
  CHECK_FALSE(e.gauge("1bad", "x", 1));
  CHECK_FALSE(e.gauge("bad-name", "x", 1));
  CHECK_FALSE(e.gauge("ok", "x", 1, {{"__reserved", "v"}}));
  CHECK_FALSE(e.gauge("ok", "x", 1, {{"a", "1"}, {"a", "2"}}));
  CHECK(e.gauge("ok", "x", 1, {{"a", "1"}}));
  CHECK_FALSE(e.gauge("ok", "x", 2, {{"a", "1"}}));  // same series twice
  CHECK_FALSE(e.counter("ok", "x", 1));              // ok is a gauge
  CHECK_FALSE(e.histogram("h", "x", PromHistogram(), {{"le", "1"}}));
  CHECK(e.histogram("h", "x", PromHistogram()));
  CHECK_FALSE(e.gauge("h_count", "x", 1));           // belongs to histogram h
  CHECK_FALSE(e.histogram("ok_sum", "x", PromHistogram()));
  CHECK(e.errors().size() == 9);
  CHECK(prom_valid_metric_name("a:b_c9"));
  CHECK_FALSE(prom_valid_label_name("a:b"));
}

TEST_CASE("Prometheus exposition passes `promtool check metrics` (Debian package prometheus)", "[monitor][export][promtool]") {
  if (!promtool_available()) {
    WARN("SKIPPED: promtool not found (apt-get install prometheus); the exposition was not checked by promtool");
    return;
  }
  const std::string text = sample_exposition().text();
  const CommandResult result = promtool_check(text);
  INFO(text);
  INFO(result.output);
  CHECK(result.status == 0);
  CHECK(result.output.empty());
  // The check has teeth: promtool's lint rejects a counter without the _total suffix.
  PromExposition bad;
  REQUIRE(bad.counter("dsplay_requests", "Requests.", 1));
  const CommandResult rejected = promtool_check(bad.text());
  CHECK(rejected.status != 0);
  CHECK(rejected.output.find("_total") != std::string::npos);
}

TEST_CASE("series CSV: header, one row per time, empty cells for missing and NaN, RFC 4180 quoting", "[monitor][export]") {
  const std::string csv = series_csv({0, 1'000'000, 2'000'000},
                                     {{"p99_s", {0.25, std::nan(""), 0.125}}, {"rate, \"per s\"", {10, 20}}});
  CHECK(csv == "time_us,p99_s,\"rate, \"\"per s\"\"\"\n"
               "0,0.25,10\n"
               "1000000,,20\n"
               "2000000,0.125,\n");
  DetectorOutput flagged;
  flagged.score = 5;
  flagged.is_anomaly = true;
  flagged.expected = 1;
  flagged.band_low = 0.5;
  flagged.band_high = 1.5;
  CHECK(detector_csv({10, 20}, {1, 9}, {DetectorOutput{}, flagged}) ==
        "time_us,value,expected,band_low,band_high,score,is_anomaly\n"
        "10,1,,,,0,0\n"
        "20,9,1,0.5,1.5,5,1\n");
}
