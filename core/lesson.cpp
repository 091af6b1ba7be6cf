// Lesson parsing (strict, errors with file and JSON path), the condition language and its
// evaluation, questions and actions (see lesson.hpp and docs/LESSONS.md). Never throws: JSON
// syntax errors come from a SAX pass, every access is type-checked first.
#include "core/lesson.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/world_stats.hpp"
#include "core/overloaded.hpp"

namespace dsplay {
namespace {
using nlohmann::json;

// ------------------------------------------------------------------ JSON reading helpers

using json_reading::parse_json;
using json_reading::Reader;
using json_reading::type_name;

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

constexpr SimTimeUs kDayUs = 24LL * 3600 * kUsPerS;

// The keys each object accepts (lesson_format_keys() exposes them; tests compare them with the schema).
const std::vector<const char*> kLessonKeys = {"$schema", "name", "title", "summary", "section", "order", "minutes", "scenario", "steps"};
const std::vector<const char*> kStepKeys = {"title", "text", "highlight", "commands", "play", "speed", "gate", "hint", "question", "solution"};
const std::vector<const char*> kChoiceKeys = {"prompt", "choices", "answer", "explanation", "reveal", "check"};
const std::vector<const char*> kNumericKeys = {"prompt", "answer", "tolerance", "unit", "explanation", "reveal", "measure"};
const std::vector<const char*> kMeasureKeys = {"stat", "node", "since_step", "scale"};
const std::vector<const char*> kHighlightKeys = {"node", "link", "panel", "ring_key"};

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Node names a lesson may refer to: the scenario's nodes, every node its script or the lesson's
// actions add, and the references.
struct NodeNames {
  std::set<std::string> names;
  bool knows(const std::string& name) const { return names.count(name) != 0 || known_node_ref(name); }
};

void check_node(Reader& r, const NodeNames& nodes, const std::string& path, const std::string& name) {
  if (name.empty()) return;
  if (is_node_ref(name) && !known_node_ref(name)) {
    r.error(path, "unknown reference \"" + name + "\" (expected @leader or @token_holder)");
  } else if (!nodes.knows(name)) {
    r.error(path, "unknown node \"" + name + "\"");
  }
}

// ------------------------------------------------------------------ conditions

struct KindName {
  ConditionKind kind;
  const char* name;
  std::vector<const char*> keys;  // besides kind and label
  bool compare;                   // takes at_least, at_most, above, below, equals
};
const KindName kKinds[] = {
    {ConditionKind::all, "all", {"of"}, false},
    {ConditionKind::any, "any", {"of"}, false},
    {ConditionKind::not_, "not", {"of"}, false},
    {ConditionKind::time_at_least, "time_at_least", {"time"}, false},
    {ConditionKind::node_down, "node_down", {"node"}, false},
    {ConditionKind::node_up, "node_up", {"node"}, false},
    {ConditionKind::node_paused, "node_paused", {"node"}, false},
    {ConditionKind::node_exists, "node_exists", {"node"}, false},
    {ConditionKind::role_count, "role_count", {"role", "alive"}, true},
    {ConditionKind::violation, "violation", {"what", "since_step"}, false},
    {ConditionKind::stat, "stat", {"stat", "node", "since_step"}, true},
    {ConditionKind::remap, "remap", {"source"}, true},
    {ConditionKind::partitioned, "partitioned", {"between"}, false},
    {ConditionKind::token_holder, "token_holder", {"node"}, false},
    {ConditionKind::raft_leader, "raft_leader", {"node", "new_term"}, false},
    {ConditionKind::commands, "commands", {"do"}, true},
};

std::string kind_list() {
  std::string out;
  for (const KindName& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

std::string role_list() {
  std::string out;
  for (int i = 0; i < node_role_count(); ++i) out += (i ? ", " : "") + std::string(node_role_name(static_cast<NodeRole>(i)));
  return out;
}

void read_comparison(Reader& r, const json& j, const std::string& path, Comparison& c) {
  double v = 0;
  if (r.number(j, "at_least", path, v)) c.at_least = v;
  if (r.number(j, "at_most", path, v)) c.at_most = v;
  if (r.number(j, "above", path, v)) c.above = v;
  if (r.number(j, "below", path, v)) c.below = v;
  if (r.number(j, "equals", path, v)) c.equals = v;
}

constexpr const char* kCompareKeys[] = {"at_least", "at_most", "above", "below", "equals"};

std::optional<Condition> read_condition(Reader& r, const json& j, const std::string& path, const NodeNames& nodes, int depth) {
  if (!j.is_object()) {
    r.error(path, "expected a condition object, got " + type_name(j));
    return std::nullopt;
  }
  if (depth > 16) {
    r.error(path, "conditions nest too deep (at most 16 levels)");
    return std::nullopt;
  }
  const std::size_t errors_before = r.error_count();
  std::string kind_text;
  if (!r.string(j, "kind", path, kind_text, true)) return std::nullopt;
  const auto* found = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const KindName& k) { return kind_text == k.name; });
  if (found == std::end(kKinds)) {
    r.error(path + ".kind", "unknown kind \"" + kind_text + "\" (expected one of: " + kind_list() + ")");
    return std::nullopt;
  }
  Condition c;
  c.kind = found->kind;
  c.since_step = c.kind == ConditionKind::violation;  // "during this step" unless told otherwise
  {
    std::vector<const char*> allowed = {"kind", "label"};
    allowed.insert(allowed.end(), found->keys.begin(), found->keys.end());
    if (found->compare) allowed.insert(allowed.end(), std::begin(kCompareKeys), std::end(kCompareKeys));
    for (const auto& item : j.items()) {
      if (std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return item.key() == k; })) continue;
      std::string expected;
      for (const char* k : allowed) expected += (expected.empty() ? "" : ", ") + std::string(k);
      r.error(path + "." + item.key(), "unknown key for kind " + kind_text + " (expected one of: " + expected + ")");
    }
  }
  auto node_field = [&](bool required) {
    if (r.string(j, "node", path, c.node, required)) check_node(r, nodes, path + ".node", c.node);
  };
  r.string(j, "label", path, c.label);
  switch (c.kind) {
    case ConditionKind::all:
    case ConditionKind::any:
    case ConditionKind::not_: {
      const json* of = r.field(j, "of", path, true);
      if (!of) break;
      if (c.kind == ConditionKind::not_) {
        if (auto inner = read_condition(r, *of, path + ".of", nodes, depth + 1)) c.of.push_back(std::move(*inner));
      } else if (!of->is_array() || of->empty()) {
        r.error(path + ".of", "expected a non-empty array of conditions");
      } else {
        for (std::size_t i = 0; i < of->size(); ++i)
          if (auto inner = read_condition(r, (*of)[i], path + ".of[" + std::to_string(i) + "]", nodes, depth + 1)) c.of.push_back(std::move(*inner));
      }
      break;
    }
    case ConditionKind::time_at_least:
      r.duration(j, "time", path, 0, kDayUs, c.time_us, true);
      break;
    case ConditionKind::node_down:
    case ConditionKind::node_up:
    case ConditionKind::node_paused:
    case ConditionKind::node_exists:
      node_field(true);
      break;
    case ConditionKind::role_count: {
      std::string role;
      if (r.string(j, "role", path, role, true) && !parse_node_role(role, c.role))
        r.error(path + ".role", "unknown role \"" + role + "\" (expected one of: " + role_list() + ")");
      r.boolean(j, "alive", path, c.alive_only);
      read_comparison(r, j, path, c.compare);
      if (c.compare.empty()) r.error(path, "role_count needs a bound (at_least, at_most, above, below or equals)");
      break;
    }
    case ConditionKind::violation:
      r.string(j, "what", path, c.text);
      r.boolean(j, "since_step", path, c.since_step);
      break;
    case ConditionKind::stat: {
      if (r.string(j, "stat", path, c.text, true)) {
        const StatInfo* info = find_world_stat(c.text);
        if (!info) r.error(path + ".stat", "unknown stat \"" + c.text + "\" (see docs/LESSONS.md for the list)");
        else if (info->per_node && !j.contains("node")) r.error(path + ".node", "missing: " + c.text + " is a per-node stat");
        else if (!info->per_node && j.contains("node")) r.error(path + ".node", c.text + " is not a per-node stat");
      }
      node_field(false);
      r.boolean(j, "since_step", path, c.since_step);
      read_comparison(r, j, path, c.compare);
      if (c.compare.empty()) r.error(path, "stat needs a bound (at_least, at_most, above, below or equals)");
      break;
    }
    case ConditionKind::remap:
      c.text = "ring";
      if (r.string(j, "source", path, c.text) && c.text != "ring" && c.text != "lb")
        r.error(path + ".source", "unknown source \"" + c.text + "\" (expected ring or lb)");
      read_comparison(r, j, path, c.compare);
      break;
    case ConditionKind::partitioned: {
      if (const json* between = r.field(j, "between", path, false)) {
        if (!between->is_array() || between->size() != 2 || !(*between)[0].is_string() || !(*between)[1].is_string()) {
          r.error(path + ".between", "expected two node names, e.g. [\"coord\", \"c2\"]");
        } else {
          c.node = (*between)[0].get<std::string>();
          c.peer = (*between)[1].get<std::string>();
          check_node(r, nodes, path + ".between[0]", c.node);
          check_node(r, nodes, path + ".between[1]", c.peer);
        }
      }
      break;
    }
    case ConditionKind::token_holder:
      node_field(false);
      break;
    case ConditionKind::raft_leader:
      node_field(false);
      r.boolean(j, "new_term", path, c.new_term);
      break;
    case ConditionKind::commands:
      r.string(j, "do", path, c.text);
      read_comparison(r, j, path, c.compare);
      break;
  }
  if (r.error_count() != errors_before) return std::nullopt;
  return c;
}

// ------------------------------------------------------------------ actions

// Collects the names add_node commands introduce, so later references to them are known.
void note_added_nodes(const json& list, NodeNames& nodes) {
  if (!list.is_array()) return;
  for (const json& a : list) {
    if (a.is_object() && a.contains("do") && a["do"] == "add_node" && a.contains("name") && a["name"].is_string())
      nodes.names.insert(a["name"].get<std::string>());
  }
}

std::vector<LessonAction> read_actions(Reader& r, const json* list, const std::string& path, const NodeNames& nodes, bool allow_wait) {
  std::vector<LessonAction> out;
  if (!list) return out;
  if (!list->is_array()) {
    r.error(path, "expected an array of commands and runs, got " + type_name(*list));
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string ap = path + "[" + std::to_string(i) + "]";
    const json& a = (*list)[i];
    if (!a.is_object()) {
      r.error(ap, "expected a command ({\"do\": ...}) or a run ({\"run_for\": ...}), got " + type_name(a));
      continue;
    }
    LessonAction action;
    if (a.contains("do")) {
      std::string error;
      auto command = parse_command_json(a.dump(), error);
      if (!command) {
        // parse_command_json reports "$.key: problem" relative to the command object.
        if (error.rfind("$", 0) == 0) r.error(ap + error.substr(1, error.find(':') - 1), error.substr(error.find(':') + 2));
        else r.error(ap, error);
        continue;
      }
      for (const char* key : {"node", "from", "to"}) {
        if (a.contains(key) && a[key].is_string()) check_node(r, nodes, ap + "." + key, a[key].get<std::string>());
      }
      if (a.contains("groups") && a["groups"].is_array()) {
        for (std::size_t g = 0; g < a["groups"].size(); ++g) {
          const json& group = a["groups"][g];
          if (!group.is_array()) continue;
          for (std::size_t n = 0; n < group.size(); ++n)
            if (group[n].is_string())
              check_node(r, nodes, ap + ".groups[" + std::to_string(g) + "][" + std::to_string(n) + "]", group[n].get<std::string>());
        }
      }
      action.kind = LessonAction::Kind::command;
      action.command = *command;
    } else if (a.contains("run_until")) {
      if (!r.object(a, ap, {"run_until"})) continue;
      action.kind = LessonAction::Kind::run_until;
      if (!r.duration(a, "run_until", ap, 0, kDayUs, action.time_us, true)) continue;
    } else if (a.contains("run_for")) {
      if (!r.object(a, ap, {"run_for"})) continue;
      action.kind = LessonAction::Kind::run_for;
      if (!r.duration(a, "run_for", ap, 0, kDayUs, action.time_us, true)) continue;
    } else if (a.contains("until")) {
      if (!r.object(a, ap, {"until", "max"})) continue;
      action.kind = LessonAction::Kind::until;
      auto condition = read_condition(r, a["until"], ap + ".until", nodes, 0);
      if (!r.duration(a, "max", ap, 1, kDayUs, action.time_us, true) || !condition) continue;
      action.until.push_back(std::move(*condition));
    } else if (a.contains("wait")) {
      if (!r.object(a, ap, {"wait"})) continue;
      if (!allow_wait) {
        r.error(ap + ".wait", "\"wait\" (until the gate holds) is for solutions only; use run_for or run_until here");
        continue;
      }
      action.kind = LessonAction::Kind::wait;
      if (!r.duration(a, "wait", ap, 1, kDayUs, action.time_us, true)) continue;
    } else {
      r.error(ap, "expected \"do\" (a command), \"run_until\", \"run_for\", \"until\" or \"wait\"");
      continue;
    }
    out.push_back(std::move(action));
  }
  return out;
}

// ------------------------------------------------------------------ questions

std::optional<StatRef> read_stat_ref(Reader& r, const json& j, const std::string& path, const NodeNames& nodes) {
  if (!r.object(j, path, kMeasureKeys)) return std::nullopt;
  const std::size_t before = r.error_count();
  StatRef ref;
  if (r.string(j, "stat", path, ref.stat, true)) {
    const StatInfo* info = find_world_stat(ref.stat);
    if (!info) r.error(path + ".stat", "unknown stat \"" + ref.stat + "\" (see docs/LESSONS.md for the list)");
    else if (info->per_node && !j.contains("node")) r.error(path + ".node", "missing: " + ref.stat + " is a per-node stat");
    else if (!info->per_node && j.contains("node")) r.error(path + ".node", ref.stat + " is not a per-node stat");
  }
  if (r.string(j, "node", path, ref.node)) check_node(r, nodes, path + ".node", ref.node);
  r.boolean(j, "since_step", path, ref.since_step);
  if (r.number(j, "scale", path, ref.scale) && ref.scale == 0) r.error(path + ".scale", "must not be 0");
  if (r.error_count() != before) return std::nullopt;
  return ref;
}

std::optional<Question> read_question(Reader& r, const json& j, const std::string& path, const NodeNames& nodes, bool has_gate) {
  const bool choice = j.is_object() && j.contains("choices");
  if (choice) {
    if (!r.object(j, path, kChoiceKeys)) return std::nullopt;
  } else if (!r.object(j, path, kNumericKeys)) {
    return std::nullopt;
  }
  const std::size_t before = r.error_count();
  Question q;
  q.kind = choice ? Question::Kind::choice : Question::Kind::numeric;
  r.text(j, "prompt", path, q.prompt, true);
  r.text(j, "explanation", path, q.explanation, true);
  std::string reveal;
  q.reveal = has_gate ? Question::Reveal::after_gate : Question::Reveal::on_answer;
  if (r.string(j, "reveal", path, reveal)) {
    if (reveal == "on_answer") q.reveal = Question::Reveal::on_answer;
    else if (reveal == "after_gate") q.reveal = Question::Reveal::after_gate;
    else r.error(path + ".reveal", "unknown value \"" + reveal + "\" (expected on_answer or after_gate)");
    if (q.reveal == Question::Reveal::after_gate && !has_gate) r.error(path + ".reveal", "after_gate needs a gate in this step");
  }
  if (choice) {
    const json& list = j["choices"];
    if (!list.is_array() || list.size() < 2 || list.size() > 8) {
      r.error(path + ".choices", "expected 2 to 8 choices (strings)");
    } else {
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string() || list[i].get<std::string>().empty()) r.error(path + ".choices[" + std::to_string(i) + "]", "expected a non-empty string");
        else q.choices.push_back(list[i].get<std::string>());
      }
      std::int64_t answer = 0;
      if (r.integer(j, "answer", path, 0, static_cast<std::int64_t>(list.size()) - 1, answer, true)) q.correct = static_cast<std::uint32_t>(answer);
    }
    if (const json* check = r.field(j, "check", path, false)) q.check = read_condition(r, *check, path + ".check", nodes, 0);
  } else {
    r.number(j, "answer", path, q.answer, true);
    if (r.number(j, "tolerance", path, q.tolerance) && q.tolerance < 0) r.error(path + ".tolerance", "must be >= 0");
    r.string(j, "unit", path, q.unit);
    if (const json* m = r.field(j, "measure", path, false)) q.measure = read_stat_ref(r, *m, path + ".measure", nodes);
  }
  if (r.error_count() != before) return std::nullopt;
  return q;
}

std::vector<Highlight> read_highlights(Reader& r, const json* list, const std::string& path, const NodeNames& nodes) {
  std::vector<Highlight> out;
  if (!list) return out;
  if (!list->is_array()) {
    r.error(path, "expected an array of highlights ({\"node\": ...}, {\"link\": [a, b]}, {\"panel\": ...}, {\"ring_key\": N})");
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string hp = path + "[" + std::to_string(i) + "]";
    const json& h = (*list)[i];
    if (!r.object(h, hp, kHighlightKeys)) continue;
    if (h.size() != 1) {
      r.error(hp, "expected exactly one of node, link, panel, ring_key");
      continue;
    }
    Highlight out_h;
    if (h.contains("node")) {
      out_h.kind = HighlightKind::node;
      if (r.string(h, "node", hp, out_h.a)) check_node(r, nodes, hp + ".node", out_h.a);
    } else if (h.contains("link")) {
      out_h.kind = HighlightKind::link;
      const json& l = h["link"];
      if (!l.is_array() || l.size() != 2 || !l[0].is_string() || !l[1].is_string()) {
        r.error(hp + ".link", "expected two node names");
        continue;
      }
      out_h.a = l[0].get<std::string>();
      out_h.b = l[1].get<std::string>();
      check_node(r, nodes, hp + ".link[0]", out_h.a);
      check_node(r, nodes, hp + ".link[1]", out_h.b);
    } else if (h.contains("panel")) {
      out_h.kind = HighlightKind::panel;
      if (r.string(h, "panel", hp, out_h.a)) {
        const auto& panels = lesson_panel_names();
        if (std::none_of(panels.begin(), panels.end(), [&](const char* p) { return out_h.a == p; })) {
          std::string list_text;
          for (const char* p : panels) list_text += (list_text.empty() ? "" : ", ") + std::string(p);
          r.error(hp + ".panel", "unknown panel \"" + out_h.a + "\" (expected one of: " + list_text + ")");
        }
      }
    } else {
      out_h.kind = HighlightKind::ring_key;
      std::int64_t key = 0;
      if (r.integer(h, "ring_key", hp, 0, 99'999, key)) out_h.key = static_cast<std::uint32_t>(key);
    }
    out.push_back(std::move(out_h));
  }
  return out;
}

// ------------------------------------------------------------------ evaluation helpers

const Node* find_any_node(const World& world, const std::string& name) {
  for (const Node& n : world.nodes())
    if (n.name == name) return &n;  // removed ones too: "is it down?" has an answer for them
  return nullptr;
}

std::string resolve(const ConditionContext& ctx, const std::string& name) {
  return is_node_ref(name) ? resolve_node_ref(ctx.step_start, name) : name;
}

const balance::LbRemap* lb_remap(const World& world) {
  const balance::LoadBalancerSim* sim = world.lb();
  if (!sim || !sim->placement()) return nullptr;
  return &sim->placement()->remap;
}

// The moved fraction of a remap that happened during this step, if one did.
std::optional<double> remap_during_step(const Condition& c, const ConditionContext& ctx) {
  if (c.text == "lb") {
    const balance::LbRemap* now = lb_remap(ctx.now);
    if (!now || now->change.empty() || now->keys == 0) return std::nullopt;
    const balance::LbRemap* start = lb_remap(ctx.step_start);
    if (start && *start == *now) return std::nullopt;
    return static_cast<double>(now->moved) / static_cast<double>(now->keys);
  }
  const RemapReport& now = ctx.now.ring().last_remap();
  if (now.change.empty() || now == ctx.step_start.ring().last_remap()) return std::nullopt;
  return now.moved_fraction;
}

std::size_t matching_commands(const Condition& c, const ConditionContext& ctx) {
  if (!ctx.commands_since_step) return 0;
  std::size_t n = 0;
  for (const LoggedCommand& lc : *ctx.commands_since_step) n += (c.text.empty() || c.text == command_name(lc.command)) ? 1 : 0;
  return n;
}

std::optional<double> stat_value(const Condition& c, const ConditionContext& ctx, std::string& error) {
  const std::string node = resolve(ctx, c.node);
  auto now = world_stat(ctx.now, c.text, node, error);
  if (!now || !c.since_step) return now;
  std::string ignored;
  const auto start = world_stat(ctx.step_start, c.text, node, ignored);
  return *now - start.value_or(0.0);
}

std::string role_plural(NodeRole role) { return std::string(node_role_name(role)) + " nodes"; }

}  // namespace

// ------------------------------------------------------------------ public: conditions

const char* condition_kind_name(ConditionKind kind) {
  for (const KindName& k : kKinds)
    if (k.kind == kind) return k.name;
  return "?";
}

bool Comparison::holds(double value) const {
  if (empty()) return value >= 1;
  if (at_least && !(value >= *at_least)) return false;
  if (at_most && !(value <= *at_most)) return false;
  if (above && !(value > *above)) return false;
  if (below && !(value < *below)) return false;
  if (equals && !(std::fabs(value - *equals) <= 1e-9 * std::max(1.0, std::fabs(*equals)))) return false;
  return true;
}

std::string Comparison::describe() const {
  std::string out;
  auto add = [&](const char* op, const std::optional<double>& v) {
    if (!v) return;
    out += (out.empty() ? "" : " and ") + std::string(op) + " " + number_text(*v);
  };
  add("≥", at_least);
  add("≤", at_most);
  add(">", above);
  add("<", below);
  add("=", equals);
  return out.empty() ? "≥ 1" : out;
}

std::string describe(const Condition& c) {
  if (!c.label.empty()) return c.label;
  switch (c.kind) {
    case ConditionKind::all: return "all of these";
    case ConditionKind::any: return "one of these";
    case ConditionKind::not_: return c.of.empty() ? "not" : "not: " + describe(c.of[0]);
    case ConditionKind::time_at_least: return "the simulation reaches " + format_duration(c.time_us);
    case ConditionKind::node_down: return c.node + " is down";
    case ConditionKind::node_up: return c.node + " is up";
    case ConditionKind::node_paused: return c.node + " is paused";
    case ConditionKind::node_exists: return c.node + " exists";
    case ConditionKind::role_count: return std::string(c.alive_only ? "live " : "") + role_plural(c.role) + " " + c.compare.describe();
    case ConditionKind::violation: return c.text.empty() ? "a checker flags a violation" : "the checker flags \"" + c.text + "\"";
    case ConditionKind::stat:
      return c.text + (c.node.empty() ? "" : " of " + c.node) + (c.since_step ? " (change in this step)" : "") + " " + c.compare.describe();
    case ConditionKind::remap:
      return std::string(c.text == "lb" ? "the balancer remaps keys" : "keys move on the ring") +
             (c.compare.empty() ? "" : ", moved fraction " + c.compare.describe());
    case ConditionKind::partitioned: return c.node.empty() ? "the network is split or a link is cut" : c.node + " cannot reach " + c.peer;
    case ConditionKind::token_holder: return c.node.empty() ? "a client holds the token" : c.node + " holds the token";
    case ConditionKind::raft_leader:
      return std::string(c.node.empty() ? "a Raft leader is up" : c.node + " leads") + (c.new_term ? " in a new term" : "");
    case ConditionKind::commands:
      return "you run " + (c.text.empty() ? std::string("commands") : "\"" + c.text + "\"") + " " + c.compare.describe();
  }
  return "?";
}

bool evaluate(const Condition& c, const ConditionContext& ctx) {
  const World& w = ctx.now;
  switch (c.kind) {
    case ConditionKind::all:
      return std::all_of(c.of.begin(), c.of.end(), [&](const Condition& x) { return evaluate(x, ctx); });
    case ConditionKind::any:
      return std::any_of(c.of.begin(), c.of.end(), [&](const Condition& x) { return evaluate(x, ctx); });
    case ConditionKind::not_: return !c.of.empty() && !evaluate(c.of[0], ctx);
    case ConditionKind::time_at_least: return w.now_us() >= c.time_us;
    case ConditionKind::node_down:
    case ConditionKind::node_up:
    case ConditionKind::node_paused:
    case ConditionKind::node_exists: {
      const std::string name = resolve(ctx, c.node);
      const Node* n = name.empty() ? nullptr : find_any_node(w, name);
      if (c.kind == ConditionKind::node_down) return n && (!n->up || n->removed);
      if (c.kind == ConditionKind::node_up) return n && n->up && !n->removed;
      if (c.kind == ConditionKind::node_paused) return n && n->paused && !n->removed;
      return n && !n->removed;
    }
    case ConditionKind::role_count: {
      double count = 0;
      for (const Node& n : w.nodes()) count += (n.role == c.role && !n.removed && (!c.alive_only || n.up)) ? 1 : 0;
      return c.compare.holds(count);
    }
    case ConditionKind::violation: {
      const auto& all = w.violations();
      const std::size_t from = c.since_step ? std::min(all.size(), ctx.step_start.violations().size()) : 0;
      for (std::size_t i = from; i < all.size(); ++i)
        if (c.text.empty() || std::string_view(all[i].what).find(c.text) != std::string_view::npos) return true;
      return false;
    }
    case ConditionKind::stat: {
      std::string error;
      const auto v = stat_value(c, ctx, error);
      return v && c.compare.holds(*v);
    }
    case ConditionKind::remap: {
      const auto moved = remap_during_step(c, ctx);
      return moved && (c.compare.empty() || c.compare.holds(*moved));
    }
    case ConditionKind::partitioned: {
      const NetworkState& net = w.network();
      if (c.node.empty()) return !net.cuts().empty() || std::any_of(net.groups().begin(), net.groups().end(), [](const auto& g) { return g.second != 0; });
      const auto a = w.find_node(resolve(ctx, c.node));
      const auto b = w.find_node(resolve(ctx, c.peer));
      return a && b && (net.blocked(*a, *b) != DropReason::none || net.blocked(*b, *a) != DropReason::none);
    }
    case ConditionKind::token_holder: {
      const std::string name = resolve(ctx, c.node);
      for (const Node& n : w.nodes()) {
        const auto* client = std::get_if<TokenClient>(&n.process);
        if (client && client->holds() && n.up && !n.removed && (c.node.empty() || n.name == name)) return true;
      }
      return false;
    }
    case ConditionKind::raft_leader: {
      std::uint64_t start_term = 0;
      if (c.new_term) {
        std::string ignored;
        start_term = static_cast<std::uint64_t>(world_stat(ctx.step_start, "raft.term", "", ignored).value_or(0.0));
      }
      const std::string name = resolve(ctx, c.node);
      for (const Node& n : w.nodes()) {
        const auto* r = std::get_if<RaftNode>(&n.process);
        if (!r || !n.up || n.removed || !r->is_leader()) continue;
        if (!c.node.empty() && n.name != name) continue;
        if (c.new_term && r->term() <= start_term) continue;
        return true;
      }
      return false;
    }
    case ConditionKind::commands: return c.compare.holds(static_cast<double>(matching_commands(c, ctx)));
  }
  return false;
}

namespace {
void status_lines(const Condition& c, const ConditionContext& ctx, int depth, std::vector<ConditionLine>& out) {
  ConditionLine line;
  line.depth = depth;
  line.met = evaluate(c, ctx);
  line.text = describe(c);
  // Live numbers make a gate a thing to steer by, not a riddle.
  if (c.kind == ConditionKind::stat) {
    std::string error;
    if (const auto v = stat_value(c, ctx, error)) line.text += " (now " + number_text(*v) + ")";
    else line.text += " (" + error + ")";
  } else if (c.kind == ConditionKind::remap) {
    if (const auto moved = remap_during_step(c, ctx)) line.text += " (moved " + number_text(std::round(*moved * 1000) / 1000) + ")";
  } else if (c.kind == ConditionKind::role_count) {
    double count = 0;
    for (const Node& n : ctx.now.nodes()) count += (n.role == c.role && !n.removed && (!c.alive_only || n.up)) ? 1 : 0;
    line.text += " (now " + number_text(count) + ")";
  } else if (c.kind == ConditionKind::time_at_least) {
    line.text += " (now " + format_duration(ctx.now.now_us() / kUsPerMs * kUsPerMs) + ")";
  } else if (is_node_ref(c.node)) {
    const std::string name = resolve(ctx, c.node);
    line.text += " (" + c.node + " = " + (name.empty() ? std::string("nobody") : name) + ")";
  }
  out.push_back(std::move(line));
  if (c.kind == ConditionKind::all || c.kind == ConditionKind::any) {
    for (const Condition& x : c.of) status_lines(x, ctx, depth + 1, out);
  }
}
}  // namespace

std::vector<ConditionLine> condition_status(const Condition& condition, const ConditionContext& context) {
  std::vector<ConditionLine> out;
  status_lines(condition, context, 0, out);
  return out;
}

// ------------------------------------------------------------------ public: actions, questions

Command resolve_command_refs(const Command& command, const World& world) {
  Command out = command;
  auto fix = [&](std::string& name) {
    if (is_node_ref(name)) name = resolve_node_ref(world, name);
  };
  std::visit(Overloaded{
                 [&](RemoveNode& c) { fix(c.node); },
                 [&](CrashNode& c) { fix(c.node); },
                 [&](RestartNode& c) { fix(c.node); },
                 [&](PauseNode& c) { fix(c.node); },
                 [&](ResumeNode& c) { fix(c.node); },
                 [&](SetClock& c) { fix(c.node); },
                 [&](CutLink& c) { fix(c.from), fix(c.to); },
                 [&](HealLink& c) { fix(c.from), fix(c.to); },
                 [&](Partition& c) {
                   for (auto& group : c.groups)
                     for (auto& name : group) fix(name);
                 },
                 [&](ClientOp& c) { fix(c.node); },
                 [](auto&) {},
             },
             out);
  return out;
}

std::optional<double> measure(const StatRef& ref, const ConditionContext& ctx, std::string& error) {
  const std::string node = resolve(ctx, ref.node);
  auto now = world_stat(ctx.now, ref.stat, node, error);
  if (!now) return std::nullopt;
  double v = *now;
  if (ref.since_step) {
    std::string ignored;
    v -= world_stat(ctx.step_start, ref.stat, node, ignored).value_or(0.0);
  }
  return v * ref.scale;
}

bool Question::grade_number(double value) const {
  return kind == Kind::numeric && std::isfinite(value) && std::fabs(value - answer) <= tolerance + 1e-9 * std::max(1.0, std::fabs(answer));
}

std::string Question::answer_text() const {
  if (kind == Kind::choice) {
    if (correct >= choices.size()) return "?";
    return std::string(1, static_cast<char>('A' + correct)) + ". " + choices[correct];
  }
  return number_text(answer) + (unit.empty() ? "" : " " + unit);
}

const std::vector<const char*>& lesson_panel_names() {
  static const std::vector<const char*> names = {"cluster", "ring", "timeline", "spacetime", "inspector", "event_log", "balancer", "metrics", "monitoring", "raft", "locks", "lesson"};
  return names;
}

// ------------------------------------------------------------------ public: parsing

std::vector<LessonFormatObject> lesson_format_keys() {
  auto strings = [](const std::vector<const char*>& keys) { return std::vector<std::string>(keys.begin(), keys.end()); };
  std::vector<LessonFormatObject> out = {
      {"lesson", strings(kLessonKeys)},     {"step", strings(kStepKeys)},     {"question_choice", strings(kChoiceKeys)},
      {"question_numeric", strings(kNumericKeys)}, {"measure", strings(kMeasureKeys)}, {"highlight", strings(kHighlightKeys)},
  };
  for (const KindName& k : kKinds) {
    LessonFormatObject o{std::string("condition:") + k.name, {"kind", "label"}};
    for (const char* key : k.keys) o.keys.push_back(key);
    if (k.compare)
      for (const char* key : kCompareKeys) o.keys.push_back(key);
    out.push_back(std::move(o));
  }
  return out;
}

DocumentKind detect_document_kind(std::string_view json_text) {
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return DocumentKind::scenario;
  if (doc.contains("dsplay_share")) return DocumentKind::share;
  if (doc.contains("steps")) return DocumentKind::lesson;
  return DocumentKind::scenario;
}

LessonParse parse_lesson(std::string_view json_text, std::string_view source_name, const ScenarioResolver& resolver) {
  LessonParse result;
  Reader r(std::string(source_name), result.errors);
  std::string syntax_error;
  const auto doc = parse_json(json_text, syntax_error);
  if (!doc) {
    r.error("$", syntax_error);
    return result;
  }
  const json& j = *doc;
  if (!r.object(j, "$", kLessonKeys)) return result;
  Lesson lesson;
  if (r.string(j, "name", "$", lesson.name, true) && !valid_name(lesson.name))
    r.error("$.name", "bad name \"" + lesson.name + "\" (lower-case letters, digits, _ and -, at most 64)");
  r.string(j, "title", "$", lesson.title, true);
  r.text(j, "summary", "$", lesson.summary);
  r.string(j, "section", "$", lesson.section);
  std::int64_t v = 0;
  if (r.integer(j, "order", "$", 0, 100000, v)) lesson.order = static_cast<int>(v);
  if (r.integer(j, "minutes", "$", 1, 120, v)) lesson.minutes = static_cast<int>(v);

  // The scenario: a built-in one by name, or a whole scenario object.
  bool have_scenario = false;
  if (const json* s = r.field(j, "scenario", "$", true)) {
    std::string text;
    std::string sub_source = r.source();
    if (s->is_string()) {
      lesson.scenario_ref = s->get<std::string>();
      const auto found = resolver ? resolver(lesson.scenario_ref) : std::nullopt;
      if (!found) {
        r.error("$.scenario", "no built-in scenario named \"" + lesson.scenario_ref + "\" (see assets/scenarios/)");
      } else {
        text = *found;
        sub_source = lesson.scenario_ref + ".json";
      }
    } else if (s->is_object()) {
      text = s->dump();
    } else {
      r.error("$.scenario", "expected a built-in scenario name or a scenario object, got " + type_name(*s));
    }
    if (!text.empty()) {
      ScenarioParse parsed = parse_scenario(text, sub_source);
      if (parsed.scenario) {
        lesson.scenario = std::move(*parsed.scenario);
        have_scenario = true;
      } else if (s->is_object()) {
        // Errors inside the embedded object: "$.nodes[2]" is "$.scenario.nodes[2]" of the lesson.
        const std::string prefix = sub_source.empty() ? std::string("$") : sub_source + ": $";
        for (const std::string& e : parsed.errors) {
          if (e.rfind(prefix, 0) == 0) r.errors().push_back(e.substr(0, prefix.size()) + ".scenario" + e.substr(prefix.size()));
          else r.errors().push_back(e);
        }
      } else {
        for (const std::string& e : parsed.errors) r.error("$.scenario", "the built-in scenario does not parse: " + e);
      }
    }
  }

  NodeNames nodes;
  if (have_scenario) {
    for (const NodeSpec& n : lesson.scenario.config.nodes) nodes.names.insert(n.name);
    for (const TimedCommand& tc : lesson.scenario.script)
      if (const auto* add = std::get_if<AddNode>(&tc.command)) nodes.names.insert(add->name);
  }
  const json* steps = r.field(j, "steps", "$", true);
  if (steps && (!steps->is_array() || steps->empty() || steps->size() > 100)) {
    r.error("$.steps", "expected an array of 1 to 100 steps");
    steps = nullptr;
  }
  if (steps) {
    // Nodes added by any step's commands or solution may be named anywhere in the lesson.
    for (const json& step : *steps) {
      if (!step.is_object()) continue;
      if (step.contains("commands")) note_added_nodes(step["commands"], nodes);
      if (step.contains("solution")) note_added_nodes(step["solution"], nodes);
    }
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const std::string sp = "$.steps[" + std::to_string(i) + "]";
      const json& sj = (*steps)[i];
      if (!r.object(sj, sp, kStepKeys)) continue;
      LessonStep step;
      r.string(sj, "title", sp, step.title, true);
      r.text(sj, "text", sp, step.text, true);
      step.highlights = read_highlights(r, r.field(sj, "highlight", sp, false), sp + ".highlight", nodes);
      step.commands = read_actions(r, r.field(sj, "commands", sp, false), sp + ".commands", nodes, false);
      bool play = false;
      if (r.boolean(sj, "play", sp, play)) step.play = play;
      double speed = 0;
      if (r.number(sj, "speed", sp, speed)) {
        if (speed < 0.001 || speed > 1000) r.error(sp + ".speed", "out of range [0.001, 1000]");
        else step.speed = speed;
      }
      if (const json* gate = r.field(sj, "gate", sp, false)) step.gate = read_condition(r, *gate, sp + ".gate", nodes, 0);
      r.text(sj, "hint", sp, step.hint);
      if (const json* q = r.field(sj, "question", sp, false)) step.question = read_question(r, *q, sp + ".question", nodes, sj.contains("gate"));
      step.solution = read_actions(r, r.field(sj, "solution", sp, false), sp + ".solution", nodes, true);
      if (sj.contains("gate") && !sj.contains("solution"))
        r.error(sp + ".solution", "missing: a step with a gate needs a scripted solution (the tests play it to show the gate can be met)");
      const bool has_wait = std::any_of(step.solution.begin(), step.solution.end(), [](const LessonAction& a) { return a.kind == LessonAction::Kind::wait; });
      if (has_wait && !sj.contains("gate")) r.error(sp + ".solution", "\"wait\" runs until the gate holds, but this step has no gate");
      lesson.steps.push_back(std::move(step));
    }
  }
  if (result.errors.empty()) result.lesson = std::move(lesson);
  return result;
}

}  // namespace dsplay
