// LoadBalancerSim: requests from clients through one load balancer to a set of servers, as a pure,
// copyable value with its own event queue and random streams. Servers have a concurrency
// (capacity), a speed factor, a bounded queue (arrivals to a full queue are dropped) and a health
// (up / slow / down, plus paused); the balancer is any policy of balancer.hpp or a hash placement
// (ketama, ring, jump, rendezvous, Maglev, bounded loads, modulo) with active health checks
// (interval, failure and success thresholds): a server that fails enough probes leaves the
// rotation and its keys remap, visibly. The workload is open-loop Poisson arrivals at a set rate
// (with scheduled bursts), service demands from an integer-only distribution, and keys with Zipf
// popularity.
//
// Two random streams: the workload stream draws every arrival time, key and service demand in
// arrival order, the balancer stream draws only the policies' random choices. So two simulations
// with the same seed and workload that differ only in the balancer see exactly the same requests
// (compare mode); tests/test_lb_sim.cpp checks it through workload_hash().
//
// The World runs this sim inside its own event loop (World::step takes whichever queue is earlier),
// so the timeline, rewind and share links work for balancing too; the benchmark BM_BalancerSim
// steps it standalone. Big derived data that changes only on membership or algorithm changes (the
// placement, the key owner table, the Zipf table, closed metric windows) is held through
// shared_ptr<const ...>: copies (snapshots) share it, equality compares the contents.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/balance/balancer.hpp"
#include "core/balance/workload.hpp"
#include "core/hash_ring.hpp"
#include "core/monitor/hdr_histogram.hpp"
#include "core/monitor/prom_histogram.hpp"
#include "core/monitor/server_watch.hpp"
#include "core/rng.hpp"
#include "core/sim_time.hpp"
#include "core/stable_hash.hpp"

namespace dsplay::balance {

// ------------------------------------------------------------------ configuration

enum class LbAlgo : std::uint8_t {
  round_robin,
  weighted_round_robin,        // nginx smooth weighted round-robin
  random,
  least_connections,
  weighted_least_connections,
  power_of_two_choices,        // Envoy least_request: `choices` random servers, fewest active
  ketama,                      // libmemcached-compatible ketama (server names may be host:port)
  ring,                        // the world's consistent-hash ring (core/hash_ring.hpp, as `dsplay hash --algo ring`)
  jump,                        // jump consistent hash; a key whose bucket is out of rotation is re-hashed
  rendezvous,
  maglev,
  bounded_load,                // consistent hashing with bounded loads over the servers' active requests
  modulo,                      // stable_hash64(key) % servers in rotation: the foil
};
constexpr int kLbAlgoCount = 13;
const char* lb_algo_name(LbAlgo algo);   // scenario/CLI word: "round_robin", "p2c", "maglev", "mod", ...
const char* lb_algo_label(LbAlgo algo);  // for people: "Round robin", "Power of two choices", ...
bool parse_lb_algo(std::string_view text, LbAlgo& out);
std::string lb_algo_list();              // "round_robin, weighted_round_robin, ..." for error messages
bool lb_algo_uses_keys(LbAlgo algo);     // routes by the request key (hash placements)

struct LbBalancerConfig {
  LbAlgo algo = LbAlgo::round_robin;
  std::uint32_t choices = 2;             // power_of_two_choices: servers sampled per request
  std::uint32_t points_per_node = 100;   // ring (world ring) and bounded_load (balance::Ring)
  std::uint32_t table_size = 65537;      // maglev: M, prime
  std::uint32_t epsilon_permille = 250;  // bounded_load: cap = ceil((1 + eps) * average)
  bool operator==(const LbBalancerConfig&) const = default;
};

// Active health checks: every interval the balancer probes each server. A probe fails when the
// server is down or paused (slow servers answer probes: that is why slowness needs least-conn).
struct LbHealthConfig {
  bool enabled = true;
  SimTimeUs interval_us = kUsPerS;
  std::uint32_t failures = 3;   // consecutive failed probes before a server leaves the rotation
  std::uint32_t successes = 2;  // consecutive good probes before it comes back
  bool operator==(const LbHealthConfig&) const = default;
};

enum class LbServiceKind : std::uint8_t { constant, uniform, exponential, long_tail };
const char* lb_service_kind_name(LbServiceKind kind);

// Service demand of a request on a server of speed 1.0 (a server of speed s takes demand / s).
// long_tail: min * (1 + u) * 2^k, k ~ Geometric(tail_percent %), capped at max (the network
// model's long tail): a power law with mean min * 1.5 * (1 - p) / (1 - 2p) for p < 1/2 (uncapped).
struct LbServiceTime {
  LbServiceKind kind = LbServiceKind::exponential;
  SimTimeUs mean_us = 20 * kUsPerMs;  // constant: the value; exponential: the mean
  SimTimeUs min_us = 5 * kUsPerMs;    // uniform: lower bound; long_tail: scale
  SimTimeUs max_us = 2 * kUsPerS;     // uniform: upper bound; long_tail: cap
  std::uint32_t tail_percent = 30;    // long_tail: chance of each further doubling
  SimTimeUs sample_us(Rng& rng) const;
  double mean_estimate_us() const;    // for the UI's utilisation line (display only)
  bool operator==(const LbServiceTime&) const = default;
};

// From at_us for duration_us the arrival rate is rate_milli instead of the base rate.
struct LbBurst {
  SimTimeUs at_us = 0;
  SimTimeUs duration_us = 0;
  std::uint64_t rate_milli = 0;  // requests per 1000 s (so 0.5 req/s is representable)
  bool operator==(const LbBurst&) const = default;
};

struct LbWorkload {
  std::uint64_t rate_milli = 100'000;  // all clients together, requests per 1000 s (100 req/s)
  LbServiceTime service;
  std::uint32_t keys = 1000;           // request keys "key-0" .. "key-(keys-1)"
  std::uint32_t zipf_milli = 0;        // Zipf exponent s x 1000 (0: uniform keys; 1000: s = 1)
  std::vector<LbBurst> bursts;
  bool operator==(const LbWorkload&) const = default;
};

struct LbServerParams {
  std::uint32_t capacity = 4;          // requests served at once
  std::uint32_t speed_permille = 1000; // 1000 = speed 1.0; 250 = four times slower
  std::uint32_t queue_limit = 32;      // waiting requests; an arrival to a full queue is dropped
  std::uint32_t weight = 1;            // for the weighted policies and ketama
  bool operator==(const LbServerParams&) const = default;
};

struct LbConfig {
  LbBalancerConfig balancer;
  LbHealthConfig health;
  LbWorkload workload;
  LbServerParams server_defaults;
  std::vector<std::pair<std::string, LbServerParams>> servers;  // per-server overrides by name
  std::uint32_t slow_speed_permille = 250;  // a "slow" server runs at this fraction of its speed
  SimTimeUs client_hop_us = 3 * kUsPerMs;   // client -> balancer (part of every latency)
  SimTimeUs server_hop_us = 3 * kUsPerMs;   // balancer -> server
  SimTimeUs window_us = kUsPerS;            // metrics window
  LbServerParams params_for(std::string_view server_name) const;
  bool operator==(const LbConfig&) const = default;
};

// ------------------------------------------------------------------ state

enum class LbHealth : std::uint8_t { up, slow, down };
const char* lb_health_name(LbHealth health);

// A FIFO of request slots (value type: copyable, comparable).
class SlotFifo {
 public:
  void push(std::uint32_t slot) { items_.push_back(slot); }
  std::uint32_t pop() {
    const std::uint32_t v = items_[head_++];
    if (head_ == items_.size()) items_.clear(), head_ = 0;
    else if (head_ >= 64 && head_ * 2 >= items_.size()) items_.erase(items_.begin(), items_.begin() + head_), head_ = 0;
    return v;
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(items_.size() - head_); }
  bool empty() const { return size() == 0; }
  void clear() { items_.clear(), head_ = 0; }
  std::uint32_t at(std::uint32_t i) const { return items_[head_ + i]; }
  bool operator==(const SlotFifo&) const = default;

 private:
  std::vector<std::uint32_t> items_;
  std::size_t head_ = 0;
};

struct LbServer {
  std::string name;
  std::uint32_t tag = 0;      // the caller's id for it (the World's NodeId), echoed in notes
  LbServerParams params;
  LbHealth health = LbHealth::up;
  bool paused = false;        // frozen (GC pause): no service progress, probes time out
  bool removed = false;       // left for good (indices are never reused)
  bool in_rotation = true;    // the balancer's view, driven by health checks
  std::uint32_t probe_failures = 0;   // consecutive
  std::uint32_t probe_successes = 0;  // consecutive
  std::uint32_t active = 0;      // dispatched and not finished: in transit, queued or in service
  std::uint32_t in_service = 0;
  SlotFifo queue;
  std::vector<std::uint32_t> deferred;  // completions held while paused
  std::uint64_t dispatched = 0;
  std::uint64_t served = 0;
  std::uint64_t dropped = 0;   // arrived to a full queue
  std::uint64_t failed = 0;    // refused (down) or lost in a crash
  std::uint64_t latency_sum_us = 0;
  std::uint64_t wait_sum_us = 0;  // time its completed requests waited in its queue
  std::uint32_t speed_permille(std::uint32_t slow_permille) const;  // effective speed now
  bool operator==(const LbServer&) const = default;
};

struct LbClient {
  std::string name;
  std::uint32_t tag = 0;
  bool up = true;
  bool removed = false;
  SimTimeUs next_send_us = kSimTimeMaxUs;  // the next request leaves the client then ...
  std::uint32_t send_frac = 0;             // ... plus this many 2^-32 microseconds
  std::uint64_t generation = 0;            // invalidates its pending arrival event
  std::uint64_t sent = 0;
  bool operator==(const LbClient&) const = default;
};

enum class LbRequestState : std::uint8_t { free, to_server, queued, serving, held };  // held: balancer paused

struct LbRequest {
  std::uint64_t id = 0;  // 0: free slot
  std::uint32_t client = 0;
  std::uint32_t key = 0;
  std::uint32_t server = kNoServer;
  LbRequestState state = LbRequestState::free;
  SimTimeUs sent_us = 0;      // left the client
  SimTimeUs balancer_us = 0;  // reached the balancer (= dispatch time)
  SimTimeUs server_us = 0;    // reaches / reached the server
  SimTimeUs start_us = 0;     // service started (serving)
  SimTimeUs done_us = 0;      // service ends (serving)
  SimTimeUs demand_us = 0;    // service demand at speed 1.0
  bool operator==(const LbRequest&) const = default;
};

enum class LbEventKind : std::uint8_t { arrival, server_arrival, completion, health_check, burst_start, burst_end };

struct LbEvent {
  SimTimeUs time_us = 0;
  std::uint64_t seq = 0;
  std::uint64_t ref = 0;      // request id, client generation or health-check generation
  std::uint32_t index = 0;    // request slot, client or burst
  LbEventKind kind = LbEventKind::arrival;
  bool operator==(const LbEvent&) const = default;
};

// Per-server numbers of one metrics window.
struct LbServerWindow {
  std::uint32_t dispatched = 0;
  std::uint32_t completed = 0;
  std::uint32_t dropped = 0;
  std::uint32_t failed = 0;
  std::uint32_t queue_max = 0;   // longest queue seen in the window
  std::uint32_t active_end = 0;  // active requests at the window's end
  std::uint64_t latency_sum_us = 0;  // of the requests it completed in the window (mean = sum / completed)
  std::uint8_t detector_flags = 0;   // bit d: detector d of monitor::ServerWatch flagged this window (set at close)
  bool operator==(const LbServerWindow&) const = default;
};

struct LbWindow {
  SimTimeUs start_us = 0;
  SimTimeUs end_us = 0;
  std::uint64_t arrivals = 0;
  std::uint64_t completed = 0;
  std::uint64_t dropped = 0;
  std::uint64_t failed = 0;
  SimTimeUs p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0;  // of requests completed in the window
  std::vector<LbServerWindow> servers;
  bool operator==(const LbWindow&) const = default;
};

struct LbTotals {
  std::uint64_t arrivals = 0;     // requests that reached the balancer
  std::uint64_t dispatched = 0;
  std::uint64_t completed = 0;
  std::uint64_t dropped = 0;      // queue full
  std::uint64_t failed = 0;       // refused by a down server or lost in a crash
  std::uint64_t no_server = 0;    // nothing in rotation (or the balancer is down)
  bool operator==(const LbTotals&) const = default;
};

// Latency histogram for display: 4 bins per octave from 1 us (bin b covers [2^(b/4), 2^((b+1)/4))
// approximately; exact bounds from bin_lower_us()).
struct LbLatencyBins {
  static constexpr int kBins = 4 * 36;  // up to 2^36 us (19 hours)
  std::array<std::uint64_t, kBins> counts{};
  std::uint64_t total = 0;
  static int bin_of(SimTimeUs us);
  static SimTimeUs bin_lower_us(int bin);
  void add(SimTimeUs us) {
    ++counts[static_cast<std::size_t>(bin_of(us))];
    ++total;
  }
  bool operator==(const LbLatencyBins&) const = default;
};

// The last membership / algorithm change of a key-routing balancer: how many keys moved.
struct LbRemap {
  std::string change;  // "s3 out of rotation", "add s6", "algorithm maglev" ("" before any change)
  std::uint64_t keys = 0;
  std::uint64_t moved = 0;
  std::uint64_t moved_elsewhere = 0;  // moved between servers that were in rotation before and after
  std::uint32_t ideal_num = 0, ideal_den = 0;  // ideal fraction (1/(n+1) on add, 1/n on removal); 0/0 none
  bool operator==(const LbRemap&) const = default;
};

// The key-routing structure, rebuilt on membership / algorithm changes and shared between copies.
struct LbPlacement {
  LbAlgo algo = LbAlgo::round_robin;
  std::vector<std::uint32_t> members;      // placement node index -> server index
  std::vector<std::uint8_t> member_alive;  // ring: per member, in rotation (dead points are skipped)
  std::variant<std::monostate, HashRing, KetamaRing, JumpHash, Rendezvous, MaglevTable, BoundedLoadPick> structure;
  std::vector<std::uint32_t> key_position;  // per key: 32-bit position on the structure (ring, ketama, bounded, maglev slot input)
  std::vector<std::uint64_t> key_hash;      // per key: the 64-bit hash the structure uses
  std::vector<std::uint32_t> key_owner;     // per key: server index (home server for bounded loads)
  std::vector<std::uint8_t> key_moved;      // per key: moved by the last change
  std::vector<std::uint32_t> slot_before;   // maglev: per table slot, its server before the last change (empty: none)
  LbRemap remap;
  bool operator==(const LbPlacement&) const = default;
};

// One line of the trace: the World turns these into TraceRecords (notes) with its node ids.
// A request's notes carry its id: "lb dispatch" (node balancer, peer server, a client index, b key),
// then one ending note with the client as peer: "lb done" (a latency, b queue wait), or "lb drop:
// queue full" (a queue length), "lb refused: server down", "lb lost: server crashed", "lb no server",
// "lb balancer down" (b = time since the client sent it). core/monitor/request_tracing.* builds each
// request's spans (client -> balancer -> server -> queue wait, service) from them. An anomaly
// detector's flag is "lb flag <detector>" (node the server, a its mean latency in the window in
// us, b the window's end time in us).
struct LbNote {
  const char* label = "";         // a string literal
  std::uint32_t node_tag = 0xFFFFFFFFu;
  std::uint32_t peer_tag = 0xFFFFFFFFu;
  std::uint64_t id = 0;           // request id
  std::int64_t a = 0;
  std::int64_t b = 0;
};
struct LbSink {
  void (*fn)(void* ctx, const LbNote& note) = nullptr;
  void* ctx = nullptr;
};

// Something that just happened, for the UI's flashes (a small ring buffer).
enum class LbRecentKind : std::uint8_t { completed, dropped, failed };
struct LbRecent {
  SimTimeUs time_us = 0;
  std::uint32_t server = kNoServer;
  std::uint32_t client = 0;
  LbRecentKind kind = LbRecentKind::completed;
  bool operator==(const LbRecent&) const = default;
};

// Imbalance of per-server counts (display only: uses floating point).
struct LbImbalance {
  double max_over_mean = 0;
  double stddev_over_mean = 0;
};
LbImbalance lb_imbalance(const std::vector<std::uint64_t>& counts);

class LoadBalancerSim {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::size_t kRecent = 128;

  LoadBalancerSim() = default;
  // start_us: when the sim begins (a World that gets its first lb node later starts it then);
  // bursts that ended before it are skipped, one that is under way starts at once.
  LoadBalancerSim(const LbConfig& config, std::uint64_t seed, SimTimeUs start_us = 0);

  // --- membership (the World calls these for its lb nodes; tags come back in notes) ---
  std::uint32_t add_server(const std::string& name, std::uint32_t tag, SimTimeUs now_us, const LbSink* sink = nullptr);
  std::uint32_t add_client(const std::string& name, std::uint32_t tag, SimTimeUs now_us);
  void set_balancer_tag(std::uint32_t tag) { balancer_tag_ = tag; }

  // --- running ---
  SimTimeUs next_event_time_us() const { return heap_.empty() ? kSimTimeMaxUs : heap_.front().time_us; }
  // Processes the next event (there must be one: next_event_time_us() < kSimTimeMaxUs).
  void step(const LbSink* sink = nullptr);
  // Standalone use (tests, benchmark): every event at or before t, then the clock is t.
  void run_until(SimTimeUs t_us, const LbSink* sink = nullptr);
  // Moves the clock to t (closing metric windows); nothing may be pending before t.
  void advance_to(SimTimeUs t_us);

  // --- commands (at time now_us >= now(); false + error when they cannot apply) ---
  bool kill_server(std::uint32_t server, SimTimeUs now_us, const LbSink* sink = nullptr);
  bool revive_server(std::uint32_t server, SimTimeUs now_us);
  bool set_server_slow(std::uint32_t server, bool slow, SimTimeUs now_us);
  bool pause_server(std::uint32_t server, bool paused, SimTimeUs now_us);
  bool remove_server(std::uint32_t server, SimTimeUs now_us, const LbSink* sink = nullptr);
  bool set_server_speed(std::uint32_t server, std::uint32_t speed_permille, SimTimeUs now_us);
  bool set_client_up(std::uint32_t client, bool up, SimTimeUs now_us);
  bool remove_client(std::uint32_t client, SimTimeUs now_us);
  void set_balancer_up(bool up, SimTimeUs now_us);
  void set_balancer_paused(bool paused, SimTimeUs now_us, const LbSink* sink = nullptr);
  void set_rate(std::uint64_t rate_milli, SimTimeUs now_us);
  void set_balancer(const LbBalancerConfig& balancer, SimTimeUs now_us);
  void set_health(const LbHealthConfig& health, SimTimeUs now_us);
  void set_workload_shape(const LbServiceTime& service, std::uint32_t zipf_milli, SimTimeUs now_us);
  void set_slow_speed(std::uint32_t slow_speed_permille) { config_.slow_speed_permille = slow_speed_permille; }

  // --- reading ---
  SimTimeUs now_us() const { return now_us_; }
  const LbConfig& config() const { return config_; }
  LbAlgo algo() const { return config_.balancer.algo; }
  std::uint64_t current_rate_milli() const;
  const std::vector<LbServer>& servers() const { return servers_; }
  const std::vector<LbClient>& clients() const { return clients_; }
  std::uint32_t find_server(std::string_view name) const;  // kNone if absent (removed ones count)
  std::uint32_t find_client(std::string_view name) const;
  std::uint32_t find_server_tag(std::uint32_t tag) const;  // kNone if absent
  std::uint32_t find_client_tag(std::uint32_t tag) const;
  bool balancer_up() const { return balancer_up_; }
  bool balancer_paused() const { return balancer_paused_; }
  const std::vector<LbRequest>& request_slots() const { return slots_; }  // id == 0: free
  std::uint64_t requests_in_flight() const { return in_flight_; }
  const LbTotals& totals() const { return totals_; }
  const monitor::HdrHistogram& latency() const { return latency_total_; }  // every completed request
  const LbLatencyBins& latency_bins() const { return latency_bins_; }
  // Every completed request's latency in seconds in a Prometheus histogram (default buckets).
  const monitor::PromHistogram& latency_prom() const { return latency_prom_s_; }
  // The anomaly detectors over the servers' closed windows (flags also in LbServerWindow).
  const monitor::ServerWatch& watch() const { return watch_; }
  // Closed metric windows, oldest first; the current (open) window is not included.
  std::size_t window_count() const { return window_chunks_.size() * kWindowChunk + window_tail_.size(); }
  const LbWindow& window(std::size_t i) const;
  SimTimeUs current_window_start_us() const { return window_start_us_; }
  const std::vector<LbServerWindow>& current_window_servers() const { return cur_servers_; }
  const LbPlacement* placement() const { return placement_.get(); }  // null for policies that ignore keys
  const ZipfTable& zipf() const { return *zipf_; }
  const Balancer& picker() const { return picker_; }
  const std::array<LbRecent, kRecent>& recent() const { return recent_; }
  std::size_t recent_head() const { return recent_head_; }  // next write position
  // A running hash of every request the workload generated (arrival time, client, key, demand):
  // equal across balancers for the same seed and workload.
  std::uint64_t workload_hash() const { return workload_hash_; }
  std::uint64_t state_hash() const;
  void hash_into(Hasher& h) const;
  std::size_t pending_events() const { return heap_.size(); }

  bool operator==(const LoadBalancerSim& other) const;

 private:
  static constexpr std::size_t kWindowChunk = 64;

  // events
  void push_event(SimTimeUs at_us, LbEventKind kind, std::uint32_t index, std::uint64_t ref);
  LbEvent pop_event();
  bool event_live(const LbEvent& e) const;
  void drop_stale_events();
  void note(const LbSink* sink, const char* label, std::uint32_t node, std::uint32_t peer, std::uint64_t id,
            std::int64_t a = 0, std::int64_t b = 0) const;

  // workload
  void schedule_next_send(std::uint32_t client, SimTimeUs from_us, std::uint32_t from_frac);
  void reschedule_clients(SimTimeUs now_us);
  void on_arrival(std::uint32_t client, const LbSink* sink);
  void dispatch(std::uint32_t slot, const LbSink* sink);
  std::uint32_t route(std::uint32_t key);
  void on_server_arrival(std::uint32_t slot, const LbSink* sink);
  void start_service(std::uint32_t server, std::uint32_t slot);
  void fill_service(std::uint32_t server);
  void on_completion(std::uint32_t slot, const LbSink* sink);
  void finish(std::uint32_t slot, LbRecentKind kind);
  void health_check(const LbSink* sink);
  void close_windows_until(SimTimeUs t_us);
  void watch_window(LbWindow& w);  // runs the detectors over a closing window, stores their flags
  // Flags raised by closing windows, logged as "lb flag <detector>" notes at the next step (windows
  // also close inside commands, which have no sink). Cleared when logged.
  struct PendingFlag {
    std::uint32_t server = 0;
    std::uint8_t detector = 0;
    std::int64_t latency_us = 0;
    SimTimeUs window_end_us = 0;
    bool operator==(const PendingFlag&) const = default;
  };
  void log_pending_flags(const LbSink* sink);
  void remember(LbRecentKind kind, std::uint32_t server, std::uint32_t client);
  std::uint32_t alloc_slot();
  void free_slot(std::uint32_t slot);
  void fail_server_requests(std::uint32_t server, const LbSink* sink);

  // balancer
  void sync_loads();
  void rebuild_placement(const std::string& change, std::uint32_t added, std::uint32_t removed);
  void reset_picker();

  LbConfig config_;
  Rng workload_rng_;
  Rng balancer_rng_;
  SimTimeUs now_us_ = 0;
  SimTimeUs start_us_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t next_request_id_ = 1;
  std::vector<LbEvent> heap_;
  std::vector<LbServer> servers_;
  std::vector<LbClient> clients_;
  std::uint32_t balancer_tag_ = kNone;
  bool balancer_up_ = true;
  bool balancer_paused_ = false;
  std::vector<std::uint32_t> held_;  // requests waiting at a paused balancer, in arrival order
  std::vector<LbRequest> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t in_flight_ = 0;
  std::uint64_t health_generation_ = 0;
  std::vector<std::uint8_t> burst_active_;
  Balancer picker_;
  ServerLoads loads_;  // weight 0 = out of rotation; active mirrors servers_[i].active
  std::shared_ptr<const LbPlacement> placement_;
  std::shared_ptr<const ZipfTable> zipf_;
  LbTotals totals_;
  monitor::HdrHistogram latency_total_;
  monitor::HdrHistogram latency_window_;
  LbLatencyBins latency_bins_;
  monitor::PromHistogram latency_prom_s_;
  monitor::ServerWatch watch_;
  std::vector<PendingFlag> pending_flags_;
  SimTimeUs window_start_us_ = 0;
  LbWindow window_counts_;              // the open window's counters (percentiles filled at close)
  std::vector<LbServerWindow> cur_servers_;
  std::vector<std::shared_ptr<const std::vector<LbWindow>>> window_chunks_;
  std::vector<LbWindow> window_tail_;
  std::array<LbRecent, kRecent> recent_{};
  std::size_t recent_head_ = 0;
  std::uint64_t workload_hash_ = 0;
};

// A modulo placement over names, as RingModule's "mod" does it: stable_hash64(key) % n.
inline std::uint32_t modulo_owner(std::uint64_t stable_key_hash, std::uint32_t nodes) {
  return nodes == 0 ? kNoServer : static_cast<std::uint32_t>(stable_key_hash % nodes);
}

// "host:port" -> KetamaServer (port 11211 when absent or unparsable), as the ketama CLI and sim name servers.
KetamaServer ketama_server_from_name(std::string_view name, std::uint32_t weight = 1);

}  // namespace dsplay::balance
