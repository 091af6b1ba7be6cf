// Lessons: a scenario plus ordered steps of narration, each optionally with commands it runs, a
// gate (a condition on the world the learner must bring about to go on), a graded question
// (multiple choice, or a number with a tolerance) and a scripted solution the headless player
// (core/lesson_play.hpp, `dsplay lesson run`) uses to prove every step can be done and every
// stated answer is what the simulation shows. The format is documented in docs/LESSONS.md and
// lessons/schema.json; parsing is strict like scenario parsing, with errors
// "file.json: $.steps[3].gate.kind: unknown kind ...". Never throws, never reads files: a lesson
// that names a built-in scenario gets its text through the resolver the caller passes.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario.hpp"
#include "core/session.hpp"

namespace dsplay {

// ------------------------------------------------------------------ conditions (gates, checks)

// A small declarative condition language over a world (docs/LESSONS.md, "Gates").
// Nodes may be named or referenced ("@leader", "@token_holder", resolved at the step's start).
enum class ConditionKind : std::uint8_t {
  all,            // of: every condition holds
  any,            // of: at least one holds
  not_,           // "not": of[0] does not hold
  time_at_least,  // time: simulated time reached
  node_down,      // node: crashed or removed
  node_up,        // node: up (not crashed, not removed)
  node_paused,    // node: paused
  node_exists,    // node: exists and is not removed (e.g. a node the learner must add)
  role_count,     // role + comparison: nodes of that role, not removed (alive: only those up)
  violation,      // what (optional, substring): a checker fired during this step
  stat,           // stat (+ node) + comparison; since_step: the change since the step began
  remap,          // source ring|lb: keys were remapped during this step; min/max_fraction bound the moved fraction
  partitioned,    // between [a, b] (optional): the network separates a from b (any cut or partition without between)
  token_holder,   // node (optional): that client (any client) holds the token
  raft_leader,    // node (optional): a leader is up (that node leads); new_term: in a term above the step start's
  commands,       // do (optional) + comparison: the learner applied such commands during this step
};
const char* condition_kind_name(ConditionKind kind);

struct Comparison {  // every bound given must hold; none given means "at least 1"
  std::optional<double> at_least, at_most, above, below, equals;
  bool operator==(const Comparison&) const = default;
  bool empty() const { return !at_least && !at_most && !above && !below && !equals; }
  bool holds(double value) const;
  std::string describe() const;  // "≥ 3", "< 0.3", "= 1", "in [0.2, 0.3]"
};

struct Condition {
  ConditionKind kind = ConditionKind::all;
  std::string label;  // the author's words for it ("Crash the coordinator"); "" = generated
  std::string node;   // node kinds, stat, token_holder, raft_leader; may be a reference ("@leader")
  std::string peer;   // partitioned
  std::string text;   // violation: what; stat: the stat name; remap: "ring" or "lb"; commands: the "do" word
  NodeRole role = NodeRole::plain;
  SimTimeUs time_us = 0;
  bool since_step = false;  // stat: compare the change since the step began
  bool alive_only = false;  // role_count: count only nodes that are up
  bool new_term = false;    // raft_leader
  std::optional<double> min_fraction, max_fraction;  // remap
  Comparison compare;       // role_count, stat, commands
  std::vector<Condition> of;
  bool operator==(const Condition&) const = default;
};

// What a condition is evaluated against: the world now, the world when the step began (for
// since_step, new_term, violations and remaps "during this step"), and the commands applied since.
struct ConditionContext {
  const World& now;
  const World& step_start;
  const std::vector<LoggedCommand>* commands_since_step = nullptr;  // nullptr: none
};

bool evaluate(const Condition& condition, const ConditionContext& context);

// One line per condition of the tree, depth-first, for the lesson panel's live checklist:
// "Crash the coordinator ✓", "cache.hit_rate is 0.42, needs ≥ 0.9".
struct ConditionLine {
  int depth = 0;
  bool met = false;
  std::string text;
};
std::vector<ConditionLine> condition_status(const Condition& condition, const ConditionContext& context);
// The generated description ("coord is down", "ring.moved_fraction < 0.3 since this step began").
std::string describe(const Condition& condition);

// ------------------------------------------------------------------ actions

// A step's commands and its solution: world commands (scenario command objects) and runs.
struct LessonAction {
  enum class Kind : std::uint8_t {
    command,    // {"do": ...}: applied now (node fields may be references, resolved when applied)
    run_until,  // {"run_until": "35s"}: simulate until this time
    run_for,    // {"run_for": "5s"}: simulate this much longer
    wait,       // {"wait": "20s"} (solutions only): simulate until the step's gate holds, at most this long
    until,      // {"until": {condition}, "max": "10s"}: simulate until the condition holds (since_step counts from the action's start), at most max
  };
  Kind kind = Kind::command;
  Command command;
  SimTimeUs time_us = 0;
  std::vector<Condition> until;  // kind until: one condition (a vector: Condition is defined above, but keeps the type simple to copy)
  bool operator==(const LessonAction&) const = default;
};
// The command with its node references ("@leader") resolved against the world; unresolvable
// references become "" (the world then rejects the command, visibly).
Command resolve_command_refs(const Command& command, const World& world);

// ------------------------------------------------------------------ questions

struct StatRef {
  std::string stat;
  std::string node;
  bool since_step = false;
  double scale = 1.0;  // e.g. 100 to ask for a percentage of a fraction
  bool operator==(const StatRef&) const = default;
};
std::optional<double> measure(const StatRef& ref, const ConditionContext& context, std::string& error);

struct Question {
  enum class Kind : std::uint8_t { choice, numeric };
  enum class Reveal : std::uint8_t { on_answer, after_gate };
  Kind kind = Kind::choice;
  std::string prompt;
  std::vector<std::string> choices;  // choice
  std::uint32_t correct = 0;         // choice: index into choices
  double answer = 0;                 // numeric
  double tolerance = 0;              // numeric: |given - answer| <= tolerance is right
  std::string unit;                  // numeric: shown after the input ("%", "ms", "keys")
  std::string explanation;
  Reveal reveal = Reveal::on_answer;  // after_gate: the verdict and explanation wait for the gate
  std::optional<StatRef> measure;     // numeric: the true value, read after the solution ran
  std::optional<Condition> check;     // choice: holds after the solution when the marked answer is right
  bool operator==(const Question&) const = default;

  bool grade_choice(std::uint32_t choice) const { return kind == Kind::choice && choice == correct; }
  bool grade_number(double value) const;
  std::string answer_text() const;  // "B. The old holder keeps it" / "80 %"
};

// ------------------------------------------------------------------ lessons

enum class HighlightKind : std::uint8_t { node, link, panel, ring_key };
struct Highlight {
  HighlightKind kind = HighlightKind::node;
  std::string a;  // node (may be a reference), link end, panel name
  std::string b;  // link's other end
  std::uint32_t key = 0;  // ring_key: sample key index ("key-17" is 17)
  bool operator==(const Highlight&) const = default;
};
// Panels a highlight may name (the ui's panel ids).
const std::vector<const char*>& lesson_panel_names();

struct LessonStep {
  std::string title;
  std::string text;  // narration: paragraphs split by blank lines, "- " bullets, **emphasis**, `code`
  std::vector<Highlight> highlights;
  std::vector<LessonAction> commands;  // run when the step is entered
  std::optional<bool> play;            // set play / pause when the step is entered
  std::optional<double> speed;         // simulated seconds per wall second, when the step is entered
  std::optional<Condition> gate;
  std::string hint;
  std::optional<Question> question;
  std::vector<LessonAction> solution;  // what the headless player (and "Show me") does
  bool operator==(const LessonStep&) const = default;
};

struct Lesson {
  std::string name;     // id, [a-z0-9_-]+
  std::string title;
  std::string summary;
  std::string section;  // course part: "Load balancing", "Locks", "Consensus", "Monitoring", "Basics"
  int order = 0;        // position in the course (menus sort by it)
  int minutes = 10;     // how long it takes
  std::string scenario_ref;  // the built-in scenario it names ("" when embedded)
  Scenario scenario;
  std::vector<LessonStep> steps;
  bool operator==(const Lesson&) const = default;
};

struct LessonParse {
  std::optional<Lesson> lesson;     // set when errors is empty
  std::vector<std::string> errors;  // "source: $.path: problem", one per line
};

// Gives the JSON text of a built-in scenario by name ("token_coordinator_crash"), or nullopt.
using ScenarioResolver = std::function<std::optional<std::string>(std::string_view name)>;

LessonParse parse_lesson(std::string_view json_text, std::string_view source_name, const ScenarioResolver& resolver);

// What a JSON document is, by its top-level keys: a lesson has "steps", a share file
// "dsplay_share", anything else is taken for a scenario. Broken JSON is a scenario (its parser
// reports the error).
enum class DocumentKind : std::uint8_t { scenario, lesson, share };
DocumentKind detect_document_kind(std::string_view json_text);

// The keys the parser accepts in each kind of object ("lesson", "step", "question_choice",
// "question_numeric", "measure", "highlight", and "condition:<kind>" per condition kind), so a
// test can check that lessons/schema/lesson.schema.json describes exactly the same format.
struct LessonFormatObject {
  std::string object;
  std::vector<std::string> keys;
};
std::vector<LessonFormatObject> lesson_format_keys();

}  // namespace dsplay
