// The lesson player in the ImGui front end, driven headless: every built-in lesson is playable
// from its first step to "Lesson complete" the way a learner (or a lecturer with a clicker) plays
// it: answer each question, press "Show me" for each gate, go on. Progress saved in the
// settings resumes the same run after a restart; a share link opens the identical run (same trace
// hash); presentation mode draws; a broken lesson file shows its error and keeps the session.
#include <imgui.h>

#include <catch2/catch.hpp>
#include <map>

#include "ui/app.hpp"
#include "ui/app_core.hpp"
#include "tests/ui_test_support.hpp"

namespace dsplay::ui {
namespace {

// Settings and the URL fragment kept in memory, like localStorage and location.hash.
class MemoryPlatform final : public Platform {
 public:
  const char* name() const override { return "web"; }
  std::string load_setting(const std::string& key) override { return settings.count(key) ? settings[key] : std::string(); }
  void store_setting(const std::string& key, const std::string& value) override { settings[key] = value; }
  std::string url_fragment() override { return fragment; }
  void set_url_fragment(const std::string& f) override { fragment = f; }
  std::map<std::string, std::string> settings;
  std::string fragment;
};

void act(AppCore& app, UiAction action) {
  UiCommands commands;
  commands.act(std::move(action));
  app.apply(commands);
}

CourseAction course(CourseAction::Op op, int index = 0, double value = 0) { return CourseAction{op, {}, index, value}; }

// Plays the open lesson to the end as a learner who answers right and uses "Show me".
void play_to_the_end(HeadlessImGui& imgui, AppCore& app) {
  const LessonPlayer& player = app.lesson_player();
  REQUIRE(player.active());
  const Lesson& lesson = *player.lesson();
  for (int guard = 0; guard < 200 && !player.finished(); ++guard) {
    const std::size_t index = player.step();
    INFO("step " << index + 1 << ": " << lesson.steps[index].title);
    const LessonStep& step = lesson.steps[index];
    if (step.question && !player.progress()[index].answered) {
      const Question& q = *step.question;
      if (q.kind == Question::Kind::choice) act(app, course(CourseAction::Op::answer_choice, static_cast<int>(q.correct)));
      else act(app, course(CourseAction::Op::answer_number, 0, q.answer));
      CHECK(player.progress()[index].correct);
    }
    if (step.gate && !player.progress()[index].gate_met) {
      act(app, course(CourseAction::Op::show_me));
      for (int f = 0; f < 3000 && !player.progress()[index].gate_met; ++f) {
        act(app, SetSpeed{200.0});
        imgui.frame(app);
      }
      REQUIRE(player.progress()[index].gate_met);
    }
    imgui.frame(app);
    REQUIRE(player.can_go_next());
    act(app, course(CourseAction::Op::next));
    imgui.frame(app);
    if (!player.finished()) CHECK(player.step() == index + 1);
  }
  CHECK(player.finished());
}

}  // namespace

TEST_CASE("Lesson UI: every built-in lesson plays to the end with its answers and Show me", "[lesson][ui]") {
  HeadlessImGui imgui(0.1);
  MemoryPlatform probe_platform;
  AppCore probe(probe_platform, {});
  REQUIRE(probe.lessons().entries().size() >= 5);
  for (const LessonEntry& entry : probe.lessons().entries()) {
    INFO("lesson " << entry.path << " " << entry.error);
    REQUIRE(entry.lesson.has_value());
    MemoryPlatform platform;
    AppOptions options;
    options.lesson_name = entry.lesson->name;
    AppCore app(platform, options);
    REQUIRE(app.lesson_player().active());
    CHECK(app.lesson_player().lesson()->name == entry.lesson->name);
    CHECK(platform.fragment == "lesson=" + entry.lesson->name);
    for (int i = 0; i < 5; ++i) imgui.frame(app);
    play_to_the_end(imgui, app);
  }
}

TEST_CASE("Lesson UI: progress survives a restart, and a share link reopens the identical run", "[lesson][ui][share]") {
  HeadlessImGui imgui(0.1);
  MemoryPlatform platform;
  std::uint64_t hash_before = 0;
  std::string link;
  {
    AppOptions options;
    options.lesson_name = "locks_token_coordinator";
    AppCore app(platform, options);
    for (int i = 0; i < 10; ++i) imgui.frame(app);
    act(app, course(CourseAction::Op::show_me));
    for (int f = 0; f < 2000 && !app.lesson_player().progress()[0].gate_met; ++f) {
      act(app, SetSpeed{50.0});
      imgui.frame(app);
    }
    REQUIRE(app.lesson_player().progress()[0].gate_met);
    act(app, course(CourseAction::Op::next));
    act(app, course(CourseAction::Op::answer_choice, 2));
    UiCommands crash;
    crash.emit(CrashNode{"c2"});  // free play: a command of the learner's own
    app.apply(crash);
    act(app, SetPlaying{false});
    for (int i = 0; i < 40; ++i) imgui.frame(app);  // progress is saved at most every 2 s
    CHECK(app.lesson_player().step() == 1);
    hash_before = app.session().world().trace_hash();

    act(app, course(CourseAction::Op::share_link));
    link = platform.fragment;
    REQUIRE(link.rfind("share=", 0) == 0);
  }
  // A restart (no link in the URL): the lesson resumes at step 2 with the same run.
  platform.fragment.clear();
  {
    AppCore app(platform, {});
    REQUIRE(app.lesson_player().active());
    CHECK(app.lesson_player().step() == 1);
    CHECK(app.lesson_player().progress()[1].answered);
    CHECK(app.session().world().trace_hash() == hash_before);
    imgui.frame(app);
  }
  // The share link, opened elsewhere (fresh settings): the identical run at the same step.
  {
    MemoryPlatform other;
    other.fragment = link;
    AppCore app(other, {});
    REQUIRE(app.lesson_player().active());
    CHECK(app.lesson_player().step() == 1);
    CHECK(app.session().world().trace_hash() == hash_before);
    CHECK(app.ui_state().open_errors.empty());
    // Reset this step: back to where the step began, the learner's crash dropped.
    act(app, course(CourseAction::Op::reset_step));
    CHECK(app.session().current_event() == app.lesson_player().progress()[1].start_event);
    CHECK(app.session().world().nodes()[2].up);
    imgui.frame(app);
  }
  // A damaged link: a one-line error, and the app still runs its default scenario.
  {
    MemoryPlatform other;
    other.fragment = link.substr(0, link.size() / 2) + "x" + link.substr(link.size() / 2 + 1);
    AppCore app(other, {});
    REQUIRE(app.ui_state().open_errors.size() == 1);
    CHECK(app.ui_state().open_errors[0].find("damaged") != std::string::npos);
    CHECK_FALSE(app.lesson_player().active());
    for (int i = 0; i < 5; ++i) imgui.frame(app);
  }
}

TEST_CASE("Lesson UI: presentation mode draws and its keys move on; bad lesson files keep the session", "[lesson][ui]") {
  HeadlessImGui imgui(0.1);
  MemoryPlatform platform;
  AppOptions options;
  options.lesson_name = "hashing_modulo_vs_ring";
  options.presentation = true;
  AppCore app(platform, options);
  REQUIRE(app.lesson_player().presenting());
  for (int i = 0; i < 10; ++i) imgui.frame(app);
  // The clicker's "advance": the first step has a gate and no question, so it shows the solution.
  act(app, course(CourseAction::Op::advance));
  CHECK(app.lesson_player().autopilot());
  act(app, course(CourseAction::Op::toggle_presentation));
  CHECK_FALSE(app.lesson_player().presenting());

  const std::string name_before = app.session().scenario().name;
  const auto event_before = app.session().current_event();
  app.open_scenario_text("broken_lesson.json", R"({"name": "x", "title": "X", "scenario": "ring_vs_mod", "steps": [{"title": "a", "text": "b", "gate": {"kind": "nope"}, "solution": []}]})");
  REQUIRE_FALSE(app.ui_state().open_errors.empty());
  CHECK(app.ui_state().open_errors[0].find("broken_lesson.json: $.steps[0].gate.kind") != std::string::npos);
  CHECK(app.session().scenario().name == name_before);
  CHECK(app.session().current_event() == event_before);
  CHECK(app.lesson_player().active());
  for (int i = 0; i < 5; ++i) imgui.frame(app);

  // A good lesson file opens as a lesson; a scenario file closes it.
  app.open_scenario_text("mine.json", R"({"name": "mine", "title": "Mine", "scenario": "ring_vs_mod", "steps": [{"title": "a", "text": "b"}]})");
  CHECK(app.lesson_player().active());
  CHECK(app.lesson_player().lesson()->name == "mine");
  imgui.frame(app);
  app.open_scenario_text("s.json", R"({"name": "s", "nodes": [{"name": "a"}]})");
  CHECK_FALSE(app.lesson_player().active());
  CHECK(app.session().scenario().name == "s");
  imgui.frame(app);
}

}  // namespace dsplay::ui
