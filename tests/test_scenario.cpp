// Scenario files (docs/SCENARIO_FORMAT.md): strict parsing where every broken file in
// tests/scenarios/bad/ gives its expected error naming the file and the JSON path; defaults as
// documented; scenario_to_json -> parse_scenario gives an equal Scenario for every good file;
// commands round-trip through JSON; scripts apply in time order, ties in file order.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "core/scenario.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;

namespace {

// Each broken file and a substring its first error must contain (file name + JSON path + what).
const std::map<std::string, std::string>& bad_file_expectations() {
  static const std::map<std::string, std::string> expected = {
      {"bad_json.json", "bad_json.json: $: parse error at line 2"},
      {"bad_name.json", "bad_name.json: $.name: bad name \"Hello World\""},
      {"bad_duration.json", "bad_duration.json: $.until: bad duration \"10 parsecs\""},
      {"drift_out_of_range.json", "drift_out_of_range.json: $.nodes[0].drift_ppm: out of range"},
      {"duplicate_node.json", "duplicate_node.json: $.nodes[2].name: duplicate node name \"a\""},
      {"latency_max_below_min.json", "latency_max_below_min.json: $.network.latency.max: must be >= min"},
      {"loss_out_of_range.json", "loss_out_of_range.json: $.network.loss: out of range [0, 1]"},
      {"missing_nodes.json", "missing_nodes.json: $.nodes: missing"},
      {"negative_seed.json", "negative_seed.json: $.seed: expected an integer >= 0"},
      {"not_an_object.json", "not_an_object.json: $: expected an object"},
      {"partition_unknown_node.json", "partition_unknown_node.json: $.script[0].groups[1][0]: unknown node \"zed\""},
      {"points_out_of_range.json", "points_out_of_range.json: $.ring.points_per_node: out of range [1, 1000]"},
      {"tail_percent_out_of_range.json", "tail_percent_out_of_range.json: $.network.latency.tail_percent: out of range [0, 95]"},
      {"unknown_command.json", "unknown_command.json: $.script[0].do: unknown command \"explode\""},
      {"unknown_network_key.json", "unknown_network_key.json: $.network.lossy: unknown key"},
      {"unknown_node_in_script.json", "unknown_node_in_script.json: $.script[1].node: unknown node \"ghost\""},
      {"unknown_param.json", "unknown_param.json: $.script[0].param: unknown parameter \"net.speed\""},
      {"unknown_role.json", "unknown_role.json: $.nodes[2].role: unknown role \"cashe\""},
      {"unknown_reelection_mode.json", "$.token_lock.reelection: unknown mode \"sometimes\" (expected off, naive or fenced)"},
      {"unknown_top_key.json", "unknown_top_key.json: $.nodez: unknown key"},
      {"wrong_type_auto_acquire.json", "wrong_type_auto_acquire.json: $.token_lock.auto_acquire: expected true or false"},
      {"wrong_type_seed.json", "wrong_type_seed.json: $.seed: expected an integer"},
  };
  return expected;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

}  // namespace

TEST_CASE("Scenario parser: every broken file gives its expected error with file name and JSON path", "[scenario]") {
  const auto files = test::json_files_in("tests/scenarios/bad");
  REQUIRE(files.size() >= 10);
  for (const auto& path : files) {
    const std::string name = file_name(path);
    CAPTURE(name);
    const auto it = bad_file_expectations().find(name);
    INFO("add an expected error substring for " << name << " to bad_file_expectations()");
    REQUIRE(it != bad_file_expectations().end());
    const ScenarioParse parsed = parse_scenario(test::read_text_file(path), name);
    const std::string errors = joined(parsed.errors);
    CAPTURE(errors);
    CHECK_FALSE(parsed.scenario.has_value());
    REQUIRE_FALSE(parsed.errors.empty());
    CHECK(errors.find(it->second) != std::string::npos);
    for (const auto& line : parsed.errors) {
      CHECK(line.rfind(name + ": ", 0) == 0);  // every line names the file first
      CHECK(line.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("Scenario parser: every expectation has its broken file", "[scenario]") {
  for (const auto& [name, substring] : bad_file_expectations()) {
    CAPTURE(name);
    CHECK(std::filesystem::exists(test::source_dir() + "/tests/scenarios/bad/" + name));
  }
}

TEST_CASE("Scenario parser: the documented defaults", "[scenario]") {
  const Scenario s = test::scenario_from_text(R"({"name": "tiny", "nodes": [{"name": "a"}]})");
  CHECK(s.name == "tiny");
  CHECK(s.title == "tiny");  // title defaults to name
  CHECK(s.description.empty());
  CHECK(s.config.seed == 1);
  CHECK(s.until_us == 30 * kUsPerS);
  CHECK(s.config.network.latency.kind == LatencyKind::uniform);
  CHECK(s.config.network.latency.min_us == 20 * kUsPerMs);
  CHECK(s.config.network.latency.max_us == 60 * kUsPerMs);
  CHECK(s.config.network.latency.tail_percent == 30);
  CHECK(s.config.network.loss_ppm == 0);
  CHECK(s.config.network.duplicate_ppm == 0);
  CHECK(s.config.network.reorder_ppm == 0);
  CHECK(s.config.network.reorder_window_us == 100 * kUsPerMs);
  REQUIRE(s.config.nodes.size() == 1);
  CHECK(s.config.nodes[0].role == NodeRole::plain);
  CHECK(s.config.nodes[0].clock_skew_us == 0);
  CHECK(s.config.nodes[0].drift_ppm == 0);
  CHECK(s.config.token_lock.hold_us == 400 * kUsPerMs);
  CHECK(s.config.token_lock.think_us == 800 * kUsPerMs);
  CHECK(s.config.token_lock.retry_us == 2 * kUsPerS);
  CHECK(s.config.token_lock.auto_acquire);
  CHECK(s.config.ring.algo == RingAlgo::ring);
  CHECK(s.config.ring.points_per_node == 100);
  CHECK(s.config.ring.key_count == 1000);
  CHECK(s.config.cache.request_interval_us == 250 * kUsPerMs);
  CHECK(s.script.empty());
}

TEST_CASE("Scenario parser: probabilities become ppm rounded to nearest; durations take units or integers", "[scenario]") {
  const Scenario s = test::scenario_from_text(R"({
    "name": "p", "until": 1500000,
    "network": {"loss": 0.01, "duplicate": 0.1234567, "reorder": 1, "reorder_window": "2.5ms",
                "latency": {"kind": "long_tail", "min": "1ms", "max": "1h", "tail_percent": 95}},
    "nodes": [{"name": "a", "clock_skew": "-5ms", "drift_ppm": -100000}, {"name": "b", "drift_ppm": 100000}]
  })");
  CHECK(s.until_us == 1'500'000);
  CHECK(s.config.network.loss_ppm == 10'000);
  CHECK(s.config.network.duplicate_ppm == 123'457);
  CHECK(s.config.network.reorder_ppm == 1'000'000);
  CHECK(s.config.network.reorder_window_us == 2'500);
  CHECK(s.config.network.latency.kind == LatencyKind::long_tail);
  CHECK(s.config.network.latency.max_us == 3'600'000'000ll);
  CHECK(s.config.network.latency.tail_percent == 95);
  CHECK(s.config.nodes[0].clock_skew_us == -5'000);
  CHECK(s.config.nodes[0].drift_ppm == -100'000);
  CHECK(s.config.nodes[1].drift_ppm == 100'000);
}

TEST_CASE("Scenario parser: script nodes may be ones added earlier by the script", "[scenario]") {
  const Scenario s = test::scenario_from_text(R"({
    "name": "late", "nodes": [{"name": "a", "role": "cache"}],
    "script": [{"at": "1s", "do": "add_node", "name": "b", "role": "cache"},
               {"at": "2s", "do": "crash", "node": "b"}]
  })");
  REQUIRE(s.script.size() == 2);
  CHECK(std::get<AddNode>(s.script[0].command) == AddNode{"b", NodeRole::cache});
  CHECK(s.script[1].at_us == 2 * kUsPerS);
}

TEST_CASE("Scenario parser: collects several errors, one line each", "[scenario]") {
  const ScenarioParse parsed = parse_scenario(
      R"({"name": "x", "seed": "s", "network": {"loss": 2}, "nodes": [{"name": "a", "role": "nope"}]})", "multi.json");
  CAPTURE(joined(parsed.errors));
  CHECK(parsed.errors.size() >= 3);
  CHECK_FALSE(parsed.scenario.has_value());
}

TEST_CASE("Scenario: scenario_to_json then parse_scenario gives an equal Scenario (every good file)", "[scenario]") {
  auto files = test::json_files_in("tests/scenarios");
  const auto assets = test::json_files_in("assets/scenarios");
  files.insert(files.end(), assets.begin(), assets.end());
  REQUIRE(files.size() >= 14);
  for (const auto& path : files) {
    CAPTURE(path);
    const Scenario original = test::load_scenario(path);
    const std::string text = scenario_to_json(original);
    const ScenarioParse again = parse_scenario(text, "round_trip.json");
    CAPTURE(text, joined(again.errors));
    REQUIRE(again.errors.empty());
    REQUIRE(again.scenario.has_value());
    CHECK(*again.scenario == original);
    CHECK(scenario_to_json(*again.scenario) == text);  // and the text is stable
  }
}

TEST_CASE("Scenario: built-in scenarios have a title and a description for students", "[scenario]") {
  const auto files = test::json_files_in("assets/scenarios");
  for (const char* required : {"welcome.json", "token_lock.json", "token_coordinator_crash.json", "ring_vs_mod.json",
                               "ring_add_node.json", "partition.json", "pause.json"}) {
    CAPTURE(required);
    CHECK(std::filesystem::exists(test::source_dir() + "/assets/scenarios/" + required));
  }
  for (const auto& path : files) {
    CAPTURE(path);
    const Scenario s = test::load_scenario(path);
    CHECK(s.title != s.name);
    CHECK(s.description.size() > 100);
  }
}

TEST_CASE("Commands: command_to_json then parse_command_json gives the same command (every kind)", "[scenario]") {
  const std::vector<Command> commands = {
      AddNode{"n9", NodeRole::cache},
      AddNode{"t7", NodeRole::token_client},
      RemoveNode{"n1"},
      CrashNode{"coord"},
      RestartNode{"coord"},
      PauseNode{"c1"},
      ResumeNode{"c1"},
      SetClock{"c2", -5 * kUsPerMs, -2500},
      SetClock{"c2", 1'500'001, 100'000},
      CutLink{"a", "b", false},
      CutLink{"a", "b", true},
      HealLink{"b", "a", false},
      Partition{{{"a", "b"}, {"c"}}},
      HealNetwork{},
      ClientOp{"c1", "acquire", 0},
      ClientOp{"r1", "get", 42},
      SetParam{"net.loss_ppm", 10000},
  };
  for (const auto& command : commands) {
    const std::string text = command_to_json(command);
    CAPTURE(text, describe(command));
    std::string error;
    const auto parsed = parse_command_json(text, error);
    CAPTURE(error);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == command);
    CHECK(text.find(std::string("\"") + command_name(command) + "\"") != std::string::npos);
    CHECK_FALSE(describe(command).empty());
  }
}

TEST_CASE("Commands: parse_command_json reports the JSON path of a problem", "[scenario]") {
  std::string error;
  CHECK_FALSE(parse_command_json(R"({"do": "crash"})", error).has_value());
  CHECK(error.find("$") != std::string::npos);
  CHECK(error.find("node") != std::string::npos);
  error.clear();
  CHECK_FALSE(parse_command_json(R"({"do": "fly", "node": "a"})", error).has_value());
  CHECK(error.find("$.do") != std::string::npos);
  error.clear();
  CHECK_FALSE(parse_command_json("{not json", error).has_value());
  CHECK_FALSE(error.empty());
}

TEST_CASE("Scenario: script entries apply in time order, ties in file order", "[scenario]") {
  const Scenario s = test::scenario_from_text(R"({
    "name": "order", "nodes": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
    "script": [{"at": "2s", "do": "crash", "node": "c"},
               {"at": "1s", "do": "crash", "node": "b"},
               {"at": "1s", "do": "crash", "node": "a"},
               {"at": "1s", "do": "restart", "node": "b"}]
  })");
  World world = make_world(s);
  TraceLog log;
  world.run_until(3 * kUsPerS, &log);
  std::vector<std::string> applied;
  for (const auto& r : log) {
    // Command records only (a node's start after a restart is its own "start" record).
    if ((r.kind == TraceKind::crash || r.kind == TraceKind::restart) && std::string(r.label) != "start") {
      applied.push_back(std::string(trace_kind_name(r.kind)) + " " + world.nodes()[r.node].name);
    }
  }
  CHECK(applied == std::vector<std::string>{"crash b", "crash a", "restart b", "crash c"});
}
