// Strict scenario-file parsing and writing (see scenario.hpp and docs/SCENARIO_FORMAT.md).
// Never throws: JSON syntax errors come from a SAX pass that reports them as values, and every
// access is type-checked first, so the same code is safe with exceptions off (wasm).
#include "core/scenario.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>

#include <nlohmann/json.hpp>

namespace dsplay {
namespace {
using nlohmann::json;

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// Collects the first syntax error of a document without throwing.
struct SyntaxErrorCatcher : nlohmann::json_sax<json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    message = ex.what();
    const auto bracket = message.find("] ");
    if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) message = message.substr(bracket + 2);
    return false;
  }
};

std::optional<json> parse_json(std::string_view text, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  SyntaxErrorCatcher catcher;
  json::sax_parse(text.begin(), text.end(), &catcher, nlohmann::detail::input_format_t::json, true);
  error = catcher.message.empty() ? "invalid JSON" : catcher.message;
  return std::nullopt;
}

std::string type_name(const json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number_float()) return "number";
  return j.type_name();
}

class Reader {
 public:
  Reader(std::string source, std::vector<std::string>& errors) : source_(std::move(source)), errors_(errors) {}

  void error(const std::string& path, const std::string& message) {
    errors_.push_back((source_.empty() ? "" : source_ + ": ") + path + ": " + message);
  }
  std::size_t error_count() const { return errors_.size(); }

  bool object(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    if (!j.is_object()) {
      error(path, "expected an object, got " + type_name(j));
      return false;
    }
    for (const auto& item : j.items()) {
      const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return item.key() == k; });
      if (known) continue;
      std::string expected;
      for (const char* k : allowed) expected += (expected.empty() ? "" : ", ") + std::string(k);
      error(path + "." + item.key(), "unknown key (expected one of: " + expected + ")");
    }
    return true;
  }

  const json* field(const json& obj, const char* key, const std::string& path, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) error(path + "." + key, "missing (required)");
      return nullptr;
    }
    return &*it;
  }

  bool string(const json& obj, const char* key, const std::string& path, std::string& out, bool required = false) {
    const json* j = field(obj, key, path, required);
    if (!j) return false;
    if (!j->is_string()) return error(path + "." + key, "expected a string, got " + type_name(*j)), false;
    out = j->get<std::string>();
    return true;
  }

  bool boolean(const json& obj, const char* key, const std::string& path, bool& out) {
    const json* j = field(obj, key, path, false);
    if (!j) return false;
    if (!j->is_boolean()) return error(path + "." + key, "expected true or false, got " + type_name(*j)), false;
    out = j->get<bool>();
    return true;
  }

  bool integer(const json& obj, const char* key, const std::string& path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out, bool required = false) {
    const json* j = field(obj, key, path, required);
    if (!j) return false;
    if (!j->is_number_integer())
      return error(path + "." + key, "expected an integer, got " + type_name(*j)), false;
    if (j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      return error(path + "." + key, "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]"), false;
    const auto v = j->get<std::int64_t>();
    if (v < lo || v > hi)
      return error(path + "." + key, "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                                          std::to_string(v)),
             false;
    out = v;
    return true;
  }

  bool duration(const json& obj, const char* key, const std::string& path, SimTimeUs lo, SimTimeUs hi, SimTimeUs& out,
                bool required = false) {
    const json* j = field(obj, key, path, required);
    if (!j) return false;
    std::optional<SimTimeUs> v;
    if (j->is_number_integer() && !(j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
      v = j->get<std::int64_t>();
    else if (j->is_string())
      v = parse_duration_us(j->get<std::string>());
    else
      return error(path + "." + key, "expected a duration like \"250ms\", got " + type_name(*j)), false;
    if (!v) return error(path + "." + key, "bad duration \"" + j->get<std::string>() + "\" (use us, ms, s, m or h, e.g. \"1.5s\")"), false;
    if (*v < lo || *v > hi)
      return error(path + "." + key, "out of range [" + format_duration(lo) + ", " + format_duration(hi) + "], got " +
                                          format_duration(*v)),
             false;
    out = *v;
    return true;
  }

  bool probability_ppm(const json& obj, const char* key, const std::string& path, std::uint32_t& out) {
    const json* j = field(obj, key, path, false);
    if (!j) return false;
    if (!j->is_number()) return error(path + "." + key, "expected a probability in [0, 1], got " + type_name(*j)), false;
    const double p = j->get<double>();
    if (!(p >= 0.0 && p <= 1.0)) return error(path + "." + key, "out of range [0, 1], got " + j->dump()), false;
    out = static_cast<std::uint32_t>(p * 1e6 + 0.5);
    return true;
  }

 private:
  std::string source_;
  std::vector<std::string>& errors_;
};

constexpr SimTimeUs kHourUs = 3600 * kUsPerS;

bool valid_scenario_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool valid_node_name(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == ':' || c == '-';
  });
}

std::string role_list() {
  std::string out;
  for (int i = 0; i <= static_cast<int>(NodeRole::cache_client); ++i)
    out += (i ? ", " : "") + std::string(node_role_name(static_cast<NodeRole>(i)));
  return out;
}

bool read_role(Reader& r, const json& obj, const std::string& path, NodeRole& out, bool required) {
  std::string text;
  if (!r.string(obj, "role", path, text, required)) return false;
  if (!parse_node_role(text, out)) {
    r.error(path + ".role", "unknown role \"" + text + "\" (expected one of: " + role_list() + ")");
    return false;
  }
  return true;
}

void read_network(Reader& r, const json& j, const std::string& path, LinkConfig& net) {
  if (!r.object(j, path, {"latency", "loss", "duplicate", "reorder", "reorder_window"})) return;
  if (const json* lat = r.field(j, "latency", path, false)) {
    const std::string lp = path + ".latency";
    if (r.object(*lat, lp, {"kind", "min", "max", "tail_percent"})) {
      std::string kind;
      if (r.string(*lat, "kind", lp, kind)) {
        if (kind == "constant") net.latency.kind = LatencyKind::constant;
        else if (kind == "uniform") net.latency.kind = LatencyKind::uniform;
        else if (kind == "long_tail") net.latency.kind = LatencyKind::long_tail;
        else r.error(lp + ".kind", "unknown latency kind \"" + kind + "\" (expected constant, uniform or long_tail)");
      }
      const bool has_min = r.duration(*lat, "min", lp, 0, kHourUs, net.latency.min_us);
      const bool has_max = r.duration(*lat, "max", lp, 0, kHourUs, net.latency.max_us);
      if (has_min && !has_max && net.latency.max_us < net.latency.min_us) net.latency.max_us = net.latency.min_us;
      if (has_max && net.latency.max_us < net.latency.min_us)
        r.error(lp + ".max", "must be >= min (" + format_duration(net.latency.min_us) + ")");
      std::int64_t tail = net.latency.tail_percent;
      if (r.integer(*lat, "tail_percent", lp, 0, 95, tail)) net.latency.tail_percent = static_cast<std::uint32_t>(tail);
    }
  }
  r.probability_ppm(j, "loss", path, net.loss_ppm);
  r.probability_ppm(j, "duplicate", path, net.duplicate_ppm);
  r.probability_ppm(j, "reorder", path, net.reorder_ppm);
  r.duration(j, "reorder_window", path, 0, kHourUs, net.reorder_window_us);
}

std::string node_ref(Reader& r, const json& obj, const char* key, const std::string& path,
                     const std::set<std::string>* known) {
  std::string name;
  if (!r.string(obj, key, path, name, true)) return name;
  if (known != nullptr && known->count(name) == 0) r.error(path + "." + key, "unknown node \"" + name + "\"");
  return name;
}

// Parses one command object. allow_at: the object may carry "at" (script entries).
// known: node names the command may refer to (nullptr: not checked).
std::optional<Command> read_command(Reader& r, const json& j, const std::string& path, bool allow_at,
                                    const std::set<std::string>* known) {
  if (!j.is_object()) {
    r.error(path, "expected a command object, got " + type_name(j));
    return std::nullopt;
  }
  const std::size_t errors_before = r.error_count();
  std::string what;
  if (!r.string(j, "do", path, what, true)) return std::nullopt;
  auto keys = [&](std::initializer_list<const char*> fields) {
    std::vector<const char*> all = {"do"};
    if (allow_at) all.push_back("at");
    all.insert(all.end(), fields.begin(), fields.end());
    // Reader::object takes an initializer_list; check by hand to allow the dynamic list.
    for (const auto& item : j.items()) {
      if (std::none_of(all.begin(), all.end(), [&](const char* k) { return item.key() == k; })) {
        std::string expected;
        for (const char* k : all) expected += (expected.empty() ? "" : ", ") + std::string(k);
        r.error(path + "." + item.key(), "unknown key for \"" + what + "\" (expected one of: " + expected + ")");
      }
    }
  };
  std::optional<Command> out;
  if (what == "add_node") {
    keys({"name", "role"});
    AddNode c;
    if (r.string(j, "name", path, c.name, true) && !valid_node_name(c.name))
      r.error(path + ".name", "bad node name \"" + c.name + "\" (letters, digits, _ . : -, at most 32)");
    read_role(r, j, path, c.role, true);
    out = c;
  } else if (what == "remove_node" || what == "crash" || what == "restart" || what == "pause" || what == "resume") {
    keys({"node"});
    const std::string node = node_ref(r, j, "node", path, known);
    if (what == "remove_node") out = RemoveNode{node};
    else if (what == "crash") out = CrashNode{node};
    else if (what == "restart") out = RestartNode{node};
    else if (what == "pause") out = PauseNode{node};
    else out = ResumeNode{node};
  } else if (what == "set_clock") {
    keys({"node", "skew", "drift_ppm"});
    SetClock c;
    c.node = node_ref(r, j, "node", path, known);
    r.duration(j, "skew", path, -kHourUs, kHourUs, c.skew_us);
    std::int64_t drift = 0;
    if (r.integer(j, "drift_ppm", path, -100'000, 100'000, drift)) c.drift_ppm = static_cast<std::int32_t>(drift);
    out = c;
  } else if (what == "cut_link" || what == "heal_link") {
    keys({"from", "to", "both_ways"});
    const std::string from = node_ref(r, j, "from", path, known);
    const std::string to = node_ref(r, j, "to", path, known);
    bool both = true;
    r.boolean(j, "both_ways", path, both);
    if (!from.empty() && from == to) r.error(path + ".to", "a link needs two different nodes");
    if (what == "cut_link") out = CutLink{from, to, both};
    else out = HealLink{from, to, both};
  } else if (what == "partition") {
    keys({"groups"});
    Partition c;
    const json* groups = r.field(j, "groups", path, true);
    if (groups != nullptr) {
      if (!groups->is_array() || groups->empty()) {
        r.error(path + ".groups", "expected a non-empty array of arrays of node names");
      } else {
        std::set<std::string> seen;
        for (std::size_t g = 0; g < groups->size(); ++g) {
          const std::string gp = path + ".groups[" + std::to_string(g) + "]";
          const json& group = (*groups)[g];
          if (!group.is_array()) {
            r.error(gp, "expected an array of node names, got " + type_name(group));
            continue;
          }
          c.groups.emplace_back();
          for (std::size_t i = 0; i < group.size(); ++i) {
            const std::string ip = gp + "[" + std::to_string(i) + "]";
            if (!group[i].is_string()) {
              r.error(ip, "expected a node name, got " + type_name(group[i]));
              continue;
            }
            const auto name = group[i].get<std::string>();
            if (known != nullptr && known->count(name) == 0) r.error(ip, "unknown node \"" + name + "\"");
            if (!seen.insert(name).second) r.error(ip, "\"" + name + "\" is in two groups");
            c.groups.back().push_back(name);
          }
        }
      }
    }
    out = c;
  } else if (what == "heal") {
    keys({});
    out = HealNetwork{};
  } else if (what == "client") {
    keys({"node", "op", "arg"});
    ClientOp c;
    c.node = node_ref(r, j, "node", path, known);
    r.string(j, "op", path, c.op, true);
    r.integer(j, "arg", path, INT64_MIN, INT64_MAX, c.arg);
    out = c;
  } else if (what == "set") {
    keys({"param", "value"});
    SetParam c;
    if (r.string(j, "param", path, c.name, true)) {
      const auto& params = world_params();
      auto info = std::find_if(params.begin(), params.end(), [&](const ParamInfo& p) { return c.name == p.name; });
      if (info == params.end()) {
        r.error(path + ".param", "unknown parameter \"" + c.name + "\"");
      } else {
        r.integer(j, "value", path, info->min, info->max, c.value, true);
      }
    }
    out = c;
  } else {
    r.error(path + ".do",
            "unknown command \"" + what +
                "\" (expected one of: add_node, remove_node, crash, restart, pause, resume, set_clock, cut_link, "
                "heal_link, partition, heal, client, set)");
    return std::nullopt;
  }
  if (r.error_count() != errors_before) return std::nullopt;
  return out;
}

json command_json(const Command& command) {
  json j;
  j["do"] = command_name(command);
  std::visit(Overloaded{
                 [&](const AddNode& c) { j["name"] = c.name, j["role"] = node_role_name(c.role); },
                 [&](const RemoveNode& c) { j["node"] = c.node; },
                 [&](const CrashNode& c) { j["node"] = c.node; },
                 [&](const RestartNode& c) { j["node"] = c.node; },
                 [&](const PauseNode& c) { j["node"] = c.node; },
                 [&](const ResumeNode& c) { j["node"] = c.node; },
                 [&](const SetClock& c) {
                   j["node"] = c.node, j["skew"] = format_duration(c.skew_us), j["drift_ppm"] = c.drift_ppm;
                 },
                 [&](const CutLink& c) { j["from"] = c.from, j["to"] = c.to, j["both_ways"] = c.both_ways; },
                 [&](const HealLink& c) { j["from"] = c.from, j["to"] = c.to, j["both_ways"] = c.both_ways; },
                 [&](const Partition& c) { j["groups"] = c.groups; },
                 [&](const HealNetwork&) {},
                 [&](const ClientOp& c) {
                   j["node"] = c.node, j["op"] = c.op;
                   if (c.arg != 0) j["arg"] = c.arg;
                 },
                 [&](const SetParam& c) { j["param"] = c.name, j["value"] = c.value; },
             },
             command);
  return j;
}

}  // namespace

ScenarioParse parse_scenario(std::string_view json_text, std::string_view source_name) {
  ScenarioParse result;
  Reader r(std::string(source_name), result.errors);
  std::string syntax_error;
  const auto doc = parse_json(json_text, syntax_error);
  if (!doc) {
    r.error("$", syntax_error);
    return result;
  }
  const json& j = *doc;
  if (!r.object(j, "$", {"name", "title", "description", "seed", "until", "network", "nodes", "token_lock", "ring",
                         "cache", "script", "$schema"}))
    return result;
  Scenario s;
  if (r.string(j, "name", "$", s.name, true) && !valid_scenario_name(s.name))
    r.error("$.name", "bad name \"" + s.name + "\" (lower-case letters, digits, _ and -, at most 64)");
  s.title = s.name;
  r.string(j, "title", "$", s.title);
  r.string(j, "description", "$", s.description);
  if (const json* seed = r.field(j, "seed", "$", false)) {
    if (seed->is_number_unsigned() || (seed->is_number_integer() && seed->get<std::int64_t>() >= 0))
      s.config.seed = seed->get<std::uint64_t>();
    else
      r.error("$.seed", "expected an integer >= 0, got " + (seed->is_number() ? seed->dump() : type_name(*seed)));
  }
  r.duration(j, "until", "$", 0, 24 * kHourUs, s.until_us);
  if (const json* net = r.field(j, "network", "$", false)) read_network(r, *net, "$.network", s.config.network);

  std::set<std::string> names;
  if (const json* nodes = r.field(j, "nodes", "$", true)) {
    if (!nodes->is_array()) {
      r.error("$.nodes", "expected an array of nodes, got " + type_name(*nodes));
    } else if (nodes->empty() || nodes->size() > 64) {
      r.error("$.nodes", "expected 1 to 64 nodes, got " + std::to_string(nodes->size()));
    } else {
      for (std::size_t i = 0; i < nodes->size(); ++i) {
        const std::string np = "$.nodes[" + std::to_string(i) + "]";
        const json& n = (*nodes)[i];
        if (!r.object(n, np, {"name", "role", "clock_skew", "drift_ppm"})) continue;
        NodeSpec spec;
        if (r.string(n, "name", np, spec.name, true)) {
          if (!valid_node_name(spec.name))
            r.error(np + ".name", "bad node name \"" + spec.name + "\" (letters, digits, _ . : -, at most 32)");
          else if (!names.insert(spec.name).second)
            r.error(np + ".name", "duplicate node name \"" + spec.name + "\"");
        }
        read_role(r, n, np, spec.role, false);
        r.duration(n, "clock_skew", np, -kHourUs, kHourUs, spec.clock_skew_us);
        std::int64_t drift = 0;
        if (r.integer(n, "drift_ppm", np, -100'000, 100'000, drift)) spec.drift_ppm = static_cast<std::int32_t>(drift);
        s.config.nodes.push_back(spec);
      }
    }
  }
  if (const json* t = r.field(j, "token_lock", "$", false)) {
    if (r.object(*t, "$.token_lock", {"hold", "think", "retry", "auto_acquire"})) {
      r.duration(*t, "hold", "$.token_lock", 1, kHourUs, s.config.token_lock.hold_us);
      r.duration(*t, "think", "$.token_lock", 1, kHourUs, s.config.token_lock.think_us);
      r.duration(*t, "retry", "$.token_lock", kUsPerMs, kHourUs, s.config.token_lock.retry_us);
      r.boolean(*t, "auto_acquire", "$.token_lock", s.config.token_lock.auto_acquire);
    }
  }
  if (const json* ring = r.field(j, "ring", "$", false)) {
    if (r.object(*ring, "$.ring", {"algo", "points_per_node", "keys"})) {
      std::string algo;
      if (r.string(*ring, "algo", "$.ring", algo)) {
        if (algo == "ring") s.config.ring.algo = RingAlgo::ring;
        else if (algo == "mod") s.config.ring.algo = RingAlgo::mod;
        else r.error("$.ring.algo", "unknown algorithm \"" + algo + "\" (expected ring or mod)");
      }
      std::int64_t v = 0;
      if (r.integer(*ring, "points_per_node", "$.ring", 1, 1000, v)) s.config.ring.points_per_node = static_cast<std::uint32_t>(v);
      if (r.integer(*ring, "keys", "$.ring", 0, 100'000, v)) s.config.ring.key_count = static_cast<std::uint32_t>(v);
    }
  }
  if (const json* cache = r.field(j, "cache", "$", false)) {
    if (r.object(*cache, "$.cache", {"request_interval"}))
      r.duration(*cache, "request_interval", "$.cache", kUsPerMs, kHourUs, s.config.cache.request_interval_us);
  }
  if (const json* script = r.field(j, "script", "$", false)) {
    if (!script->is_array()) {
      r.error("$.script", "expected an array of timed commands, got " + type_name(*script));
    } else {
      // Nodes a script may name: the initial ones and every node it adds.
      std::set<std::string> known = names;
      for (const json& entry : *script)
        if (entry.is_object() && entry.contains("do") && entry["do"] == "add_node" && entry.contains("name") &&
            entry["name"].is_string())
          known.insert(entry["name"].get<std::string>());
      for (std::size_t i = 0; i < script->size(); ++i) {
        const std::string sp = "$.script[" + std::to_string(i) + "]";
        const json& entry = (*script)[i];
        TimedCommand tc;
        if (entry.is_object()) r.duration(entry, "at", sp, 0, 24 * kHourUs, tc.at_us, true);
        auto command = read_command(r, entry, sp, true, &known);
        if (command) {
          tc.command = *command;
          s.script.push_back(tc);
        }
      }
    }
  }
  if (result.errors.empty()) result.scenario = std::move(s);
  return result;
}

std::string scenario_to_json(const Scenario& s) {
  json j;
  j["name"] = s.name;
  j["title"] = s.title;
  j["description"] = s.description;
  j["seed"] = s.config.seed;
  j["until"] = format_duration(s.until_us);
  const LinkConfig& net = s.config.network;
  const char* kinds[] = {"constant", "uniform", "long_tail"};
  j["network"] = {{"latency",
                   {{"kind", kinds[static_cast<int>(net.latency.kind)]},
                    {"min", format_duration(net.latency.min_us)},
                    {"max", format_duration(net.latency.max_us)},
                    {"tail_percent", net.latency.tail_percent}}},
                  {"loss", static_cast<double>(net.loss_ppm) / 1e6},
                  {"duplicate", static_cast<double>(net.duplicate_ppm) / 1e6},
                  {"reorder", static_cast<double>(net.reorder_ppm) / 1e6},
                  {"reorder_window", format_duration(net.reorder_window_us)}};
  j["nodes"] = json::array();
  for (const NodeSpec& n : s.config.nodes) {
    json node = {{"name", n.name}, {"role", node_role_name(n.role)}};
    if (n.clock_skew_us != 0) node["clock_skew"] = format_duration(n.clock_skew_us);
    if (n.drift_ppm != 0) node["drift_ppm"] = n.drift_ppm;
    j["nodes"].push_back(node);
  }
  const TokenLockConfig& t = s.config.token_lock;
  j["token_lock"] = {{"hold", format_duration(t.hold_us)},
                     {"think", format_duration(t.think_us)},
                     {"retry", format_duration(t.retry_us)},
                     {"auto_acquire", t.auto_acquire}};
  j["ring"] = {{"algo", ring_algo_name(s.config.ring.algo)},
               {"points_per_node", s.config.ring.points_per_node},
               {"keys", s.config.ring.key_count}};
  j["cache"] = {{"request_interval", format_duration(s.config.cache.request_interval_us)}};
  j["script"] = json::array();
  for (const TimedCommand& tc : s.script) {
    json entry = {{"at", format_duration(tc.at_us)}};
    entry.update(command_json(tc.command));
    j["script"].push_back(entry);
  }
  return j.dump(2);
}

std::string command_to_json(const Command& command) { return command_json(command).dump(); }

std::optional<Command> parse_command_json(std::string_view json_text, std::string& error) {
  std::vector<std::string> errors;
  Reader r("", errors);
  std::string syntax_error;
  const auto doc = parse_json(json_text, syntax_error);
  if (!doc) {
    error = "$: " + syntax_error;
    return std::nullopt;
  }
  auto command = read_command(r, *doc, "$", false, nullptr);
  if (!command) error = errors.empty() ? "$: invalid command" : errors.front();
  return command;
}

World make_world(const Scenario& scenario) {
  World world(scenario.config);
  for (const TimedCommand& tc : scenario.script) world.schedule(tc.at_us, tc.command);
  return world;
}

}  // namespace dsplay
