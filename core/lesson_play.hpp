// The headless lesson player: plays a lesson's steps in order on a Session with their scripted
// solutions and reports, per step, whether its commands applied, its gate was not already met at
// the start but is met after the solution, and its question's stated answer is what the
// simulation shows (the question's measure or check). `dsplay lesson run` prints this report
// and tests/test_lessons.cpp requires every lesson in lessons/ to pass it, natively and in wasm.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/lesson.hpp"
#include "core/session.hpp"

namespace dsplay {

struct StepReport {
  std::size_t index = 0;
  std::string title;
  bool ok = true;
  std::vector<std::string> problems;  // one line each
  SimTimeUs start_us = 0;             // after the step's own commands ran
  SimTimeUs end_us = 0;               // after the solution ran
  std::size_t commands_applied = 0;
  bool has_gate = false;
  bool gate_met = false;              // after the solution
  bool has_question = false;
  std::optional<double> measured;     // numeric question: what the simulation shows
  std::optional<bool> check_holds;    // choice question with a check
};

struct LessonReport {
  std::string lesson;
  bool ok = true;
  std::vector<StepReport> steps;
  std::uint64_t events = 0;
  SimTimeUs end_us = 0;
  std::uint64_t trace_hash = 0;
};

// Runs actions on the session now: commands are applied (references resolved against the
// current world), runs simulate. `wait` simulates event by event until `gate` holds (judged
// against `step_start`, the world when the step began), `until` until its own condition holds
// (its "since_step" counting from when the action began), at most their duration. Returns one
// line per command the world rejected.
std::vector<std::string> run_actions(Session& session, const std::vector<LessonAction>& actions, const Condition* gate,
                                     const World* step_start, std::size_t step_log_start);

// The commands the session applied since index `from` of its command log.
std::vector<LoggedCommand> commands_since(const Session& session, std::size_t from);

LessonReport play_lesson(const Lesson& lesson);

}  // namespace dsplay
