// Lessons (docs/LESSONS.md): every lessons/*.json parses with the apps' strict parser, matches the
// copy embedded in the apps, and plays headless from start to finish with its scripted solutions:
// each step's commands apply, each gate does not hold at the step's start but holds after the
// solution, and each question's stated answer is what the simulation shows. The schema in
// lessons/schema/ describes exactly the keys the parser accepts. Broken lessons give errors that
// name the file and the JSON path. The same tests run in the wasm build.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/lesson.hpp"
#include "core/lesson_play.hpp"
#include "core/world_stats.hpp"
#include "tests/test_support.hpp"
#include "ui/embedded_files.hpp"

using namespace dsplay;

namespace {

std::optional<std::string> embedded_scenario(std::string_view name) {
  const std::string path = "assets/scenarios/" + std::string(name) + ".json";
  if (const EmbeddedFile* file = dsplay_embedded_find(path.c_str())) return std::string(file->text());
  return std::nullopt;
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

LessonParse parse_text(const std::string& text, const std::string& source = "bad.json") { return parse_lesson(text, source, embedded_scenario); }

std::string report_text(const LessonReport& report) {
  std::string out;
  for (const StepReport& s : report.steps) {
    out += "step " + std::to_string(s.index + 1) + " " + (s.ok ? "ok " : "FAIL ") + s.title + "\n";
    for (const std::string& p : s.problems) out += "    " + p + "\n";
  }
  return out;
}

// A minimal valid lesson around one step, for the error tests.
std::string lesson_with_step(const std::string& step_json) {
  return R"({"name": "t", "title": "T", "scenario": "token_lock", "steps": [)" + step_json + "]}";
}

}  // namespace

TEST_CASE("Lessons: the lessons folder holds a course", "[lesson]") {
  const auto files = dsplay::test::json_files_in("lessons");
  CHECK(files.size() >= 5);
}

TEST_CASE("Lessons: every lesson parses, is embedded, and plays with its scripted solutions", "[lesson]") {
  std::set<std::string> names;
  for (const std::string& path : dsplay::test::json_files_in("lessons")) {
    const std::string name = file_name(path);
    CAPTURE(name);
    const std::string text = dsplay::test::read_text_file(path);
    LessonParse parsed = parse_lesson(text, name, embedded_scenario);
    std::string errors;
    for (const auto& e : parsed.errors) errors += e + "\n";
    INFO(errors);
    REQUIRE(parsed.lesson.has_value());
    const Lesson& lesson = *parsed.lesson;
    CHECK(names.insert(lesson.name).second);  // names are unique: share links and progress use them
    CHECK(lesson.minutes >= 5);
    CHECK(lesson.minutes <= 15);
    CHECK_FALSE(lesson.section.empty());

    // The apps read the embedded copy: it must be this file.
    const EmbeddedFile* embedded = dsplay_embedded_find(("lessons/" + name).c_str());
    REQUIRE(embedded != nullptr);
    CHECK(embedded->text() == text);

    const LessonReport report = play_lesson(lesson);
    INFO(report_text(report));
    CHECK(report.ok);
    CHECK(report.steps.size() == lesson.steps.size());
    // Playing is deterministic: twice, the same trace.
    CHECK(play_lesson(lesson).trace_hash == report.trace_hash);
  }
}

TEST_CASE("Lessons: the JSON Schema describes exactly the keys the parser accepts", "[lesson][schema]") {
  const auto schema = nlohmann::json::parse(dsplay::test::read_text_file(dsplay::test::source_dir() + "/lessons/schema/lesson.schema.json"));
  const auto& defs = schema.at("$defs");
  auto keys_of = [](const nlohmann::json& object_schema) {
    std::set<std::string> keys;
    for (const auto& item : object_schema.at("properties").items()) keys.insert(item.key());
    return keys;
  };
  for (const LessonFormatObject& o : lesson_format_keys()) {
    CAPTURE(o.object);
    std::set<std::string> parser(o.keys.begin(), o.keys.end());
    std::set<std::string> described;
    if (o.object == "lesson") described = keys_of(schema);
    else if (o.object.rfind("condition:", 0) == 0) described = keys_of(defs.at("condition_" + o.object.substr(10)));
    else described = keys_of(defs.at(o.object));
    CHECK(parser == described);
  }
  // The kinds enum lists every condition kind.
  std::set<std::string> kinds;
  for (const auto& k : defs.at("condition").at("properties").at("kind").at("enum")) kinds.insert(k.get<std::string>());
  std::set<std::string> parser_kinds;
  for (const LessonFormatObject& o : lesson_format_keys())
    if (o.object.rfind("condition:", 0) == 0) parser_kinds.insert(o.object.substr(10));
  CHECK(kinds == parser_kinds);
  // The stat names enum lists every stat (param.* by pattern).
  std::set<std::string> stats;
  for (const auto& s : defs.at("stat_name").at("anyOf")[0].at("enum")) stats.insert(s.get<std::string>());
  std::set<std::string> world;
  for (const StatInfo& s : world_stat_list())
    if (std::string(s.name) != "param.<name>") world.insert(s.name);
  CHECK(stats == world);
}

TEST_CASE("Lessons: broken lessons give errors naming the file and the JSON path", "[lesson]") {
  const std::map<std::string, std::string> cases = {
      {"{", "bad.json: $: "},
      {R"({"name": "t", "title": "T", "scenario": "no_such_scenario", "steps": [{"title": "a", "text": "b"}]})",
       "bad.json: $.scenario: no built-in scenario named \"no_such_scenario\""},
      {R"({"name": "t", "title": "T", "scenario": "token_lock", "steps": [], "stepz": 1})", "bad.json: $.stepz: unknown key"},
      {lesson_with_step(R"({"title": "a", "text": "b", "gate": {"kind": "node_dwn", "node": "coord"}, "solution": []})"),
       "bad.json: $.steps[0].gate.kind: unknown kind \"node_dwn\""},
      {lesson_with_step(R"({"title": "a", "text": "b", "gate": {"kind": "node_down", "node": "cord"}, "solution": []})"),
       "bad.json: $.steps[0].gate.node: unknown node \"cord\""},
      {lesson_with_step(R"({"title": "a", "text": "b", "gate": {"kind": "node_down", "node": "coord"}})"),
       "bad.json: $.steps[0].solution: missing"},
      {lesson_with_step(R"({"title": "a", "text": "b", "gate": {"kind": "all", "of": [{"kind": "stat", "stat": "cache.hitrate", "at_least": 1}]}, "solution": []})"),
       "bad.json: $.steps[0].gate.of[0].stat: unknown stat \"cache.hitrate\""},
      {lesson_with_step(R"({"title": "a", "text": "b", "question": {"prompt": "p", "choices": ["x", "y"], "answer": 2, "explanation": "e"}})"),
       "bad.json: $.steps[0].question.answer: out of range [0, 1]"},
      {lesson_with_step(R"({"title": "a", "text": "b", "commands": [{"do": "crash", "node": "ghost"}]})"),
       "bad.json: $.steps[0].commands[0].node: unknown node \"ghost\""},
      {lesson_with_step(R"({"title": "a", "text": "b", "commands": [{"do": "explode"}]})"),
       "bad.json: $.steps[0].commands[0].do: unknown command \"explode\""},
      {lesson_with_step(R"({"title": "a", "text": "b", "commands": [{"wait": "1s"}]})"),
       "bad.json: $.steps[0].commands[0].wait: \"wait\" (until the gate holds) is for solutions only"},
      {lesson_with_step(R"({"title": "a", "text": "b", "highlight": [{"panel": "sidebar"}]})"),
       "bad.json: $.steps[0].highlight[0].panel: unknown panel \"sidebar\""},
      {R"({"name": "t", "title": "T", "scenario": {"name": "x", "nodes": [{"name": "a", "role": "cashe"}]}, "steps": [{"title": "a", "text": "b"}]})",
       "bad.json: $.scenario.nodes[0].role: unknown role \"cashe\""},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    const LessonParse parsed = parse_text(text);
    CHECK_FALSE(parsed.lesson.has_value());
    REQUIRE_FALSE(parsed.errors.empty());
    CAPTURE(parsed.errors.front());
    CHECK(parsed.errors.front().find(expected) != std::string::npos);
  }
}

TEST_CASE("Lessons: a file's kind is detected from its content", "[lesson]") {
  CHECK(detect_document_kind(R"({"name": "x", "nodes": []})") == DocumentKind::scenario);
  CHECK(detect_document_kind(R"({"name": "x", "steps": []})") == DocumentKind::lesson);
  CHECK(detect_document_kind(R"({"dsplay_share": 1})") == DocumentKind::share);
  CHECK(detect_document_kind("not json") == DocumentKind::scenario);
}

TEST_CASE("Lessons: conditions read the world and the step's start", "[lesson]") {
  const Scenario scenario = dsplay::test::load_scenario("assets/scenarios/ring_vs_mod.json");
  Session session(scenario);
  session.run_until(5 * kUsPerS);
  const World start = session.world();
  const std::vector<LoggedCommand> none;
  auto holds = [&](const std::string& step_json) {
    const std::string text = R"({"name": "t", "title": "T", "scenario": "ring_vs_mod", "steps": [{"title": "a", "text": "b", "gate": )" +
                             step_json + R"(, "solution": []}]})";
    LessonParse parsed = parse_text(text);
    std::string errors;
    for (const auto& e : parsed.errors) errors += e + "\n";
    INFO(errors);
    REQUIRE(parsed.lesson);
    const std::vector<LoggedCommand> since = commands_since(session, 0);
    return evaluate(*parsed.lesson->steps[0].gate, ConditionContext{session.world(), start, &since});
  };
  CHECK(holds(R"({"kind": "time_at_least", "time": "5s"})"));
  CHECK_FALSE(holds(R"({"kind": "time_at_least", "time": "6s"})"));
  CHECK(holds(R"({"kind": "node_up", "node": "cache-1"})"));
  CHECK_FALSE(holds(R"({"kind": "remap"})"));
  CHECK(holds(R"({"kind": "role_count", "role": "cache", "equals": 4})"));
  session.apply(AddNode{"cache-5", NodeRole::cache});
  // Modulo hashing: going from 4 to 5 servers moves about 4 keys in 5.
  CHECK(holds(R"({"kind": "remap", "above": 0.6})"));
  CHECK_FALSE(holds(R"({"kind": "remap", "below": 0.3})"));
  CHECK(holds(R"({"kind": "commands", "do": "add_node"})"));
  CHECK(holds(R"({"kind": "stat", "stat": "ring.members", "since_step": true, "equals": 1})"));
  CHECK(holds(R"({"kind": "all", "of": [{"kind": "node_exists", "node": "cache-5"}, {"kind": "not", "of": {"kind": "node_down", "node": "cache-5"}}]})"));
  session.apply(CrashNode{"cache-2"});
  CHECK(holds(R"({"kind": "node_down", "node": "cache-2"})"));
  CHECK(holds(R"({"kind": "any", "of": [{"kind": "node_down", "node": "cache-1"}, {"kind": "node_down", "node": "cache-2"}]})"));
}

TEST_CASE("Lessons: every world parameter can be read as a stat (param.<name>)", "[lesson]") {
  // A world with a balancer, so the lb.* parameters exist too. A new parameter added to
  // world_params() without a reader in world_param_value() fails here.
  const Scenario scenario = dsplay::test::load_scenario("assets/scenarios/lb_p2c.json");
  const World world = make_world(scenario);
  for (const ParamInfo& p : world_params()) {
    CAPTURE(p.name);
    CHECK(world_param_value(world, p.name).has_value());
    std::string error;
    CHECK(world_stat(world, std::string("param.") + p.name, "", error).has_value());
  }
}

TEST_CASE("Lessons: every stat reads on a world that has its part", "[lesson]") {
  // One scenario per family; each stat must read on at least one of them (per-node stats on a
  // node of the right kind), so a stat cannot silently break.
  const std::vector<std::pair<std::string, std::string>> worlds = {
      {"assets/scenarios/welcome.json", "alice"},         {"assets/scenarios/ring_vs_mod.json", "cache-1"},
      {"assets/scenarios/lb_p2c.json", "s1"},             {"assets/scenarios/raft_lock_service.json", "s1"},
      {"assets/scenarios/raft_lock_service.json", "c1"},  {"assets/scenarios/ticket_lock_fairness.json", "c1"},
      {"assets/scenarios/queue_lock_herd.json", "c1"},    {"assets/scenarios/redis_fenced_rejects_stale.json", "c1"},
  };
  std::vector<World> built;
  for (const auto& w : worlds) {
    World world = make_world(dsplay::test::load_scenario(w.first));
    world.run_until(3 * kUsPerS);
    built.push_back(std::move(world));
  }
  for (const StatInfo& info : world_stat_list()) {
    if (std::string(info.name) == "param.<name>") continue;
    CAPTURE(info.name);
    bool read = false;
    for (std::size_t i = 0; i < worlds.size() && !read; ++i) {
      std::string error;
      read = world_stat(built[i], info.name, info.per_node ? worlds[i].second : "", error).has_value();
    }
    CHECK(read);
  }
}
