// Strict scenario-file parsing and writing (see scenario.hpp and docs/SCENARIO_FORMAT.md).
// Never throws: JSON syntax errors come from a SAX pass that reports them as values, and every
// access is type-checked first, so the same code is safe with exceptions off (wasm).
#include "core/scenario.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/overloaded.hpp"

namespace dsplay {
namespace {
using nlohmann::json;

using json_reading::parse_json;
using json_reading::Reader;
using json_reading::type_name;

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
  for (int i = 0; i < node_role_count(); ++i)
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

// A number in [lo, hi] stored as an integer times `scale` (speed 0.25 -> 250 per mille).
template <class T>
bool scaled_number(Reader& r, const json& obj, const char* key, const std::string& path, double lo, double hi,
                   double scale, T& out) {
  const json* j = r.field(obj, key, path, false);
  if (!j) return false;
  if (!j->is_number()) return r.error(path + "." + key, "expected a number, got " + type_name(*j)), false;
  const double v = j->get<double>();
  auto text = [](double x) { return x == static_cast<double>(static_cast<long long>(x)) ? std::to_string(static_cast<long long>(x)) : json(x).dump(); };
  if (!(v >= lo && v <= hi))
    return r.error(path + "." + key, "out of range [" + text(lo) + ", " + text(hi) + "], got " + j->dump()), false;
  out = static_cast<T>(v * scale + 0.5);
  return true;
}

void read_server_params(Reader& r, const json& j, const std::string& path, balance::LbServerParams& p) {
  if (!r.object(j, path, {"capacity", "speed", "queue", "weight"})) return;
  std::int64_t v = 0;
  if (r.integer(j, "capacity", path, 1, 10'000, v)) p.capacity = static_cast<std::uint32_t>(v);
  if (scaled_number(r, j, "speed", path, 0.001, 100.0, 1000.0, p.speed_permille)) p.speed_permille = std::max<std::uint32_t>(p.speed_permille, 1);
  if (r.integer(j, "queue", path, 0, 100'000, v)) p.queue_limit = static_cast<std::uint32_t>(v);
  if (r.integer(j, "weight", path, 1, 1000, v)) p.weight = static_cast<std::uint32_t>(v);
}

// The "balancing" section (docs/SCENARIO_FORMAT.md). servers: the lb_server node names the
// per-server overrides may name.
void read_balancing(Reader& r, const json& j, const std::string& path, balance::LbConfig& b,
                    const std::set<std::string>& servers) {
  if (!r.object(j, path, {"algo", "choices", "points_per_node", "table_size", "epsilon", "health_check", "server_defaults",
                          "servers", "slow_speed", "workload", "hops", "window"}))
    return;
  std::string algo;
  if (r.string(j, "algo", path, algo) && !balance::parse_lb_algo(algo, b.balancer.algo))
    r.error(path + ".algo", "unknown algorithm \"" + algo + "\" (expected one of: " + balance::lb_algo_list() + ")");
  std::int64_t v = 0;
  if (r.integer(j, "choices", path, 1, 16, v)) b.balancer.choices = static_cast<std::uint32_t>(v);
  if (r.integer(j, "points_per_node", path, 1, 1000, v)) b.balancer.points_per_node = static_cast<std::uint32_t>(v);
  if (r.integer(j, "table_size", path, 2, 1'000'003, v)) {
    if (balance::is_prime(static_cast<std::uint32_t>(v))) b.balancer.table_size = static_cast<std::uint32_t>(v);
    else r.error(path + ".table_size", "must be a prime (Maglev), got " + std::to_string(v) + " (e.g. 251, 1009, 65537)");
  }
  scaled_number(r, j, "epsilon", path, 0.0, 10.0, 1000.0, b.balancer.epsilon_permille);
  if (const json* hc = r.field(j, "health_check", path, false)) {
    const std::string hp = path + ".health_check";
    if (r.object(*hc, hp, {"enabled", "interval", "failures", "successes"})) {
      r.boolean(*hc, "enabled", hp, b.health.enabled);
      r.duration(*hc, "interval", hp, kUsPerMs, kHourUs, b.health.interval_us);
      if (r.integer(*hc, "failures", hp, 1, 100, v)) b.health.failures = static_cast<std::uint32_t>(v);
      if (r.integer(*hc, "successes", hp, 1, 100, v)) b.health.successes = static_cast<std::uint32_t>(v);
    }
  }
  if (const json* d = r.field(j, "server_defaults", path, false)) read_server_params(r, *d, path + ".server_defaults", b.server_defaults);
  if (const json* list = r.field(j, "servers", path, false)) {
    const std::string sp = path + ".servers";
    if (!list->is_object()) {
      r.error(sp, "expected an object of server name -> settings, got " + type_name(*list));
    } else {
      for (const auto& item : list->items()) {
        if (servers.count(item.key()) == 0) {
          r.error(sp + "." + item.key(), "not a node with role lb_server");
          continue;
        }
        balance::LbServerParams p = b.server_defaults;
        read_server_params(r, item.value(), sp + "." + item.key(), p);
        b.servers.emplace_back(item.key(), p);
      }
    }
  }
  if (scaled_number(r, j, "slow_speed", path, 0.001, 1.0, 1000.0, b.slow_speed_permille))
    b.slow_speed_permille = std::max<std::uint32_t>(b.slow_speed_permille, 1);
  if (const json* w = r.field(j, "workload", path, false)) {
    const std::string wp = path + ".workload";
    if (r.object(*w, wp, {"rate", "service", "keys", "zipf", "bursts"})) {
      scaled_number(r, *w, "rate", wp, 0.0, 1e7, 1000.0, b.workload.rate_milli);
      if (r.integer(*w, "keys", wp, 1, 100'000, v)) b.workload.keys = static_cast<std::uint32_t>(v);
      scaled_number(r, *w, "zipf", wp, 0.0, 3.0, 1000.0, b.workload.zipf_milli);
      if (const json* svc = r.field(*w, "service", wp, false)) {
        const std::string sp = wp + ".service";
        balance::LbServiceTime& st = b.workload.service;
        if (r.object(*svc, sp, {"kind", "mean", "min", "max", "tail_percent"})) {
          std::string kind;
          if (r.string(*svc, "kind", sp, kind)) {
            if (kind == "constant") st.kind = balance::LbServiceKind::constant;
            else if (kind == "uniform") st.kind = balance::LbServiceKind::uniform;
            else if (kind == "exponential") st.kind = balance::LbServiceKind::exponential;
            else if (kind == "long_tail") st.kind = balance::LbServiceKind::long_tail;
            else r.error(sp + ".kind", "unknown service time kind \"" + kind + "\" (expected constant, uniform, exponential or long_tail)");
          }
          r.duration(*svc, "mean", sp, 1, kHourUs, st.mean_us);
          const bool has_min = r.duration(*svc, "min", sp, 0, kHourUs, st.min_us);
          const bool has_max = r.duration(*svc, "max", sp, 1, kHourUs, st.max_us);
          if (has_min && !has_max && st.max_us < st.min_us) st.max_us = st.min_us;
          if (has_max && st.max_us < st.min_us) r.error(sp + ".max", "must be >= min (" + format_duration(st.min_us) + ")");
          if (r.integer(*svc, "tail_percent", sp, 0, 95, v)) st.tail_percent = static_cast<std::uint32_t>(v);
        }
      }
      if (const json* bursts = r.field(*w, "bursts", wp, false)) {
        const std::string bp = wp + ".bursts";
        if (!bursts->is_array()) {
          r.error(bp, "expected an array of {at, duration, rate}, got " + type_name(*bursts));
        } else {
          for (std::size_t i = 0; i < bursts->size(); ++i) {
            const std::string ip = bp + "[" + std::to_string(i) + "]";
            const json& e = (*bursts)[i];
            if (!r.object(e, ip, {"at", "duration", "rate"})) continue;
            balance::LbBurst burst;
            r.duration(e, "at", ip, 0, 24 * kHourUs, burst.at_us, true);
            r.duration(e, "duration", ip, 1, 24 * kHourUs, burst.duration_us, true);
            if (!e.contains("rate")) r.error(ip + ".rate", "missing (required)");
            scaled_number(r, e, "rate", ip, 0.0, 1e7, 1000.0, burst.rate_milli);
            b.workload.bursts.push_back(burst);
          }
        }
      }
    }
  }
  if (const json* hops = r.field(j, "hops", path, false)) {
    const std::string hp = path + ".hops";
    if (r.object(*hops, hp, {"client", "server"})) {
      r.duration(*hops, "client", hp, 0, kHourUs, b.client_hop_us);
      r.duration(*hops, "server", hp, 0, kHourUs, b.server_hop_us);
    }
  }
  r.duration(j, "window", path, kUsPerMs, kHourUs, b.window_us);
}

json balancing_json(const balance::LbConfig& b) {
  auto server_json = [](const balance::LbServerParams& p) {
    return json{{"capacity", p.capacity}, {"speed", p.speed_permille / 1000.0}, {"queue", p.queue_limit}, {"weight", p.weight}};
  };
  json servers = json::object();
  for (const auto& [name, p] : b.servers) servers[name] = server_json(p);
  const balance::LbServiceTime& st = b.workload.service;
  json bursts = json::array();
  for (const balance::LbBurst& burst : b.workload.bursts)
    bursts.push_back({{"at", format_duration(burst.at_us)}, {"duration", format_duration(burst.duration_us)}, {"rate", burst.rate_milli / 1000.0}});
  return json{{"algo", balance::lb_algo_name(b.balancer.algo)},
              {"choices", b.balancer.choices},
              {"points_per_node", b.balancer.points_per_node},
              {"table_size", b.balancer.table_size},
              {"epsilon", b.balancer.epsilon_permille / 1000.0},
              {"health_check",
               {{"enabled", b.health.enabled}, {"interval", format_duration(b.health.interval_us)}, {"failures", b.health.failures}, {"successes", b.health.successes}}},
              {"server_defaults", server_json(b.server_defaults)},
              {"servers", servers},
              {"slow_speed", b.slow_speed_permille / 1000.0},
              {"workload",
               {{"rate", b.workload.rate_milli / 1000.0},
                {"service",
                 {{"kind", balance::lb_service_kind_name(st.kind)},
                  {"mean", format_duration(st.mean_us)},
                  {"min", format_duration(st.min_us)},
                  {"max", format_duration(st.max_us)},
                  {"tail_percent", st.tail_percent}}},
                {"keys", b.workload.keys},
                {"zipf", b.workload.zipf_milli / 1000.0},
                {"bursts", bursts}}},
              {"hops", {{"client", format_duration(b.client_hop_us)}, {"server", format_duration(b.server_hop_us)}}},
              {"window", format_duration(b.window_us)}};
}

// The "raft" section (docs/SCENARIO_FORMAT.md, docs/RAFT.md): a timing preset first, then keys.
void read_raft(Reader& r, const json& j, const std::string& path, RaftConfig& c) {
  if (!r.object(j, path, {"preset", "election_timeout", "heartbeat", "max_entries_per_message", "leader_noop",
                          "session_ttl", "disk_write", "client", "bug"}))
    return;
  std::string preset;
  if (r.string(j, "preset", path, preset)) {
    if (preset == "paper") c = raft_preset(RaftPreset::paper, c);
    else if (preset == "etcd") c = raft_preset(RaftPreset::etcd, c);
    else r.error(path + ".preset", "unknown preset \"" + preset + "\" (expected paper or etcd)");
  }
  if (const json* et = r.field(j, "election_timeout", path, false)) {
    const std::string ep = path + ".election_timeout";
    if (r.object(*et, ep, {"min", "max"})) {
      const bool has_min = r.duration(*et, "min", ep, kUsPerMs, kHourUs, c.election_timeout_min_us);
      const bool has_max = r.duration(*et, "max", ep, kUsPerMs, kHourUs, c.election_timeout_max_us);
      if (has_min && !has_max && c.election_timeout_max_us < c.election_timeout_min_us) c.election_timeout_max_us = c.election_timeout_min_us;
      if (c.election_timeout_max_us < c.election_timeout_min_us)
        r.error(ep + ".max", "must be >= min (" + format_duration(c.election_timeout_min_us) + ")");
    }
  }
  r.duration(j, "heartbeat", path, kUsPerMs, kHourUs, c.heartbeat_us);
  std::int64_t v = 0;
  if (r.integer(j, "max_entries_per_message", path, 1, 100'000, v)) c.max_entries_per_message = static_cast<std::uint32_t>(v);
  r.boolean(j, "leader_noop", path, c.leader_noop);
  r.duration(j, "session_ttl", path, kUsPerMs, kHourUs, c.session_ttl_us);
  r.duration(j, "disk_write", path, 0, kHourUs, c.disk_write_us);
  std::string bug;
  if (r.string(j, "bug", path, bug) && !parse_raft_bug(bug, c.bug))
    r.error(path + ".bug", "unknown bug \"" + bug + "\" (expected none, commit_old_terms, vote_ignores_log, forget_vote_on_crash or skip_consistency_check)");
  if (const json* cl = r.field(j, "client", path, false)) {
    const std::string cp = path + ".client";
    if (r.object(*cl, cp, {"mode", "retry", "keepalive", "hold", "think", "put_interval", "put_batch"})) {
      std::string mode;
      if (r.string(*cl, "mode", cp, mode)) {
        if (mode == "lock") c.client_mode = RaftClientMode::lock;
        else if (mode == "put") c.client_mode = RaftClientMode::put;
        else if (mode == "manual") c.client_mode = RaftClientMode::manual;
        else r.error(cp + ".mode", "unknown client mode \"" + mode + "\" (expected lock, put or manual)");
      }
      r.duration(*cl, "retry", cp, kUsPerMs, kHourUs, c.client_retry_us);
      r.duration(*cl, "keepalive", cp, kUsPerMs, kHourUs, c.keepalive_us);
      r.duration(*cl, "hold", cp, 1, kHourUs, c.hold_us);
      r.duration(*cl, "think", cp, 1, kHourUs, c.think_us);
      r.duration(*cl, "put_interval", cp, 1, kHourUs, c.put_interval_us);
      if (r.integer(*cl, "put_batch", cp, 1, 1000, v)) c.put_batch = static_cast<std::uint32_t>(v);
    }
  }
}

json raft_json(const RaftConfig& c) {
  return json{{"election_timeout", {{"min", format_duration(c.election_timeout_min_us)}, {"max", format_duration(c.election_timeout_max_us)}}},
              {"heartbeat", format_duration(c.heartbeat_us)},
              {"max_entries_per_message", c.max_entries_per_message},
              {"leader_noop", c.leader_noop},
              {"session_ttl", format_duration(c.session_ttl_us)},
              {"disk_write", format_duration(c.disk_write_us)},
              {"bug", raft_bug_name(c.bug)},
              {"client",
               {{"mode", raft_client_mode_name(c.client_mode)},
                {"retry", format_duration(c.client_retry_us)},
                {"keepalive", format_duration(c.keepalive_us)},
                {"hold", format_duration(c.hold_us)},
                {"think", format_duration(c.think_us)},
                {"put_interval", format_duration(c.put_interval_us)},
                {"put_batch", c.put_batch}}}};
}

void read_locks(Reader& r, const json& j, const std::string& path, LocksConfig& locks) {
  if (!r.object(j, path, {"hold", "think", "retry", "auto_acquire", "write", "ttl", "redis", "redlock", "queue", "storage"}))
    return;
  r.duration(j, "hold", path, 1, kHourUs, locks.hold_us);
  r.duration(j, "think", path, 1, kHourUs, locks.think_us);
  r.duration(j, "retry", path, kUsPerMs, kHourUs, locks.retry_us);
  r.boolean(j, "auto_acquire", path, locks.auto_acquire);
  r.boolean(j, "write", path, locks.write);
  r.duration(j, "ttl", path, kUsPerMs, kHourUs, locks.ttl_us);
  if (const json* redis = r.field(j, "redis", path, false)) {
    const std::string rp = path + ".redis";
    if (r.object(*redis, rp, {"variant", "fence_start", "persist"})) {
      std::string variant;
      if (r.string(*redis, "variant", rp, variant) && !parse_redis_variant(variant.c_str(), locks.redis_variant))
        r.error(rp + ".variant", "unknown variant \"" + variant + "\" (expected naive, atomic or fenced)");
      std::int64_t start = 0;
      if (r.integer(*redis, "fence_start", rp, 0, 1'000'000'000'000, start)) locks.fence_start = static_cast<std::uint64_t>(start);
      r.boolean(*redis, "persist", rp, locks.redis_persist);
    }
  }
  if (const json* redlock = r.field(j, "redlock", path, false)) {
    const std::string rp = path + ".redlock";
    if (r.object(*redlock, rp, {"node_timeout", "fenced"})) {
      r.duration(*redlock, "node_timeout", rp, kUsPerMs, kHourUs, locks.redlock_node_timeout_us);
      r.boolean(*redlock, "fenced", rp, locks.redlock_fenced);
    }
  }
  if (const json* queue = r.field(j, "queue", path, false)) {
    const std::string qp = path + ".queue";
    if (r.object(*queue, qp, {"watch", "session_timeout"})) {
      std::string watch;
      if (r.string(*queue, "watch", qp, watch) && !parse_queue_watch(watch.c_str(), locks.queue_watch))
        r.error(qp + ".watch", "unknown watch \"" + watch + "\" (expected predecessor or herd)");
      r.duration(*queue, "session_timeout", qp, 10 * kUsPerMs, kHourUs, locks.session_timeout_us);
    }
  }
  if (const json* storage = r.field(j, "storage", path, false)) {
    const std::string sp = path + ".storage";
    if (r.object(*storage, sp, {"fenced"})) r.boolean(*storage, "fenced", sp, locks.storage_fenced);
  }
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
                         "cache", "balancing", "raft", "locks", "script", "$schema"}))
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
    if (r.object(*t, "$.token_lock", {"hold", "think", "retry", "auto_acquire", "durable", "write", "reelection",
                                      "heartbeat", "election_timeout", "lease"})) {
      TokenLockConfig& tl = s.config.token_lock;
      r.duration(*t, "hold", "$.token_lock", 1, kHourUs, tl.hold_us);
      r.duration(*t, "think", "$.token_lock", 1, kHourUs, tl.think_us);
      r.duration(*t, "retry", "$.token_lock", kUsPerMs, kHourUs, tl.retry_us);
      r.boolean(*t, "auto_acquire", "$.token_lock", tl.auto_acquire);
      r.boolean(*t, "durable", "$.token_lock", tl.durable);
      r.boolean(*t, "write", "$.token_lock", tl.write);
      std::string mode;
      if (r.string(*t, "reelection", "$.token_lock", mode) && !parse_token_reelection(mode.c_str(), tl.reelection))
        r.error("$.token_lock.reelection", "unknown mode \"" + mode + "\" (expected off, naive or fenced)");
      r.duration(*t, "heartbeat", "$.token_lock", kUsPerMs, kHourUs, tl.heartbeat_us);
      r.duration(*t, "election_timeout", "$.token_lock", kUsPerMs, kHourUs, tl.election_timeout_us);
      r.duration(*t, "lease", "$.token_lock", kUsPerMs, kHourUs, tl.lease_us);
      if (tl.election_timeout_us < 2 * tl.heartbeat_us)
        r.error("$.token_lock.election_timeout", "must be at least two heartbeats (" + format_duration(2 * tl.heartbeat_us) + ")");
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
  {
    // Load balancing: one balancer node when any lb node exists; per-server settings name lb_server nodes.
    std::set<std::string> lb_servers;
    int lb_nodes = 0, balancers = 0;
    for (const NodeSpec& n : s.config.nodes) {
      if (n.role == NodeRole::lb_server) lb_servers.insert(n.name);
      if (n.role == NodeRole::lb_client || n.role == NodeRole::balancer || n.role == NodeRole::lb_server) ++lb_nodes;
      if (n.role == NodeRole::balancer) ++balancers;
    }
    if (const json* script = r.field(j, "script", "$", false); script != nullptr && script->is_array()) {
      auto text_is = [](const json& e, const char* key, const char* value) {
        const auto it = e.find(key);
        return it != e.end() && it->is_string() && it->get<std::string>() == value;
      };
      for (const json& entry : *script)
        if (entry.is_object() && text_is(entry, "do", "add_node") && text_is(entry, "role", "lb_server") &&
            entry.contains("name") && entry["name"].is_string())
          lb_servers.insert(entry["name"].get<std::string>());
    }
    if (lb_nodes > 0 && balancers != 1)
      r.error("$.nodes", "load balancing needs exactly one node with role \"balancer\", got " + std::to_string(balancers));
    if (const json* b = r.field(j, "balancing", "$", false)) read_balancing(r, *b, "$.balancing", s.config.balancing, lb_servers);
  }
  {
    // Raft: a cluster of 1 to 9 servers (the nodes with role raft).
    const auto servers = std::count_if(s.config.nodes.begin(), s.config.nodes.end(), [](const NodeSpec& n) { return n.role == NodeRole::raft; });
    if (servers > 9) r.error("$.nodes", "a Raft cluster has 1 to 9 servers (role raft), got " + std::to_string(servers));
    if (const json* raft = r.field(j, "raft", "$", false)) read_raft(r, *raft, "$.raft", s.config.raft);
  }
  if (const json* locks = r.field(j, "locks", "$", false)) read_locks(r, *locks, "$.locks", s.config.locks);
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
                     {"auto_acquire", t.auto_acquire},
                     {"durable", t.durable},
                     {"write", t.write}};
  const TokenLockConfig token_defaults;
  if (t.reelection != TokenReelection::off || t.heartbeat_us != token_defaults.heartbeat_us ||
      t.election_timeout_us != token_defaults.election_timeout_us || t.lease_us != token_defaults.lease_us) {
    j["token_lock"]["reelection"] = token_reelection_name(t.reelection);
    j["token_lock"]["heartbeat"] = format_duration(t.heartbeat_us);
    j["token_lock"]["election_timeout"] = format_duration(t.election_timeout_us);
    j["token_lock"]["lease"] = format_duration(t.lease_us);
  }
  j["ring"] = {{"algo", ring_algo_name(s.config.ring.algo)},
               {"points_per_node", s.config.ring.points_per_node},
               {"keys", s.config.ring.key_count}};
  j["cache"] = {{"request_interval", format_duration(s.config.cache.request_interval_us)}};
  const bool has_lb = std::any_of(s.config.nodes.begin(), s.config.nodes.end(), [](const NodeSpec& n) {
    return n.role == NodeRole::lb_client || n.role == NodeRole::balancer || n.role == NodeRole::lb_server;
  });
  if (has_lb || !(s.config.balancing == balance::LbConfig{})) j["balancing"] = balancing_json(s.config.balancing);
  const bool has_raft = std::any_of(s.config.nodes.begin(), s.config.nodes.end(), [](const NodeSpec& n) {
    return n.role == NodeRole::raft || n.role == NodeRole::raft_client;
  });
  if (has_raft || !(s.config.raft == RaftConfig{})) j["raft"] = raft_json(s.config.raft);
  const bool has_locks = std::any_of(s.config.nodes.begin(), s.config.nodes.end(), [](const NodeSpec& n) {
    return n.role >= NodeRole::storage && n.role <= NodeRole::redlock_client;
  });
  if (has_locks || !(s.config.locks == LocksConfig{})) {
    const LocksConfig& l = s.config.locks;
    j["locks"] = {{"hold", format_duration(l.hold_us)},
                  {"think", format_duration(l.think_us)},
                  {"retry", format_duration(l.retry_us)},
                  {"auto_acquire", l.auto_acquire},
                  {"write", l.write},
                  {"ttl", format_duration(l.ttl_us)},
                  {"redis", {{"variant", redis_variant_name(l.redis_variant)}, {"fence_start", l.fence_start}, {"persist", l.redis_persist}}},
                  {"redlock", {{"node_timeout", format_duration(l.redlock_node_timeout_us)}, {"fenced", l.redlock_fenced}}},
                  {"queue", {{"watch", queue_watch_name(l.queue_watch)}, {"session_timeout", format_duration(l.session_timeout_us)}}},
                  {"storage", {{"fenced", l.storage_fenced}}}};
  }
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
