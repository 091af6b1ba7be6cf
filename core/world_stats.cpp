// Named stats of a world (see world_stats.hpp).
#include "core/world_stats.hpp"

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace dsplay {

namespace {

const std::vector<StatInfo> kStats = {
    // the run
    {"time_s", false, "simulated time, seconds"},
    {"events", false, "events processed so far"},
    {"messages.sent", false, "messages put on the wire (duplicates included)"},
    {"messages.delivered", false, "messages delivered"},
    {"messages.dropped", false, "messages lost, blocked by a cut or partition, or sent to a dead node"},
    {"violations", false, "violations found by the checkers (two holders, stale writes, Raft safety, ...)"},
    {"nodes.up", false, "nodes that are up (not crashed, not removed; paused ones count)"},
    {"nodes.down", false, "crashed nodes (not removed)"},
    {"nodes.paused", false, "paused nodes (not removed)"},
    {"node.up", true, "1 if the node is up (not crashed, not removed), else 0"},
    {"node.paused", true, "1 if the node is paused, else 0"},
    {"node.crashes", true, "times the node crashed"},
    // token lock
    {"token.grants", false, "token grants received by clients"},
    {"token.holders", false, "clients that believe they hold the token now (more than 1 = broken)"},
    {"token.queue_length", false, "clients waiting in the (first) coordinator's queue"},
    {"token.epoch", false, "the (first) coordinator's epoch: restarts it survived"},
    {"token.acquisitions", true, "times this token client got the token"},
    {"token.holding", true, "1 if this token client holds the token now"},
    // hash ring and caches
    {"ring.members", false, "cache servers on the ring that are alive"},
    {"ring.points_per_node", false, "virtual points per server"},
    {"ring.moved", false, "keys that changed owner in the last change (add, fail, remove, algorithm)"},
    {"ring.moved_fraction", false, "fraction of the sample keys that moved in the last change"},
    {"ring.moved_elsewhere", false, "keys that moved in the last change but not to the added node (nor from the removed one)"},
    {"ring.points", false, "virtual points on the ring, all servers together"},
    {"ring.ideal_fraction", false, "what a perfect scheme moves: 1/(n+1) on add, 1/n on removal"},
    {"ring.load_max_over_mean", false, "keys of the busiest alive server / the mean (1 = perfect balance)"},
    {"ring.load_stddev_over_mean", false, "standard deviation of keys per alive server / the mean"},
    {"ring.keys", true, "sample keys this cache server owns"},
    {"cache.hits", false, "cache hits seen by clients"},
    {"cache.misses", false, "cache misses seen by clients"},
    {"cache.hit_rate", false, "hits / (hits + misses) seen by clients since the start"},
    // load balancing
    {"lb.arrived", false, "requests that reached the balancer"},
    {"lb.completed", false, "requests served"},
    {"lb.dropped", false, "requests dropped because a server's queue was full"},
    {"lb.failed", false, "requests refused by a down server or lost in a crash"},
    {"lb.no_server", false, "requests with no server in rotation"},
    {"lb.p50_ms", false, "median latency of every completed request, ms"},
    {"lb.p90_ms", false, "90th percentile latency, ms"},
    {"lb.p99_ms", false, "99th percentile latency, ms"},
    {"lb.max_ms", false, "slowest request, ms"},
    {"lb.mean_ms", false, "mean latency, ms"},
    {"lb.window_p99_ms", false, "99th percentile latency of the last closed metrics window (1 s), ms"},
    {"lb.window_dropped", false, "requests dropped in the last closed metrics window"},
    {"lb.imbalance", false, "requests dispatched to the busiest server / the mean (servers not removed)"},
    {"lb.moved_fraction", false, "fraction of keys that moved in the balancer's last placement change"},
    {"lb.moved_elsewhere", false, "keys that moved in that change between servers in rotation before and after (churn)"},
    {"lb.in_rotation", false, "servers the balancer sends requests to"},
    {"lb.algo", false, "the balancer's algorithm (the lb.algo parameter's number)"},
    {"lb.dispatched", true, "requests sent to this server"},
    {"lb.share", true, "this server's fraction of all dispatched requests"},
    {"lb.served", true, "requests this server completed"},
    {"lb.server_dropped", true, "requests dropped at this server (queue full)"},
    {"lb.queue", true, "requests waiting in this server's queue now"},
    {"lb.active", true, "requests at this server now (in transit, queued or in service)"},
    {"lb.mean_latency_ms", true, "mean latency of the requests this server completed, ms"},
    {"lb.mean_wait_ms", true, "mean time the requests this server completed waited in its queue, ms"},
    {"lb.mean_service_ms", true, "mean time this server worked on its completed requests (latency - hops - queue wait), ms"},
    {"lb.hops_ms", false, "network time of every request: client -> balancer + balancer -> server, ms"},
    // Raft
    {"raft.leaders", false, "Raft servers that are up and believe they lead (2 during a partition is possible)"},
    {"raft.term", false, "highest term among the Raft servers that are up"},
    {"raft.elections", false, "elections started by all servers together"},
    {"raft.committed", false, "entries the checker has seen committed"},
    {"raft.commit_index", false, "highest commit index among the servers that are up"},
    {"raft.is_leader", true, "1 if this server is up and believes it leads"},
    {"raft.node_term", true, "this server's current term"},
    {"raft.log_length", true, "entries in this server's log"},
    {"raft.commit", true, "this server's commit index"},
    {"raft.acquisitions", true, "locks this Raft client acquired"},
    {"raft.puts_acked", true, "puts of this Raft client that committed"},
    {"raft.token", true, "fencing token of the lock this client holds (or held last)"},
    {"raft.holding", true, "1 if this Raft client holds a lock now"},
    // the lock family (core/locks/)
    {"lock.holders", false, "lock clients (ticket, queue, Redis, Redlock) inside their critical section now"},
    {"lock.acquisitions", true, "times this lock client got the lock"},
    {"lock.holding", true, "1 if this lock client is inside its critical section now"},
    {"lock.token", true, "the fencing token of this client's current (or last) grant"},
    {"lock.writes_rejected", true, "writes of this client the storage refused (stale fencing token)"},
    {"lock.max_wait_ms", true, "ticket lock: this client's longest wait from ticket to grant, ms"},
    {"lock.wakeups", false, "queue lock: waiters woken by a watch, in total"},
    {"lock.releases", false, "queue lock: entries deleted or expired (releases)"},
    {"lock.last_release_wakeups", false, "queue lock: waiters the last release woke"},
    {"lock.sessions_expired", false, "queue lock: sessions the coordination service expired"},
    {"storage.accepted", false, "writes the storage node accepted"},
    {"storage.rejected", false, "writes the storage node refused (fencing token lower than one it has seen)"},
    {"storage.highest_token", false, "the highest fencing token the storage node has accepted"},
    // monitoring (core/monitor/): quantile estimates of every completed request's latency, and the
    // anomaly detectors over each server's metrics windows (monitor::ServerWatch in the lb sim)
    {"mon.p50_true_ms", false, "p50 latency of every completed request (HDR histogram: within 1 %), ms"},
    {"mon.p50_prom_ms", false, "p50 as Prometheus estimates it: histogram_quantile over the default buckets, ms"},
    {"mon.p50_prom_error_pct", false, "(Prometheus p50 - true p50) / true p50, percent"},
    {"mon.p90_true_ms", false, "p90 latency of every completed request (HDR histogram: within 1 %), ms"},
    {"mon.p90_prom_ms", false, "p90 as Prometheus estimates it: histogram_quantile over the default buckets, ms"},
    {"mon.p90_prom_error_pct", false, "(Prometheus p90 - true p90) / true p90, percent"},
    {"mon.p95_true_ms", false, "p95 latency of every completed request (HDR histogram: within 1 %), ms"},
    {"mon.p95_prom_ms", false, "p95 as Prometheus estimates it: histogram_quantile over the default buckets, ms"},
    {"mon.p95_prom_error_pct", false, "(Prometheus p95 - true p95) / true p95, percent"},
    {"mon.p99_true_ms", false, "p99 latency of every completed request (HDR histogram: within 1 %), ms"},
    {"mon.p99_prom_ms", false, "p99 as Prometheus estimates it: histogram_quantile over the default buckets, ms"},
    {"mon.p99_prom_error_pct", false, "(Prometheus p99 - true p99) / true p99, percent"},
    {"mon.p95_bucket_low_ms", false, "lower bound of the Prometheus bucket holding the p95, ms"},
    {"mon.p95_bucket_high_ms", false, "upper bound of the Prometheus bucket holding the p95, ms"},
    {"mon.windows", false, "metrics windows the detectors have seen"},
    {"mon.degraded_since_s", false, "end of the first window in which some server was degraded (slowed, paused, down), s; -1 never"},
    {"mon.first_flag_s", false, "end of the first window any detector flagged, s; -1 never"},
    {"mon.first_detector", false, "the detector that first flagged a degraded server: 0 threshold, 1 ewma, 2 mad, 3 holt_winters, 4 rls, 5 peer; -1 none"},
    {"mon.flagged_windows", true, "windows of this server flagged by at least one detector"},
    {"mon.threshold.first_flag_s", false, "the static threshold (mean + 6 sd of each server's first 10 windows): end of its first flagged window, any server, s; -1 never"},
    {"mon.threshold.first_true_flag_s", false, "the static threshold (mean + 6 sd of each server's first 10 windows): its first flag on a degraded server, s; -1 never"},
    {"mon.threshold.detect_delay_s", false, "the static threshold (mean + 6 sd of each server's first 10 windows): first true flag - mon.degraded_since_s, s (0: the first degraded window); -1 never"},
    {"mon.threshold.true_flags", false, "the static threshold (mean + 6 sd of each server's first 10 windows): server-windows it flagged while the server was degraded (or draining, 5 windows)"},
    {"mon.threshold.false_alarms", false, "the static threshold (mean + 6 sd of each server's first 10 windows): server-windows it flagged on healthy servers"},
    {"mon.threshold.server_flags", true, "the static threshold (mean + 6 sd of each server's first 10 windows): windows of this server it flagged"},
    {"mon.ewma.first_flag_s", false, "EWMA z-score: end of its first flagged window, any server, s; -1 never"},
    {"mon.ewma.first_true_flag_s", false, "EWMA z-score: its first flag on a degraded server, s; -1 never"},
    {"mon.ewma.detect_delay_s", false, "EWMA z-score: first true flag - mon.degraded_since_s, s (0: the first degraded window); -1 never"},
    {"mon.ewma.true_flags", false, "EWMA z-score: server-windows it flagged while the server was degraded (or draining, 5 windows)"},
    {"mon.ewma.false_alarms", false, "EWMA z-score: server-windows it flagged on healthy servers"},
    {"mon.ewma.server_flags", true, "EWMA z-score: windows of this server it flagged"},
    {"mon.mad.first_flag_s", false, "median/MAD of each server's last 40 windows: end of its first flagged window, any server, s; -1 never"},
    {"mon.mad.first_true_flag_s", false, "median/MAD of each server's last 40 windows: its first flag on a degraded server, s; -1 never"},
    {"mon.mad.detect_delay_s", false, "median/MAD of each server's last 40 windows: first true flag - mon.degraded_since_s, s (0: the first degraded window); -1 never"},
    {"mon.mad.true_flags", false, "median/MAD of each server's last 40 windows: server-windows it flagged while the server was degraded (or draining, 5 windows)"},
    {"mon.mad.false_alarms", false, "median/MAD of each server's last 40 windows: server-windows it flagged on healthy servers"},
    {"mon.mad.server_flags", true, "median/MAD of each server's last 40 windows: windows of this server it flagged"},
    {"mon.holt_winters.first_flag_s", false, "Holt-Winters: end of its first flagged window, any server, s; -1 never"},
    {"mon.holt_winters.first_true_flag_s", false, "Holt-Winters: its first flag on a degraded server, s; -1 never"},
    {"mon.holt_winters.detect_delay_s", false, "Holt-Winters: first true flag - mon.degraded_since_s, s (0: the first degraded window); -1 never"},
    {"mon.holt_winters.true_flags", false, "Holt-Winters: server-windows it flagged while the server was degraded (or draining, 5 windows)"},
    {"mon.holt_winters.false_alarms", false, "Holt-Winters: server-windows it flagged on healthy servers"},
    {"mon.holt_winters.server_flags", true, "Holt-Winters: windows of this server it flagged"},
    {"mon.rls.first_flag_s", false, "RLS regression of latency on load: end of its first flagged window, any server, s; -1 never"},
    {"mon.rls.first_true_flag_s", false, "RLS regression of latency on load: its first flag on a degraded server, s; -1 never"},
    {"mon.rls.detect_delay_s", false, "RLS regression of latency on load: first true flag - mon.degraded_since_s, s (0: the first degraded window); -1 never"},
    {"mon.rls.true_flags", false, "RLS regression of latency on load: server-windows it flagged while the server was degraded (or draining, 5 windows)"},
    {"mon.rls.false_alarms", false, "RLS regression of latency on load: server-windows it flagged on healthy servers"},
    {"mon.rls.server_flags", true, "RLS regression of latency on load: windows of this server it flagged"},
    {"mon.peer.first_flag_s", false, "peer comparison (each server against the median/MAD of all servers in the same window): end of its first flagged window, any server, s; -1 never"},
    {"mon.peer.first_true_flag_s", false, "peer comparison (each server against the median/MAD of all servers in the same window): its first flag on a degraded server, s; -1 never"},
    {"mon.peer.detect_delay_s", false, "peer comparison (each server against the median/MAD of all servers in the same window): first true flag - mon.degraded_since_s, s (0: the first degraded window); -1 never"},
    {"mon.peer.true_flags", false, "peer comparison (each server against the median/MAD of all servers in the same window): server-windows it flagged while the server was degraded (or draining, 5 windows)"},
    {"mon.peer.false_alarms", false, "peer comparison (each server against the median/MAD of all servers in the same window): server-windows it flagged on healthy servers"},
    {"mon.peer.server_flags", true, "peer comparison (each server against the median/MAD of all servers in the same window): windows of this server it flagged"},
    // parameters
    {"param.<name>", false, "the current value of a world parameter (see `set` in SCENARIO_FORMAT.md), e.g. param.ring.points_per_node"},
};

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

double ms(std::int64_t us) { return static_cast<double>(us) / 1000.0; }

const Node* node_named(const World& world, std::string_view name, std::string& error) {
  const auto id = world.find_node(name);
  if (!id) {
    error = "no node named \"" + std::string(name) + "\"";
    return nullptr;
  }
  return &world.nodes()[*id];
}

template <class P>
const P* process_named(const World& world, std::string_view name, const char* what, std::string& error) {
  const Node* node = node_named(world, name, error);
  if (!node) return nullptr;
  const P* p = std::get_if<P>(&node->process);
  if (!p) error = "\"" + std::string(name) + "\" is not a " + what;
  return p;
}

std::optional<double> lb_stat(const World& world, std::string_view stat, std::string_view node, std::string& error) {
  const balance::LoadBalancerSim* sim = world.lb();
  if (!sim) {
    error = "this world has no load balancer";
    return std::nullopt;
  }
  const balance::LbTotals& t = sim->totals();
  if (stat == "lb.arrived") return static_cast<double>(t.arrivals);
  if (stat == "lb.completed") return static_cast<double>(t.completed);
  if (stat == "lb.dropped") return static_cast<double>(t.dropped);
  if (stat == "lb.failed") return static_cast<double>(t.failed);
  if (stat == "lb.no_server") return static_cast<double>(t.no_server);
  if (stat == "lb.p50_ms") return ms(sim->latency().value_at_quantile(0.50));
  if (stat == "lb.p90_ms") return ms(sim->latency().value_at_quantile(0.90));
  if (stat == "lb.p99_ms") return ms(sim->latency().value_at_quantile(0.99));
  if (stat == "lb.max_ms") return ms(sim->latency().max());
  if (stat == "lb.mean_ms") return sim->latency().mean() / 1000.0;
  if (stat == "lb.window_p99_ms" || stat == "lb.window_dropped") {
    if (sim->window_count() == 0) return 0.0;
    const balance::LbWindow& w = sim->window(sim->window_count() - 1);
    return stat == "lb.window_p99_ms" ? ms(w.p99_us) : static_cast<double>(w.dropped);
  }
  if (stat == "lb.imbalance") {
    std::vector<std::uint64_t> dispatched;
    for (const balance::LbServer& s : sim->servers())
      if (!s.removed) dispatched.push_back(s.dispatched);
    return balance::lb_imbalance(dispatched).max_over_mean;
  }
  if (stat == "lb.moved_fraction") {
    const balance::LbPlacement* p = sim->placement();
    if (!p || p->remap.keys == 0) return 0.0;
    return static_cast<double>(p->remap.moved) / static_cast<double>(p->remap.keys);
  }
  if (stat == "lb.moved_elsewhere") {
    const balance::LbPlacement* p = sim->placement();
    return p ? static_cast<double>(p->remap.moved_elsewhere) : 0.0;
  }
  if (stat == "lb.in_rotation") {
    double n = 0;
    for (const balance::LbServer& s : sim->servers()) n += (s.in_rotation && !s.removed) ? 1 : 0;
    return n;
  }
  if (stat == "lb.algo") return static_cast<double>(static_cast<int>(sim->algo()));
  const SimTimeUs hops_us = sim->config().client_hop_us + sim->config().server_hop_us;
  if (stat == "lb.hops_ms") return ms(hops_us);
  // per server
  const std::uint32_t index = sim->find_server(node);
  if (index == balance::LoadBalancerSim::kNone) {
    error = "\"" + std::string(node) + "\" is not a server behind the balancer";
    return std::nullopt;
  }
  const balance::LbServer& s = sim->servers()[index];
  if (stat == "lb.dispatched") return static_cast<double>(s.dispatched);
  if (stat == "lb.share") {
    std::uint64_t total = 0;
    for (const balance::LbServer& other : sim->servers()) total += other.dispatched;
    return total == 0 ? 0.0 : static_cast<double>(s.dispatched) / static_cast<double>(total);
  }
  if (stat == "lb.served") return static_cast<double>(s.served);
  if (stat == "lb.server_dropped") return static_cast<double>(s.dropped);
  if (stat == "lb.queue") return static_cast<double>(s.queue.size());
  if (stat == "lb.active") return static_cast<double>(s.active);
  if (stat == "lb.mean_latency_ms") return s.served ? ms(static_cast<std::int64_t>(s.latency_sum_us / s.served)) : 0.0;
  if (stat == "lb.mean_wait_ms") return s.served ? static_cast<double>(s.wait_sum_us) / static_cast<double>(s.served) / 1000.0 : 0.0;
  if (stat == "lb.mean_service_ms") {
    if (s.served == 0) return 0.0;
    const double latency = static_cast<double>(s.latency_sum_us) / static_cast<double>(s.served);
    const double wait = static_cast<double>(s.wait_sum_us) / static_cast<double>(s.served);
    return (latency - wait - static_cast<double>(hops_us)) / 1000.0;
  }
  error = "unknown stat \"" + std::string(stat) + "\"";
  return std::nullopt;
}

double seconds_or_minus_one(std::int64_t us) { return us < 0 ? -1.0 : static_cast<double>(us) / 1e6; }

std::optional<double> mon_stat(const World& world, std::string_view stat, std::string_view node, std::string& error) {
  const balance::LoadBalancerSim* sim = world.lb();
  if (!sim) {
    error = "this world has no load balancer (the monitoring watches its requests and servers)";
    return std::nullopt;
  }
  // Quantiles: mon.pQQ_true_ms, mon.pQQ_prom_ms, mon.pQQ_prom_error_pct, mon.p95_bucket_*.
  if (stat.size() > 7 && stat[4] == 'p' && stat[5] >= '0' && stat[5] <= '9') {
    const double q = static_cast<double>((stat[5] - '0') * 10 + (stat[6] - '0')) / 100.0;
    const std::string_view what = stat.substr(8);
    const double truth_ms = ms(sim->latency().value_at_quantile(q));
    const monitor::PromHistogram& prom = sim->latency_prom();
    const double prom_ms = prom.count() == 0 ? 0.0 : prom.quantile(q) * 1000.0;
    if (what == "true_ms") return truth_ms;
    if (what == "prom_ms") return prom_ms;
    if (what == "prom_error_pct") return truth_ms > 0 ? (prom_ms - truth_ms) / truth_ms * 100.0 : 0.0;
    if (what == "bucket_low_ms" || what == "bucket_high_ms") {
      const std::vector<monitor::PromBucket> buckets = prom.cumulative_buckets();
      const double rank = q * static_cast<double>(prom.count());
      double low = 0;
      for (const monitor::PromBucket& b : buckets) {
        if (prom.count() > 0 && b.cumulative_count >= rank) return (what == "bucket_low_ms" ? low : b.upper_bound) * 1000.0;
        low = b.upper_bound;
      }
      return 0.0;
    }
  }
  const monitor::ServerWatch& watch = sim->watch();
  if (stat == "mon.windows") return static_cast<double>(watch.windows());
  if (stat == "mon.degraded_since_s") return seconds_or_minus_one(watch.first_degraded_us());
  if (stat == "mon.first_detector") return static_cast<double>(watch.first_detector());
  if (stat == "mon.first_flag_s") {
    std::int64_t first = -1;
    for (const monitor::WatchScore& score : watch.scores())
      if (score.first_flag_us >= 0 && (first < 0 || score.first_flag_us < first)) first = score.first_flag_us;
    return seconds_or_minus_one(first);
  }
  const bool per_server = stat == "mon.flagged_windows" || stat.ends_with(".server_flags");
  std::uint32_t server = balance::LoadBalancerSim::kNone;
  if (per_server) {
    server = sim->find_server(node);
    if (server == balance::LoadBalancerSim::kNone) {
      error = "\"" + std::string(node) + "\" is not a server behind the balancer";
      return std::nullopt;
    }
  }
  if (stat == "mon.flagged_windows") {
    double flagged = 0;
    for (std::size_t i = 0; i < sim->window_count(); ++i) {
      const balance::LbWindow& w = sim->window(i);
      flagged += (server < w.servers.size() && w.servers[server].detector_flags != 0) ? 1 : 0;
    }
    return flagged;
  }
  for (std::size_t d = 0; d < monitor::kWatchDetectors; ++d) {
    const std::string prefix = "mon." + std::string(monitor::watch_detector_name(d)) + ".";
    if (!starts_with(stat, prefix)) continue;
    const std::string_view what = stat.substr(prefix.size());
    const monitor::WatchScore& score = watch.scores()[d];
    if (what == "first_flag_s") return seconds_or_minus_one(score.first_flag_us);
    if (what == "first_true_flag_s") return seconds_or_minus_one(score.first_true_flag_us);
    if (what == "detect_delay_s") {
      if (score.first_true_flag_us < 0 || watch.first_degraded_us() < 0) return -1.0;
      return static_cast<double>(score.first_true_flag_us - watch.first_degraded_us()) / 1e6;
    }
    if (what == "true_flags") return static_cast<double>(score.true_flags);
    if (what == "false_alarms") return static_cast<double>(score.false_alarms);
    if (what == "server_flags") return static_cast<double>(watch.server_flags(server, d));
  }
  error = "unknown stat \"" + std::string(stat) + "\"";
  return std::nullopt;
}

// Every lock client shares LockClientBase: one visit covers ticket, queue, Redis and Redlock clients.
template <class F>
bool with_lock_client(const Node& node, F&& f) {
  return std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, TicketClient> || std::is_same_v<P, QueueLockClient> || std::is_same_v<P, RedisLockClient> ||
                      std::is_same_v<P, RedlockClient>) {
          f(p);
          return true;
        } else {
          return false;
        }
      },
      node.process);
}

std::optional<double> lock_stat(const World& world, std::string_view stat, std::string_view node, std::string& error) {
  if (stat == "lock.holders") {
    double holders = 0;
    for (const Node& n : world.nodes()) {
      if (!n.up || n.removed) continue;
      with_lock_client(n, [&](const auto& c) { holders += c.critical_section().inside ? 1 : 0; });
    }
    return holders;
  }
  if (stat == "lock.wakeups" || stat == "lock.releases" || stat == "lock.last_release_wakeups" || stat == "lock.sessions_expired") {
    for (const Node& n : world.nodes()) {
      if (const auto* zk = std::get_if<CoordService>(&n.process)) {
        if (stat == "lock.wakeups") return static_cast<double>(zk->wakeups());
        if (stat == "lock.releases") return static_cast<double>(zk->releases());
        if (stat == "lock.last_release_wakeups") return static_cast<double>(zk->last_release_wakeups());
        return static_cast<double>(zk->sessions_expired());
      }
    }
    error = "this world has no coordination service (role coord_service)";
    return std::nullopt;
  }
  const Node* n = node_named(world, node, error);
  if (!n) return std::nullopt;
  if (stat == "lock.max_wait_ms") {
    if (const auto* t = std::get_if<TicketClient>(&n->process)) return static_cast<double>(t->max_wait_us()) / 1000.0;
    error = "\"" + std::string(node) + "\" is not a ticket-lock client";
    return std::nullopt;
  }
  std::optional<double> out;
  const bool is_client = with_lock_client(*n, [&](const auto& c) {
    if (stat == "lock.acquisitions") out = static_cast<double>(c.entries());
    else if (stat == "lock.holding") out = (n->up && c.critical_section().inside) ? 1.0 : 0.0;
    else if (stat == "lock.token") out = static_cast<double>(c.token());
    else if (stat == "lock.writes_rejected") out = static_cast<double>(c.writes_rejected());
  });
  if (!is_client) error = "\"" + std::string(node) + "\" is not a lock client (ticket, queue, Redis or Redlock)";
  return out;
}

std::optional<double> raft_stat(const World& world, std::string_view stat, std::string_view node, std::string& error) {
  if (stat == "raft.committed") return static_cast<double>(world.raft_checker().committed_length());
  const bool per_node = stat == "raft.is_leader" || stat == "raft.node_term" || stat == "raft.log_length" || stat == "raft.commit";
  if (per_node) {
    const Node* n = node_named(world, node, error);
    if (!n) return std::nullopt;
    const RaftNode* r = std::get_if<RaftNode>(&n->process);
    if (!r) {
      error = "\"" + std::string(node) + "\" is not a Raft server";
      return std::nullopt;
    }
    if (stat == "raft.is_leader") return (n->up && r->is_leader()) ? 1.0 : 0.0;
    if (stat == "raft.node_term") return static_cast<double>(r->term());
    if (stat == "raft.log_length") return static_cast<double>(r->log().last_index());
    return static_cast<double>(r->commit_index());
  }
  if (stat == "raft.acquisitions" || stat == "raft.puts_acked" || stat == "raft.token" || stat == "raft.holding") {
    const RaftClient* c = process_named<RaftClient>(world, node, "Raft client", error);
    if (!c) return std::nullopt;
    if (stat == "raft.acquisitions") return static_cast<double>(c->acquisitions());
    if (stat == "raft.puts_acked") return static_cast<double>(c->puts_acked());
    if (stat == "raft.token") return static_cast<double>(c->token());
    return c->holds() ? 1.0 : 0.0;
  }
  bool any = false;
  double leaders = 0, term = 0, elections = 0, commit = 0;
  for (const Node& n : world.nodes()) {
    const RaftNode* r = std::get_if<RaftNode>(&n.process);
    if (!r || n.removed) continue;
    any = true;
    elections += static_cast<double>(r->elections_started());
    if (!n.up) continue;
    leaders += r->is_leader() ? 1 : 0;
    term = std::max(term, static_cast<double>(r->term()));
    commit = std::max(commit, static_cast<double>(r->commit_index()));
  }
  if (!any) {
    error = "this world has no Raft servers";
    return std::nullopt;
  }
  if (stat == "raft.leaders") return leaders;
  if (stat == "raft.term") return term;
  if (stat == "raft.elections") return elections;
  if (stat == "raft.commit_index") return commit;
  error = "unknown stat \"" + std::string(stat) + "\"";
  return std::nullopt;
}

}  // namespace

const std::vector<StatInfo>& world_stat_list() { return kStats; }

const StatInfo* find_world_stat(std::string_view stat) {
  if (starts_with(stat, "param.")) {
    const std::string_view name = stat.substr(6);
    const auto& params = world_params();
    if (std::none_of(params.begin(), params.end(), [&](const ParamInfo& p) { return name == p.name; })) return nullptr;
    return &kStats.back();
  }
  for (const StatInfo& info : kStats)
    if (stat == info.name) return &info;
  return nullptr;
}

std::optional<std::int64_t> world_param_value(const World& world, std::string_view name) {
  const LinkConfig& net = world.network().defaults;
  const WorldConfig& config = world.config();
  const RingConfig& ring = world.ring().config;
  if (name == "net.latency_kind") return static_cast<std::int64_t>(net.latency.kind);
  if (name == "net.latency_min_us") return net.latency.min_us;
  if (name == "net.latency_max_us") return net.latency.max_us;
  if (name == "net.tail_percent") return net.latency.tail_percent;
  if (name == "net.loss_ppm") return net.loss_ppm;
  if (name == "net.duplicate_ppm") return net.duplicate_ppm;
  if (name == "net.reorder_ppm") return net.reorder_ppm;
  if (name == "net.reorder_window_us") return net.reorder_window_us;
  if (name == "token.hold_us") return config.token_lock.hold_us;
  if (name == "token.think_us") return config.token_lock.think_us;
  if (name == "token.retry_us") return config.token_lock.retry_us;
  if (name == "token.auto_acquire") return config.token_lock.auto_acquire ? 1 : 0;
  if (name == "ring.algo") return static_cast<std::int64_t>(ring.algo);
  if (name == "ring.points_per_node") return ring.points_per_node;
  if (name == "ring.keys") return ring.key_count;
  if (name == "cache.request_interval_us") return config.cache.request_interval_us;
  const LocksConfig& locks = config.locks;
  if (name == "token.durable") return config.token_lock.durable ? 1 : 0;
  if (name == "locks.hold_us") return locks.hold_us;
  if (name == "locks.think_us") return locks.think_us;
  if (name == "locks.retry_us") return locks.retry_us;
  if (name == "locks.auto_acquire") return locks.auto_acquire ? 1 : 0;
  if (name == "locks.write") return locks.write ? 1 : 0;
  if (name == "locks.ttl_us") return locks.ttl_us;
  if (name == "locks.redis_variant") return static_cast<std::int64_t>(locks.redis_variant);
  if (name == "locks.redlock_fenced") return locks.redlock_fenced ? 1 : 0;
  if (name == "locks.queue_watch") return static_cast<std::int64_t>(locks.queue_watch);
  if (name == "locks.session_timeout_us") return locks.session_timeout_us;
  if (name == "locks.storage_fenced") return locks.storage_fenced ? 1 : 0;
  if (name == "raft.election_timeout_min_us") return config.raft.election_timeout_min_us;
  if (name == "raft.election_timeout_max_us") return config.raft.election_timeout_max_us;
  if (name == "raft.heartbeat_us") return config.raft.heartbeat_us;
  if (name == "raft.session_ttl_us") return config.raft.session_ttl_us;
  if (const balance::LoadBalancerSim* sim = world.lb()) {
    const balance::LbConfig& lb = sim->config();
    if (name == "lb.algo") return static_cast<std::int64_t>(lb.balancer.algo);
    if (name == "lb.rate_per_s") return static_cast<std::int64_t>(lb.workload.rate_milli / 1000);
    if (name == "lb.choices") return lb.balancer.choices;
    if (name == "lb.points_per_node") return lb.balancer.points_per_node;
    if (name == "lb.table_size") return lb.balancer.table_size;
    if (name == "lb.epsilon_permille") return lb.balancer.epsilon_permille;
    if (name == "lb.health_checks") return lb.health.enabled ? 1 : 0;
    if (name == "lb.health_interval_us") return lb.health.interval_us;
    if (name == "lb.health_failures") return lb.health.failures;
    if (name == "lb.service_mean_us") return lb.workload.service.mean_us;
    if (name == "lb.zipf_milli") return lb.workload.zipf_milli;
    if (name == "lb.slow_permille") return lb.slow_speed_permille;
  }
  return std::nullopt;
}

std::optional<double> world_stat(const World& world, std::string_view stat, std::string_view node, std::string& error) {
  const StatInfo* info = find_world_stat(stat);
  if (!info) {
    error = "unknown stat \"" + std::string(stat) + "\"";
    return std::nullopt;
  }
  if (info->per_node && node.empty()) {
    error = std::string(stat) + " needs a node";
    return std::nullopt;
  }
  if (starts_with(stat, "param.")) {
    const auto v = world_param_value(world, stat.substr(6));
    if (!v) {
      error = "parameter " + std::string(stat.substr(6)) + " is not readable in this world";
      return std::nullopt;
    }
    return static_cast<double>(*v);
  }
  if (starts_with(stat, "lb.")) return lb_stat(world, stat, node, error);
  if (starts_with(stat, "mon.")) return mon_stat(world, stat, node, error);
  if (starts_with(stat, "raft.")) return raft_stat(world, stat, node, error);
  if (starts_with(stat, "lock.")) return lock_stat(world, stat, node, error);
  if (starts_with(stat, "storage.")) {
    for (const Node& n : world.nodes()) {
      if (const auto* st = std::get_if<StorageNode>(&n.process)) {
        if (stat == "storage.accepted") return static_cast<double>(st->accepted());
        if (stat == "storage.rejected") return static_cast<double>(st->rejected());
        return static_cast<double>(st->highest_token());
      }
    }
    error = "this world has no storage node";
    return std::nullopt;
  }

  const WorldStats& st = world.stats();
  if (stat == "time_s") return static_cast<double>(world.now_us()) / 1e6;
  if (stat == "events") return static_cast<double>(world.event_count());
  if (stat == "messages.sent") return static_cast<double>(st.sent);
  if (stat == "messages.delivered") return static_cast<double>(st.delivered);
  if (stat == "messages.dropped") return static_cast<double>(st.dropped);
  if (stat == "violations") return static_cast<double>(world.violations().size());
  if (stat == "nodes.up" || stat == "nodes.down" || stat == "nodes.paused") {
    double up = 0, down = 0, paused = 0;
    for (const Node& n : world.nodes()) {
      if (n.removed) continue;
      (n.up ? up : down) += 1;
      paused += n.paused ? 1 : 0;
    }
    return stat == "nodes.up" ? up : stat == "nodes.down" ? down : paused;
  }
  if (stat == "node.up" || stat == "node.paused" || stat == "node.crashes") {
    // Removed nodes are not found by name, but "is it up?" has an answer for them: no.
    for (const Node& n : world.nodes()) {
      if (n.name != node) continue;
      if (stat == "node.up") return (n.up && !n.removed) ? 1.0 : 0.0;
      if (stat == "node.paused") return n.paused ? 1.0 : 0.0;
      return static_cast<double>(n.crashes);
    }
    error = "no node named \"" + std::string(node) + "\"";
    return std::nullopt;
  }
  if (starts_with(stat, "token.")) {
    if (stat == "token.grants") return static_cast<double>(st.token_grants);
    if (stat == "token.holders") {
      double holders = 0;
      for (const Node& n : world.nodes())
        if (const auto* c = std::get_if<TokenClient>(&n.process); c && c->holds() && n.up && !n.removed) holders += 1;
      return holders;
    }
    if (stat == "token.queue_length" || stat == "token.epoch") {
      for (const Node& n : world.nodes()) {
        if (const auto* c = std::get_if<TokenCoordinator>(&n.process)) {
          return stat == "token.epoch" ? static_cast<double>(c->epoch()) : static_cast<double>(c->queue().size());
        }
      }
      error = "this world has no token coordinator";
      return std::nullopt;
    }
    const TokenClient* c = process_named<TokenClient>(world, node, "token client", error);
    if (!c) return std::nullopt;
    if (stat == "token.acquisitions") return static_cast<double>(c->acquisitions());
    return c->holds() ? 1.0 : 0.0;
  }
  if (starts_with(stat, "ring.")) {
    const RingModule& ring = world.ring();
    const RemapReport& remap = ring.last_remap();
    if (stat == "ring.members") {
      double alive = 0;
      for (std::uint8_t a : ring.alive()) alive += a ? 1 : 0;
      return alive;
    }
    if (stat == "ring.points_per_node") return static_cast<double>(ring.config.points_per_node);
    if (stat == "ring.moved") return static_cast<double>(remap.moved);
    if (stat == "ring.moved_fraction") return remap.moved_fraction;
    if (stat == "ring.moved_elsewhere") return static_cast<double>(remap.moved_elsewhere);
    if (stat == "ring.points") return static_cast<double>(ring.ring().points().size());
    if (stat == "ring.ideal_fraction") return remap.ideal_fraction;
    if (stat == "ring.load_max_over_mean") return ring.load_max_over_mean();
    if (stat == "ring.load_stddev_over_mean") return ring.load_stddev_over_mean();
    // ring.keys
    const auto& members = ring.members();
    const auto it = std::find(members.begin(), members.end(), node);
    if (it == members.end()) {
      error = "\"" + std::string(node) + "\" is not on the ring";
      return std::nullopt;
    }
    const auto keys = ring.keys_per_member();
    const auto index = static_cast<std::size_t>(it - members.begin());
    return index < keys.size() ? static_cast<double>(keys[index]) : 0.0;
  }
  if (stat == "cache.hits") return static_cast<double>(st.cache_hits);
  if (stat == "cache.misses") return static_cast<double>(st.cache_misses);
  if (stat == "cache.hit_rate") {
    const std::uint64_t total = st.cache_hits + st.cache_misses;
    return total == 0 ? 0.0 : static_cast<double>(st.cache_hits) / static_cast<double>(total);
  }
  error = "unknown stat \"" + std::string(stat) + "\"";
  return std::nullopt;
}

bool is_node_ref(std::string_view name) { return !name.empty() && name[0] == '@'; }
bool known_node_ref(std::string_view ref) { return ref == "@leader" || ref == "@token_holder"; }

std::string resolve_node_ref(const World& world, std::string_view ref) {
  if (!is_node_ref(ref)) return std::string(ref);
  if (ref == "@leader") {
    const Node* best = nullptr;
    std::uint64_t best_term = 0;
    for (const Node& n : world.nodes()) {
      const RaftNode* r = std::get_if<RaftNode>(&n.process);
      if (!r || !n.up || n.removed || !r->is_leader()) continue;
      if (!best || r->term() > best_term) best = &n, best_term = r->term();
    }
    return best ? best->name : std::string();
  }
  if (ref == "@token_holder") {
    for (const Node& n : world.nodes())
      if (const auto* c = std::get_if<TokenClient>(&n.process); c && c->holds() && n.up && !n.removed) return n.name;
    return {};
  }
  return {};
}

}  // namespace dsplay
