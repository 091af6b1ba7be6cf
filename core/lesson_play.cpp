// The headless lesson player (see lesson_play.hpp).
#include "core/lesson_play.hpp"

#include <cmath>
#include <cstdio>

namespace dsplay {

namespace {
std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}
}  // namespace

std::vector<LoggedCommand> commands_since(const Session& session, std::size_t from) {
  const auto& log = session.command_log();
  if (from >= log.size()) return {};
  return {log.begin() + static_cast<std::ptrdiff_t>(from), log.end()};
}

std::vector<std::string> run_actions(Session& session, const std::vector<LessonAction>& actions, const Condition* gate,
                                     const World* step_start, std::size_t step_log_start) {
  std::vector<std::string> rejected;
  for (const LessonAction& action : actions) {
    switch (action.kind) {
      case LessonAction::Kind::command: {
        const Command command = resolve_command_refs(action.command, session.world());
        const ApplyResult result = session.apply(command);
        if (!result.ok) rejected.push_back(describe(command) + ": " + result.error);
        break;
      }
      case LessonAction::Kind::run_until:
        if (action.time_us > session.world().now_us()) session.run_until(action.time_us);
        break;
      case LessonAction::Kind::run_for: session.run_until(session.world().now_us() + action.time_us); break;
      case LessonAction::Kind::wait:
      case LessonAction::Kind::until: {
        const SimTimeUs deadline = session.world().now_us() + action.time_us;
        const Condition* condition = action.kind == LessonAction::Kind::until ? &action.until.front() : gate;
        if (!condition) {
          session.run_until(deadline);
          break;
        }
        // `wait` judges the gate as the step does; `until` judges "since" from when it began.
        const bool from_step = action.kind == LessonAction::Kind::wait && step_start;
        const World action_start = from_step ? World() : session.world();
        const World& reference = from_step ? *step_start : action_start;
        const std::vector<LoggedCommand> since = commands_since(session, step_log_start);
        // Event by event, so the run stops at the first event after which the condition holds.
        for (;;) {
          const ConditionContext context{session.world(), reference, &since};
          if (evaluate(*condition, context)) break;
          if (!session.step_event(deadline)) {
            session.run_until(deadline);
            break;
          }
        }
        break;
      }
    }
  }
  return rejected;
}

LessonReport play_lesson(const Lesson& lesson) {
  LessonReport report;
  report.lesson = lesson.name;
  Session session(lesson.scenario);
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const LessonStep& step = lesson.steps[i];
    StepReport s;
    s.index = i;
    s.title = step.title;
    const std::size_t log_before = session.command_log().size();
    for (const std::string& line : run_actions(session, step.commands, nullptr, nullptr, 0))
      s.problems.push_back("step command rejected: " + line);
    s.commands_applied = session.command_log().size() - log_before;
    const World start = session.world();
    const std::size_t log_start = session.command_log().size();
    s.start_us = start.now_us();
    s.has_gate = step.gate.has_value();
    if (step.gate) {
      const std::vector<LoggedCommand> none;
      if (evaluate(*step.gate, ConditionContext{session.world(), start, &none}))
        s.problems.push_back("the gate already holds when the step starts: " + describe(*step.gate));
    }
    for (const std::string& line : run_actions(session, step.solution, step.gate ? &*step.gate : nullptr, &start, log_start))
      s.problems.push_back("solution command rejected: " + line);
    s.end_us = session.world().now_us();
    const std::vector<LoggedCommand> since = commands_since(session, log_start);
    const ConditionContext context{session.world(), start, &since};
    if (step.gate) {
      s.gate_met = evaluate(*step.gate, context);
      if (!s.gate_met) {
        std::string detail;
        for (const ConditionLine& line : condition_status(*step.gate, context))
          if (!line.met) detail += (detail.empty() ? "" : "; ") + line.text;
        s.problems.push_back("the gate does not hold after the solution (at " + format_duration(s.end_us) + "): " + detail);
      }
    }
    if (step.question) {
      const Question& q = *step.question;
      s.has_question = true;
      if (q.kind == Question::Kind::numeric && q.measure) {
        std::string error;
        s.measured = measure(*q.measure, context, error);
        if (!s.measured) {
          s.problems.push_back("the question's measure cannot be read: " + error);
        } else if (!q.grade_number(*s.measured)) {
          s.problems.push_back("the stated answer " + number_text(q.answer) + " ± " + number_text(q.tolerance) +
                               " is not what the simulation shows: " + number_text(*s.measured));
        }
      }
      if (q.kind == Question::Kind::choice && q.check) {
        s.check_holds = evaluate(*q.check, context);
        if (!*s.check_holds)
          s.problems.push_back("the question's check does not hold after the solution, so the marked answer (" + q.answer_text() +
                               ") is not what the simulation shows: " + describe(*q.check));
      }
    }
    s.ok = s.problems.empty();
    report.ok = report.ok && s.ok;
    report.steps.push_back(std::move(s));
  }
  report.events = session.world().event_count();
  report.end_us = session.world().now_us();
  report.trace_hash = session.world().trace_hash();
  return report;
}

}  // namespace dsplay
