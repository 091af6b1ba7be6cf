// `dsplay lesson run FILE... [--json] [--scenarios DIR]`: plays lessons headless with their
// scripted solutions and reports each step: its commands applied, its gate did not hold at the
// start but holds after the solution, its question's stated answer is what the simulation shows.
// Exit 0 when every step of every lesson passes, 1 when a step fails, 2 on bad input.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/lesson_play.hpp"
#include "core/share.hpp"
#include "tools/cli/cli.hpp"
#include "tools/cli/lesson_files.hpp"

namespace dsplay::cli {

namespace {

using Json = nlohmann::ordered_json;

std::string seconds(SimTimeUs us) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(us % kUsPerS == 0 ? 0 : 2) << static_cast<double>(us) / 1e6 << "s";
  return out.str();
}

Json report_json(const Lesson& lesson, const LessonReport& report) {
  Json steps = Json::array();
  for (const StepReport& s : report.steps) {
    Json step{{"index", s.index + 1}, {"title", s.title}, {"ok", s.ok}, {"start_us", s.start_us}, {"end_us", s.end_us},
              {"commands", s.commands_applied}};
    if (s.has_gate) step["gate_met"] = s.gate_met;
    if (s.has_question) {
      const Question& q = *lesson.steps[s.index].question;
      step["question"] = Json{{"kind", q.kind == Question::Kind::choice ? "choice" : "numeric"}, {"answer", q.answer_text()}};
      if (s.measured) step["question"]["measured"] = std::round(*s.measured * 10000) / 10000;
      if (s.check_holds) step["question"]["check_holds"] = *s.check_holds;
    }
    step["problems"] = s.problems;
    steps.push_back(step);
  }
  return Json{{"lesson", lesson.name},
              {"title", lesson.title},
              {"ok", report.ok},
              {"steps", steps},
              {"events", report.events},
              {"sim_time_us", report.end_us},
              {"trace_hash", hex16(report.trace_hash)}};
}

void print_text(std::ostream& out, const std::string& path, const Lesson& lesson, const LessonReport& report) {
  out << path << ": " << lesson.title << " (" << lesson.steps.size() << " steps, about " << lesson.minutes << " min)\n";
  std::size_t passed = 0;
  for (const StepReport& s : report.steps) {
    passed += s.ok ? 1 : 0;
    out << "  step " << (s.index + 1) << "/" << report.steps.size() << (s.ok ? "  ok    " : "  FAIL  ") << s.title << "  [" << seconds(s.start_us)
        << " -> " << seconds(s.end_us);
    if (s.has_gate) out << ", gate " << (s.gate_met ? "met" : "NOT met");
    if (s.has_question) {
      out << ", question";
      if (s.measured) out << " (measured " << std::round(*s.measured * 1000) / 1000 << ")";
      if (s.check_holds) out << (*s.check_holds ? " (check holds)" : " (check fails)");
    }
    out << "]\n";
    for (const std::string& p : s.problems) out << "        " << p << "\n";
  }
  out << (report.ok ? "ok: " : "FAILED: ") << passed << " of " << report.steps.size() << " steps pass; " << seconds(report.end_us)
      << " simulated, " << report.events << " events, trace " << hex16(report.trace_hash) << "\n";
}

int lesson_run(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--json", nullptr, "print one JSON report per lesson (a JSON array) instead of text"},
      {"--scenarios", "DIR", "where built-in scenarios named by lessons are (default: assets/scenarios next to the lessons folder, then ./assets/scenarios)"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "lesson run", error);
  if (parsed->help) {
    io.out << format_help("dsplay lesson run [options] LESSON.json...",
                          "Plays each lesson headless, step by step, with the scripted solutions in the\n"
                          "lesson file, and reports every step: its commands applied, its gate did not\n"
                          "hold when the step began but holds after the solution, and its question's\n"
                          "stated answer is what the simulation shows (the question's measure or check).\n"
                          "Exit 0 if every step passes, 1 if a step fails, 2 on bad input.",
                          specs);
    return kExitOk;
  }
  if (parsed->positional.empty()) return fail_bad_input(io, "lesson run", "no lesson files given");
  const std::string scenarios = parsed->has("--scenarios") ? parsed->values.at("--scenarios") : std::string();
  const bool as_json = parsed->has("--json");
  Json all = Json::array();
  bool all_ok = true;
  for (const std::string& path : parsed->positional) {
    std::vector<std::string> errors;
    const auto lesson = load_lesson_file(path, scenarios, io, errors);
    if (!lesson) {
      for (const auto& line : errors) io.err << line << "\n";
      return kExitBadInput;
    }
    const LessonReport report = play_lesson(*lesson);
    all_ok = all_ok && report.ok;
    if (as_json) all.push_back(report_json(*lesson, report));
    else print_text(io.out, path, *lesson, report);
  }
  if (as_json) io.out << (all.size() == 1 ? all[0] : all).dump(2) << "\n";
  return all_ok ? kExitOk : kExitViolation;
}

// `dsplay lesson link LESSON.json --step N`: a share link (or file) that opens the lesson at the
// start of step N, the earlier steps played with their solutions: teachers link to a demo that
// starts exactly where they want it.
int lesson_link(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--step", "N", "open at the start of this step (1 = the first; default 1)"},
      {"--base", "URL", "print BASE#share=... (e.g. https://example.org/dsplay/) instead of the bare fragment"},
      {"--file", "OUT", "write a share file (for the desktop app) instead of printing a link"},
      {"--embed", nullptr, "put the whole lesson into the link, for lessons that are not built in"},
      {"--scenarios", "DIR", "where built-in scenarios named by the lesson are"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "lesson link", error);
  if (parsed->help) {
    io.out << format_help("dsplay lesson link [options] LESSON.json",
                          "Prints a share link that opens the lesson at the start of a step, the steps\n"
                          "before it played with their scripted solutions, in the browser or desktop app.\n"
                          "Built-in lessons are named in the link; --embed carries a lesson file whole.",
                          specs);
    return kExitOk;
  }
  if (parsed->positional.size() != 1) return fail_bad_input(io, "lesson link", "expected one lesson file");
  const std::string& path = parsed->positional[0];
  const std::string scenarios = parsed->has("--scenarios") ? parsed->values.at("--scenarios") : std::string();
  std::vector<std::string> errors;
  const auto lesson = load_lesson_file(path, scenarios, io, errors);
  if (!lesson) {
    for (const auto& line : errors) io.err << line << "\n";
    return kExitBadInput;
  }
  const auto step = flag_u64(*parsed, "--step", 1, lesson->steps.size(), error);
  if (!error.empty()) return fail_bad_input(io, "lesson link", error);
  const std::size_t target = static_cast<std::size_t>(step.value_or(1)) - 1;
  Session session(lesson->scenario);
  for (std::size_t i = 0; i <= target; ++i) {
    const LessonStep& s = lesson->steps[i];
    run_actions(session, s.commands, nullptr, nullptr, 0);
    if (i == target) break;
    const World start = session.world();
    run_actions(session, s.solution, s.gate ? &*s.gate : nullptr, &start, session.command_log().size());
  }
  ShareState share = capture_share(session);
  share.title = lesson->title;
  share.step = static_cast<std::int32_t>(target);
  share.step_event = session.current_event();
  if (parsed->has("--embed")) {
    std::string text;
    if (auto bytes = read_file(path, error)) text = *bytes;
    else return fail_bad_input(io, "lesson link", error);
    share.lesson_json = nlohmann::json::parse(text, nullptr, false).dump();
  } else {
    share.lesson = lesson->name;
  }
  if (parsed->has("--file")) {
    const std::string& out_path = parsed->values.at("--file");
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out << share_file_text(share);
    if (!out) return fail_bad_input(io, "lesson link", "--file: cannot write " + out_path);
    return kExitOk;
  }
  const auto link = encode_share_link(share, error);
  if (!link) return fail_bad_input(io, "lesson link", error);
  io.out << (parsed->has("--base") ? parsed->values.at("--base") : std::string()) << "#share=" << *link << "\n";
  return kExitOk;
}

}  // namespace

int lesson_command(const std::vector<std::string>& args, Io& io) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::ostream& out = args.empty() ? io.err : io.out;
    out << "Usage: dsplay lesson run [--json] [--scenarios DIR] LESSON.json...\n"
           "       dsplay lesson link [--step N] [--base URL | --file OUT] [--embed] LESSON.json\n\n"
           "Lessons: a scenario plus steps of narration, gates and graded questions (docs/LESSONS.md).\n"
           "  run    play lessons headless with their scripted solutions and report each step\n"
           "  link   a share link (or file) that opens a lesson at the start of a step\n"
           "Validate lesson files with `dsplay check`.\n";
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "run") return lesson_run(std::vector<std::string>(args.begin() + 1, args.end()), io);
  if (args[0] == "link") return lesson_link(std::vector<std::string>(args.begin() + 1, args.end()), io);
  return fail_bad_input(io, "lesson", args[0] + ": unknown subcommand (expected run or link)");
}

}  // namespace dsplay::cli
