// `dsplay run SCENARIO.json [--seed N] [--until DURATION] [--trace | --trace-out FILE] [--export-metrics|-trace|-csv FILE]
// [--serve-metrics HOST:PORT [--speed X]]`: runs a scenario headless and prints a JSON summary
// (counts, trace hash, violations, and the results of each module present). Exit 1 when a checker
// found a violation, so scripts and CI can assert on runs; the trace hash is what
// native-vs-browser determinism checks compare. With --serve-metrics the run is paced to the wall
// clock and a real Prometheus can scrape /metrics while it runs (and after, until interrupted).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <memory>
#include <optional>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/monitor/request_tracing.hpp"
#include "core/scenario.hpp"
#include "core/run_export.hpp"
#include "core/world.hpp"
#include "tools/cli/cli.hpp"
#include "tools/cli/monitor_summary.hpp"
#if DSPLAY_HAS_METRICS_SERVER
#include "tools/metrics_server/metrics_server.hpp"
#endif

namespace dsplay::cli {

namespace {

using Json = nlohmann::ordered_json;

// Ratios are for people to read; 4 decimals is plenty and keeps the output stable to diff.
double round4(double value) { return std::round(value * 10000.0) / 10000.0; }

Json node_name_or_null(const World& world, NodeId id) {
  if (id == kNoNode || id >= world.nodes().size()) return nullptr;
  return world.nodes()[id].name;
}

bool has_role(const World& world, std::initializer_list<NodeRole> roles) {
  for (const auto& node : world.nodes()) {
    for (const NodeRole role : roles) {
      if (node.role == role) return true;
    }
  }
  return false;
}

const char* client_state_name(TokenClient::State state) {
  switch (state) {
    case TokenClient::State::idle: return "idle";
    case TokenClient::State::waiting: return "waiting";
    case TokenClient::State::holding: return "holding";
  }
  return "?";
}

Json token_lock_summary(const World& world) {
  Json out;
  out["grants"] = world.stats().token_grants;
  Json coordinators = Json::array();
  Json clients = Json::object();
  Json holders = Json::array();
  for (const auto& node : world.nodes()) {
    if (const auto* coordinator = std::get_if<TokenCoordinator>(&node.process)) {
      Json queue = Json::array();
      for (const NodeId id : coordinator->queue()) queue.push_back(node_name_or_null(world, id));
      coordinators.push_back(Json{{"name", node.name},
                                  {"up", node.up},
                                  {"holder", node_name_or_null(world, coordinator->holder())},
                                  {"queue_length", queue.size()},
                                  {"queue", queue},
                                  {"epoch", coordinator->epoch()},
                                  {"grants_since_start", coordinator->grants()}});
    } else if (const auto* client = std::get_if<TokenClient>(&node.process)) {
      clients[node.name] = Json{{"acquisitions", client->acquisitions()},
                                {"state", client_state_name(client->state())},
                                {"up", node.up}};
      if (client->holds() && node.up && !node.removed) holders.push_back(node.name);
    }
  }
  // The first coordinator's view, flattened for the common single-coordinator case.
  if (!coordinators.empty()) {
    out["holder"] = coordinators[0]["holder"];
    out["queue_length"] = coordinators[0]["queue_length"];
  }
  out["clients_holding"] = holders;
  out["coordinators"] = coordinators;
  out["clients"] = clients;
  return out;
}

Json ring_summary(const World& world) {
  const RingModule& ring = world.ring();
  const auto keys = ring.keys_per_member();
  Json members = Json::array();
  for (std::size_t i = 0; i < ring.members().size(); ++i) {
    members.push_back(Json{{"name", ring.members()[i]},
                           {"alive", i < ring.alive().size() && ring.alive()[i] != 0},
                           {"keys", i < keys.size() ? keys[i] : 0}});
  }
  const RemapReport& remap = ring.last_remap();
  return Json{{"algo", ring_algo_name(ring.config.algo)},
              {"points_per_node", ring.config.points_per_node},
              {"keys", ring.config.key_count},
              {"members", members},
              {"load_max_over_mean", round4(ring.load_max_over_mean())},
              {"load_stddev_over_mean", round4(ring.load_stddev_over_mean())},
              {"last_remap", Json{{"change", remap.change},
                                  {"keys", remap.keys},
                                  {"moved", remap.moved},
                                  {"moved_elsewhere", remap.moved_elsewhere},
                                  {"moved_fraction", round4(remap.moved_fraction)},
                                  {"ideal_fraction", round4(remap.ideal_fraction)}}}};
}

Json cache_summary(const World& world) {
  const auto& stats = world.stats();
  const std::uint64_t total = stats.cache_hits + stats.cache_misses;
  Json servers = Json::object();
  for (const auto& node : world.nodes()) {
    if (const auto* server = std::get_if<CacheServer>(&node.process)) {
      servers[node.name] = Json{{"hits", server->hits()},
                                {"misses", server->misses()},
                                {"cached_keys", server->cached_keys()}};
    }
  }
  return Json{{"hits", stats.cache_hits},
              {"misses", stats.cache_misses},
              {"hit_rate", total == 0 ? 0.0 : round4(static_cast<double>(stats.cache_hits) / static_cast<double>(total))},
              {"servers", servers}};
}

// Every lock in core/locks/ (token lock included): who holds it now, critical sections and
// writes as the mutual-exclusion checker counted them, and each lock service's own state.
Json locks_summary(const World& world) {
  const MutexChecker& checker = world.mutex_checker();
  Json holders = Json::array();
  Json clients = Json::object();
  Json services = Json::array();
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    const CriticalSection cs = node.up && !node.removed ? critical_section_of(node.process) : CriticalSection{};
    if (cs.inside) holders.push_back(node.name);
    std::visit(
        [&](const auto& p) {
          using P = std::decay_t<decltype(p)>;
          if constexpr (requires { p.critical_section(); }) {
            clients[node.name] = Json{{"role", node_role_name(node.role)},
                                      {"phase", lock_phase_name(p.phase())},
                                      {"critical_sections", p.entries()},
                                      {"token", cs.token},
                                      {"writes_accepted", p.writes_accepted()},
                                      {"writes_rejected", p.writes_rejected()},
                                      {"up", node.up}};
          } else if constexpr (std::is_same_v<P, StorageNode>) {
            services.push_back(Json{{"name", node.name}, {"kind", "storage"}, {"fenced", p.fenced()},
                                    {"accepted", p.accepted()}, {"rejected", p.rejected()},
                                    {"highest_token", p.highest_token()}});
          } else if constexpr (std::is_same_v<P, RedisServer>) {
            const SimTimeUs local_us = world.local_time_us(id);
            const bool held = node.up && p.has_lock(local_us);
            Json ttl = nullptr;
            if (held && p.lock_expire_at_local_us() != RedisServer::kNoExpiry) ttl = p.lock_expire_at_local_us() - local_us;
            services.push_back(Json{{"name", node.name}, {"kind", "redis"}, {"up", node.up},
                                    {"lock", held ? Json(p.lock_value()) : Json(nullptr)},
                                    {"owner", held ? node_name_or_null(world, p.lock_owner()) : Json(nullptr)},
                                    {"ttl_left_us", ttl}, {"fence", p.fence()}});
          } else if constexpr (std::is_same_v<P, TicketCoordinator>) {
            Json queue = Json::array();
            for (const TicketEntry& e : p.queue()) queue.push_back(Json{{"ticket", e.ticket}, {"client", node_name_or_null(world, e.client)}});
            services.push_back(Json{{"name", node.name}, {"kind", "ticket_coordinator"},
                                    {"serving", p.holder().ticket}, {"holder", node_name_or_null(world, p.holder().client)},
                                    {"next_ticket", p.next_ticket()}, {"grants", p.grants()}, {"queue", queue}});
          } else if constexpr (std::is_same_v<P, CoordService>) {
            Json entries = Json::array();
            for (const ZkEntryState& e : p.entries()) entries.push_back(Json{{"seq", e.seq}, {"client", node_name_or_null(world, e.client)}});
            services.push_back(Json{{"name", node.name}, {"kind", "coord_service"}, {"entries", entries},
                                    {"sessions", p.sessions().size()}, {"releases", p.releases()},
                                    {"wakeups", p.wakeups()}, {"wakeups_on_release", p.wakeups_on_release()},
                                    {"wakeups_per_release", p.releases() == 0 ? 0.0
                                         : round4(static_cast<double>(p.wakeups_on_release()) / static_cast<double>(p.releases()))},
                                    {"sessions_expired", p.sessions_expired()}});
          } else if constexpr (std::is_same_v<P, TokenCoordinator>) {
            services.push_back(Json{{"name", node.name}, {"kind", "token_coordinator"},
                                    {"holder", node_name_or_null(world, p.holder())}, {"epoch", p.epoch()}});
          }
        },
        node.process);
  }
  std::uint64_t lock_violations = 0;  // the mutual-exclusion checker's (the Raft checker has its own)
  for (const auto& v : world.violations()) {
    const std::string what = v.what;
    lock_violations += what == "two holders" || what == "stale write accepted" || what == "lock stuck forever" ? 1 : 0;
  }
  return Json{{"holders", holders},
              {"critical_sections", checker.critical_sections()},
              {"writes_accepted", checker.writes_accepted()},
              {"writes_rejected", checker.writes_rejected()},
              {"stale_writes_accepted", checker.stale_writes()},
              {"violations", lock_violations},
              {"clients", clients},
              {"services", services}};
}

// The load-balancing simulation: per-server counts, drops, latency percentiles and imbalance.
Json balancing_summary(const World& world) {
  const balance::LoadBalancerSim& sim = *world.lb();
  const balance::LbTotals& t = sim.totals();
  const auto& latency = sim.latency();
  Json servers = Json::array();
  std::vector<std::uint64_t> dispatched;
  for (const balance::LbServer& s : sim.servers()) {
    servers.push_back(Json{{"name", s.name},
                           {"health", s.removed ? "removed" : s.paused ? "paused" : balance::lb_health_name(s.health)},
                           {"in_rotation", s.in_rotation && !s.removed},
                           {"capacity", s.params.capacity},
                           {"speed", round4(s.params.speed_permille / 1000.0)},
                           {"dispatched", s.dispatched},
                           {"served", s.served},
                           {"dropped", s.dropped},
                           {"failed", s.failed},
                           {"active", s.active},
                           {"queue", s.queue.size()},
                           {"mean_latency_us", s.served ? s.latency_sum_us / s.served : 0}});
    if (!s.removed) dispatched.push_back(s.dispatched);
  }
  const balance::LbImbalance imbalance = balance::lb_imbalance(dispatched);
  Json out{{"algo", balance::lb_algo_name(sim.algo())},
           {"rate_per_s", round4(static_cast<double>(sim.current_rate_milli()) / 1000.0)},
           {"requests", Json{{"arrived", t.arrivals},
                             {"dispatched", t.dispatched},
                             {"completed", t.completed},
                             {"dropped", t.dropped},
                             {"failed", t.failed},
                             {"no_server", t.no_server},
                             {"in_flight", sim.requests_in_flight()}}},
           {"latency_us", Json{{"p50", latency.value_at_quantile(0.50)},
                               {"p90", latency.value_at_quantile(0.90)},
                               {"p99", latency.value_at_quantile(0.99)},
                               {"max", latency.max()},
                               {"mean", std::llround(latency.mean())}}},
           {"servers", servers},
           {"imbalance", Json{{"of", "requests dispatched per server"},
                              {"max_over_mean", round4(imbalance.max_over_mean)},
                              {"stddev_over_mean", round4(imbalance.stddev_over_mean)}}}};
  if (const balance::LbPlacement* p = sim.placement()) {
    const balance::LbRemap& remap = p->remap;
    out["last_remap"] = Json{{"change", remap.change},
                             {"keys", remap.keys},
                             {"moved", remap.moved},
                             {"moved_elsewhere", remap.moved_elsewhere},
                             {"moved_fraction", remap.keys ? round4(static_cast<double>(remap.moved) / static_cast<double>(remap.keys)) : 0.0},
                             {"ideal_fraction", remap.ideal_den ? round4(static_cast<double>(remap.ideal_num) / remap.ideal_den) : 0.0}};
  }
  return out;
}

// Raft servers and the consensus lock service (core/raft/).
Json raft_summary(const World& world) {
  Json servers = Json::array();
  NodeId leader = kNoNode;
  std::uint64_t leader_term = 0, elections = 0;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    const auto* raft = std::get_if<RaftNode>(&node.process);
    if (raft == nullptr) continue;
    elections += raft->elections_started();
    if (raft->is_leader() && node.up && raft->term() >= leader_term) leader = id, leader_term = raft->term();
    servers.push_back(Json{{"name", node.name},
                           {"up", node.up},
                           {"role", raft_role_name(raft->role())},
                           {"term", raft->term()},
                           {"voted_for", node_name_or_null(world, raft->voted_for())},
                           {"log_length", raft->log().last_index()},
                           {"commit_index", raft->commit_index()},
                           {"last_applied", raft->last_applied()}});
  }
  Json clients = Json::object();
  std::uint64_t acquisitions = 0;
  for (const Node& node : world.nodes()) {
    const auto* client = std::get_if<RaftClient>(&node.process);
    if (client == nullptr) continue;
    acquisitions += client->acquisitions();
    clients[node.name] = Json{{"acquisitions", client->acquisitions()},
                              {"holds", client->holds() && node.up},
                              {"token", client->token()},
                              {"puts_acked", client->puts_acked()},
                              {"redirects", client->redirects()},
                              {"retries", client->retries()}};
  }
  const std::string warning = raft_timing_warning(world.config().raft, world.network().defaults);
  return Json{{"leader", node_name_or_null(world, leader)},
              {"term", leader_term},
              {"terms_with_a_leader", world.raft_checker().leaders().size()},
              {"elections", elections},
              {"committed", world.raft_checker().committed_length()},
              {"lock_acquisitions", acquisitions},
              {"timing_warning", warning.empty() ? Json(nullptr) : Json(warning)},
              {"servers", servers},
              {"clients", clients}};
}

Json summary(const Scenario& scenario, const World& world, SimTimeUs until_us) {
  Json out;
  out["scenario"] = scenario.name;
  out["title"] = scenario.title;
  out["seed"] = world.seed();
  out["until_us"] = until_us;
  out["events"] = world.event_count();
  out["sim_time_us"] = world.now_us();
  out["trace_hash"] = hex16(world.trace_hash());
  out["state_hash"] = hex16(world.state_hash());
  out["pending_events"] = world.pending_events();
  const auto& stats = world.stats();
  out["messages"] = Json{{"sent", stats.sent},
                         {"delivered", stats.delivered},
                         {"dropped", stats.dropped},
                         {"duplicated", stats.duplicated},
                         {"in_flight", world.messages_in_flight().size()}};
  out["timers_fired"] = stats.timers_fired;
  Json violations = Json::array();
  for (const auto& violation : world.violations()) {
    Json causes = Json::array();
    for (const std::uint64_t event : violation.causes)
      if (event != 0) causes.push_back(event);
    violations.push_back(Json{{"event", violation.event},
                              {"time_us", violation.time_us},
                              {"what", violation.what},
                              {"node", node_name_or_null(world, violation.node)},
                              {"peer", node_name_or_null(world, violation.peer)},
                              {"causes", causes}});
  }
  out["violations"] = violations;
  Json nodes = Json::array();
  for (const auto& node : world.nodes()) {
    nodes.push_back(Json{{"name", node.name},
                         {"role", node_role_name(node.role)},
                         {"up", node.up},
                         {"paused", node.paused},
                         {"removed", node.removed},
                         {"crashes", node.crashes}});
  }
  out["nodes"] = nodes;
  if (has_role(world, {NodeRole::token_coordinator, NodeRole::token_client})) {
    out["token_lock"] = token_lock_summary(world);
  }
  if (has_role(world, {NodeRole::token_client, NodeRole::ticket_client, NodeRole::queue_client, NodeRole::redis_client,
                       NodeRole::redlock_client, NodeRole::storage})) {
    out["locks"] = locks_summary(world);
  }
  if (has_role(world, {NodeRole::cache})) out["ring"] = ring_summary(world);
  if (has_role(world, {NodeRole::cache, NodeRole::cache_client})) out["cache"] = cache_summary(world);
  if (world.lb() != nullptr) out["balancing"] = balancing_summary(world);
  if (world.lb() != nullptr) out["monitoring"] = monitoring_summary(*world.lb());
  if (has_role(world, {NodeRole::raft, NodeRole::raft_client})) out["raft"] = raft_summary(world);
  return out;
}

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

// Writes trace records as they are produced, one line each (format_trace_record).
class TraceWriter {
 public:
  explicit TraceWriter(std::ostream& out) : out_(out) {}
  void flush(const World& world, TraceLog& log) {
    if (world.nodes().size() != names_.size()) names_ = world.node_names();
    for (const auto& record : log) out_ << format_trace_record(record, names_) << '\n';
    log.clear();
  }

 private:
  std::ostream& out_;
  std::vector<std::string> names_;
};

}  // namespace

int run_command(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--seed", "N", "override the scenario's seed"},
      {"--until", "DURATION", "simulate until this time instead of the scenario's `until`"},
      {"--trace", nullptr, "print the text trace to stderr"},
      {"--trace-out", "FILE", "write the text trace to FILE"},
      {"--export-metrics", "FILE", "write the run's metrics as Prometheus text exposition to FILE"},
      {"--export-trace", "FILE", "write every client request's spans (client -> balancer -> server, client -> lock service / Raft leader -> followers, parent links in args) as Chrome Trace Event JSON to FILE"},
      {"--export-csv", "FILE", "write a CSV time series (500 samples over the run, at least 1 ms apart) to FILE"},
      {"--serve-metrics", "HOST:PORT", "serve /metrics (Prometheus text) while the run goes on in real time; port 0 picks one"},
      {"--speed", "X", "with --serve-metrics: simulated seconds per wall second (default 1)"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "run", error);
  if (parsed->help) {
    io.out << format_help(
        "dsplay run SCENARIO.json [options]",
        "Builds the scenario's world, runs it until its `until` time and prints a JSON\n"
        "summary: events, simulated time, trace hash, message counts, violations and the\n"
        "results of the token lock, the hash ring, the cache and load balancing (per-server\n"
        "counts, drops, latency percentiles, imbalance) when the scenario has them.\n"
        "The same scenario and seed always give the same trace hash.\n"
        "With --serve-metrics the run is paced to the wall clock (--speed) and keeps serving\n"
        "its final metrics after the end until interrupted (Ctrl-C); the summary follows.\n"
        "Exit 0 ok, 1 a checker found a violation, 2 bad input. SCENARIO \"-\" reads stdin.",
        specs);
    return kExitOk;
  }
  if (parsed->positional.size() != 1) {
    return fail_bad_input(io, "run", parsed->positional.empty()
                                         ? "expected one scenario file"
                                         : parsed->positional[1] + ": unexpected argument (one scenario file only)");
  }
  const auto seed = flag_u64(*parsed, "--seed", 0, UINT64_MAX, error);
  if (!error.empty()) return fail_bad_input(io, "run", error);
  const auto until = flag_duration_us(*parsed, "--until", error);
  if (!error.empty()) return fail_bad_input(io, "run", error);
  if (parsed->has("--trace") && parsed->has("--trace-out")) {
    return fail_bad_input(io, "run", "--trace-out: cannot be combined with --trace");
  }
  double speed = 1.0;
  if (parsed->has("--speed")) {
    if (!parsed->has("--serve-metrics")) return fail_bad_input(io, "run", "--speed: only with --serve-metrics");
    const std::string& text = parsed->values.at("--speed");
    char* end = nullptr;
    speed = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(speed > 0) || speed > 1e9)
      return fail_bad_input(io, "run", "--speed: expected a positive number, got '" + text + "'");
  }
#if DSPLAY_HAS_METRICS_SERVER
  std::unique_ptr<metrics_server::MetricsServer> server;
  if (parsed->has("--serve-metrics")) {
    server = metrics_server::MetricsServer::listen(parsed->values.at("--serve-metrics"), error);
    if (!server) return fail_bad_input(io, "run", "--serve-metrics: " + error);
  }
#else
  if (parsed->has("--serve-metrics")) return fail_bad_input(io, "run", "--serve-metrics: not available in this build (native CLI only)");
#endif

  std::vector<std::string> errors;
  auto scenario = load_scenario_file(parsed->positional[0], io, errors);
  if (!scenario) {
    for (const auto& line : errors) io.err << line << "\n";
    return kExitBadInput;
  }
  if (seed) scenario->config.seed = *seed;
  const SimTimeUs until_us = until.value_or(scenario->until_us);

  std::ofstream trace_file;
  std::ostream* trace_out = nullptr;
  if (parsed->has("--trace")) trace_out = &io.err;
  if (parsed->has("--trace-out")) {
    const std::string& path = parsed->values.at("--trace-out");
    trace_file.open(path, std::ios::binary | std::ios::trunc);
    if (!trace_file) return fail_bad_input(io, "run", "--trace-out: cannot write " + path);
    trace_out = &trace_file;
  }

  // Export files are opened before the run so a bad path fails fast.
  struct ExportFile {
    const char* flag;
    std::ofstream file;
  };
  std::vector<ExportFile> exports;
  for (const char* flag : {"--export-metrics", "--export-trace", "--export-csv"}) {
    exports.push_back({flag, {}});
    if (!parsed->has(flag)) continue;
    const std::string& path = parsed->values.at(flag);
    exports.back().file.open(path, std::ios::binary | std::ios::trunc);
    if (!exports.back().file) return fail_bad_input(io, "run", std::string(flag) + ": cannot write " + path);
  }
  const bool exporting = parsed->has("--export-metrics") || parsed->has("--export-trace") ||
                         parsed->has("--export-csv") || parsed->has("--serve-metrics");
  RunRecorder recorder(std::max<SimTimeUs>(kUsPerMs, until_us / 500), 0);  // spans: --export-trace has its own

  World world = make_world(*scenario);
  // --export-trace: every client request's spans, propagated hop to hop (core/monitor/request_tracing.hpp).
  std::optional<monitor::RequestTraceCollector> request_traces;
  if (parsed->has("--export-trace")) request_traces.emplace(monitor::request_tracing_setup(world));
  if (exporting) {
    // Step by step, feeding the records to the recorder (and to the text trace if asked).
    std::optional<TraceWriter> writer;
    if (trace_out != nullptr) writer.emplace(*trace_out);
    TraceLog log;
    const auto consume = [&] {
      recorder.observe(world, log);
      if (request_traces) request_traces->observe(log);
      if (writer) writer->flush(world, log);
      log.clear();
    };
    world.run_until(0, &log);
    consume();
#if DSPLAY_HAS_METRICS_SERVER
    // Serving: simulated time follows the wall clock x speed; scrapes are answered between steps.
    using Clock = std::chrono::steady_clock;
    const Clock::time_point started = Clock::now();
    const auto metrics_now = [&] { return recorder.prometheus_text(world); };
    if (server) {
      io.err << "dsplay run: serving http://" << server->address() << "/metrics (" << speed
             << "x real time; Ctrl-C stops)" << std::endl;
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
    }
#endif
    while (world.next_event_time_us() <= until_us) {
#if DSPLAY_HAS_METRICS_SERVER
      if (server) {
        if (g_interrupted) break;
        const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
        const auto paced_us = static_cast<SimTimeUs>(std::min(wall_s * speed * 1e6, static_cast<double>(until_us)));
        if (world.next_event_time_us() > paced_us) {
          server->poll(metrics_now, 10);
          continue;
        }
      }
#endif
      recorder.sample_until(world, world.next_event_time_us() - 1);
      // step_until, not step: the queue's next entry may be a cancelled timer, and step() would
      // skip it and run a live event past `until`.
      if (!world.step_until(until_us, &log)) break;
      consume();
    }
#if DSPLAY_HAS_METRICS_SERVER
    if (server && !g_interrupted) {
      // The rest of the run has no events: let the clock reach `until` in real time too.
      while (!g_interrupted) {
        const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
        if (wall_s * speed * 1e6 >= static_cast<double>(until_us)) break;
        server->poll(metrics_now, 10);
      }
    }
    if (!g_interrupted) {
#endif
      world.run_until(until_us, &log);
      consume();
      recorder.sample_until(world, until_us);
#if DSPLAY_HAS_METRICS_SERVER
    }
    if (server) {
      if (!g_interrupted) {
        io.err << "dsplay run: finished at " << format_duration(world.now_us())
               << "; serving the final metrics until interrupted" << std::endl;
        while (!g_interrupted) server->poll(metrics_now, 100);
      }
      std::signal(SIGINT, SIG_DFL);
      std::signal(SIGTERM, SIG_DFL);
      io.err << "dsplay run: interrupted at " << format_duration(world.now_us()) << "; " << server->scrapes()
             << " scrapes answered" << std::endl;
    }
#endif
    if (trace_out != nullptr) trace_out->flush();
    if (trace_file.is_open() && !trace_file) return fail_bad_input(io, "run", "--trace-out: write failed");
    if (exports[0].file.is_open()) exports[0].file << recorder.prometheus_text(world);
    if (exports[1].file.is_open()) exports[1].file << request_traces->chrome_trace_json();
    if (exports[2].file.is_open()) exports[2].file << recorder.csv();
    for (ExportFile& e : exports) {
      if (!e.file.is_open()) continue;
      e.file.flush();
      if (!e.file) return fail_bad_input(io, "run", std::string(e.flag) + ": write failed");
    }
    if (request_traces && request_traces->traces_dropped() > 0)
      io.err << "dsplay run: --export-trace: kept " << request_traces->traces_kept() << " request traces (200000 spans), dropped "
             << request_traces->traces_dropped() << "\n";
  } else if (trace_out == nullptr) {
    world.run_until(until_us);
  } else {
    // Step by step so the trace streams out instead of piling up in memory; the run is the same
    // as run_until (a test checks that stepping and run_until give equal trace hashes).
    TraceWriter writer(*trace_out);
    TraceLog log;
    world.run_until(0, &log);  // setup records (event 0) and anything at t = 0
    writer.flush(world, log);
    while (world.step_until(until_us, &log)) writer.flush(world, log);
    world.run_until(until_us, &log);
    writer.flush(world, log);
    trace_out->flush();
    if (trace_file.is_open() && !trace_file) return fail_bad_input(io, "run", "--trace-out: write failed");
  }

  io.out << summary(*scenario, world, until_us).dump(2) << "\n";
  return world.violations().empty() ? kExitOk : kExitViolation;
}

}  // namespace dsplay::cli
