// The world: nodes running processes, a network, an event queue ordered by (time, sequence), the
// ring, and the checkers — all one copyable, comparable value. Snapshots are copies; a run is
// fully described by (config, seed, commands). Nothing here reads a clock, a file or a thread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/balance/lb_sim.hpp"
#include "core/cache.hpp"
#include "core/command.hpp"
#include "core/event_queue.hpp"
#include "core/hash_ring.hpp"
#include "core/message.hpp"
#include "core/network.hpp"
#include "core/process.hpp"
#include "core/raft/raft_checker.hpp"
#include "core/raft/raft_client.hpp"
#include "core/raft/raft_node.hpp"
#include "core/rng.hpp"
#include "core/locks/mutex_checker.hpp"
#include "core/locks/queue_lock.hpp"
#include "core/locks/redis.hpp"
#include "core/locks/redis_lock.hpp"
#include "core/locks/redlock.hpp"
#include "core/locks/storage.hpp"
#include "core/locks/ticket_lock.hpp"
#include "core/locks/token_lock.hpp"
#include "core/violation.hpp"
#include "core/trace.hpp"

namespace dsplay {

struct NodeSpec {
  std::string name;
  NodeRole role = NodeRole::plain;
  SimTimeUs clock_skew_us = 0;
  std::int32_t drift_ppm = 0;
  bool operator==(const NodeSpec&) const = default;
};

struct WorldConfig {
  std::uint64_t seed = 1;
  LinkConfig network;
  std::vector<NodeSpec> nodes;
  TokenLockConfig token_lock;
  RingConfig ring;
  CacheConfig cache;
  balance::LbConfig balancing;  // the load-balancing simulation (nodes with roles lb_client, balancer, lb_server)
  RaftConfig raft;             // Raft servers and lock-service clients (nodes with roles raft, raft_client)
  LocksConfig locks;           // the lock family of core/locks/ (ticket, queue, Redis, Redlock, storage)
  bool operator==(const WorldConfig&) const = default;
};

// Every process a node can run, one alternative per NodeRole (World::make_process maps them).
using Process = std::variant<PlainProcess, TokenCoordinator, TokenClient, CacheServer, CacheClient,
                             RaftNode, RaftClient,
                             // the lock family (core/locks/)
                             StorageNode, TicketCoordinator, TicketClient, CoordService, QueueLockClient, RedisServer,
                             RedisLockClient, RedlockClient>;

// A lock client's critical section as it reports it (every lock the same way); {} for other processes.
inline CriticalSection critical_section_of(const Process& process) {
  return std::visit(
      [](const auto& p) -> CriticalSection {
        if constexpr (requires { p.critical_section(); }) return p.critical_section();
        else return {};
      },
      process);
}

// Whether the process is a lock client (has a critical section to report).
inline bool has_critical_section(const Process& process) {
  return std::visit([](const auto& p) { return requires { p.critical_section(); }; }, process);
}

struct Node {
  std::string name;
  NodeRole role = NodeRole::plain;
  bool up = true;        // false while crashed
  bool paused = false;   // frozen: events wait in `deferred` until resume
  bool removed = false;  // left the cluster for good (ids are never reused)
  SimTimeUs clock_skew_us = 0;   // local clock offset at clock_set_at_us
  std::int32_t drift_ppm = 0;    // local clock rate error since clock_set_at_us
  SimTimeUs clock_set_at_us = 0;
  SimTimeUs mono_at_set_us = 0;  // the monotonic clock's reading at clock_set_at_us
  std::uint32_t crashes = 0;
  Process process;
  std::vector<std::uint64_t> live_timers;  // ids of pending timers; crash clears it
  std::vector<Event> deferred;             // events that arrived while paused, in order
  bool operator==(const Node&) const = default;
};


struct WorldStats {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t dropped = 0;
  std::uint64_t timers_fired = 0;
  std::uint64_t token_grants = 0;  // grants received by clients
  std::uint64_t cache_hits = 0;    // replies received by cache clients
  std::uint64_t cache_misses = 0;
  bool operator==(const WorldStats&) const = default;
};

// A parameter settable by SetParam (and by the UI's sliders).
struct ParamInfo {
  const char* name;
  std::int64_t min;
  std::int64_t max;
  const char* help;
};
const std::vector<ParamInfo>& world_params();

struct ApplyResult {
  bool ok = true;
  std::string error;  // one line, when !ok
};

class World {
 public:
  World() : World(WorldConfig{}) {}
  explicit World(const WorldConfig& config);

  // --- running ---
  // Processes the next event (or applies the next scripted command). False when nothing is pending.
  bool step(TraceLog* log = nullptr);
  // Like step(), but only an event at or before limit_us; false when there is none.
  bool step_until(SimTimeUs limit_us, TraceLog* log = nullptr);
  // Processes every event at or before t, then sets the clock to t.
  void run_until(SimTimeUs t_us, TraceLog* log = nullptr);
  SimTimeUs next_event_time_us() const;  // kSimTimeMaxUs when the queue is empty
  // Moves the clock forward to t (no event may be pending before t).
  void advance_time_to(SimTimeUs t_us);
  // Applies a command now; counts as one event. A command that cannot apply changes nothing
  // but its "rejected" trace record.
  ApplyResult apply(const Command& command, TraceLog* log = nullptr);
  // Queues a command to be applied at at_us (scenario scripts).
  void schedule(SimTimeUs at_us, const Command& command);

  // --- reading ---
  SimTimeUs now_us() const { return now_us_; }
  std::uint64_t event_count() const { return event_count_; }
  std::uint64_t trace_hash() const { return trace_hash_; }
  std::uint64_t trace_records() const { return trace_records_; }
  std::uint64_t seed() const { return config_.seed; }
  const WorldConfig& config() const { return config_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  std::optional<NodeId> find_node(std::string_view name) const;
  std::vector<std::string> node_names() const;
  SimTimeUs local_time_us(NodeId node) const;      // the node's wall clock: skew, drift and jumps
  SimTimeUs monotonic_time_us(NodeId node) const;  // the node's monotonic clock: drift only, never jumps
  // Messages on the wire, in send order.
  std::vector<const Message*> messages_in_flight() const;
  std::size_t pending_events() const { return queue_.size(); }
  const NetworkState& network() const { return network_; }
  const RingModule& ring() const { return ring_; }
  const std::vector<Violation>& violations() const { return violations_; }
  const WorldStats& stats() const { return stats_; }
  const RaftChecker& raft_checker() const { return raft_checker_; }
  const MutexChecker& mutex_checker() const { return mutex_checker_; }  // the locks of core/locks/
  // The load-balancing simulation, when the world has lb nodes (see core/world_lb.cpp).
  const balance::LoadBalancerSim* lb() const { return lb_ ? &*lb_ : nullptr; }
  // Hash of the whole state (not only the trace): equal worlds hash equal.
  std::uint64_t state_hash() const;

  bool operator==(const World&) const = default;

 private:
  friend class ProcessContext;

  void record(TraceLog* log, TraceKind kind, NodeId node, NodeId peer, std::uint64_t msg_id,
              const char* label, std::int64_t a = 0, std::int64_t b = 0);
  void push_event(SimTimeUs at_us, EventKind kind, NodeId node, std::uint32_t aux, std::uint64_t ref);
  // Processes one queue event; returns the node whose state it may have changed (kNoNode: none,
  // MutexChecker::kAllNodes: any).
  NodeId dispatch(const Event& event, TraceLog* log);
  void send_message(NodeId from, NodeId to, Payload&& payload, TraceLog* log);
  void drop_message(std::uint32_t slot, DropReason reason, TraceLog* log);
  std::uint32_t new_message_slot();  // a free slot of message_slots_ (its old contents are overwritten)
  void free_message(std::uint32_t slot);
  ApplyResult apply_now(const Command& command, TraceLog* log);
  std::optional<NodeId> live_node(const std::string& name, std::string& error) const;
  void start_node(NodeId id, TraceLog* log);
  void crash_node(NodeId id, TraceLog* log);
  void timers_died(std::size_t count);  // cancelled or lost in a crash: maybe drop_dead_timers()
  void drop_dead_timers();
  void drop_dead_timers_on_top();
  bool timer_live(const Event& e) const;
  void run_checkers(TraceLog* log, NodeId touched);
  bool set_param(const std::string& name, std::int64_t value, std::string& error);
  void sync_process_configs();
  SimTimeUs real_delay_us(NodeId node, SimTimeUs local_delay_us) const;
  Process make_process(NodeRole role) const;
  // --- the load-balancing simulation (core/world_lb.cpp) ---
  enum class LbNodeOp : std::uint8_t { added, removed, crashed, restarted, paused, resumed };
  void lb_init();
  bool lb_step_due(SimTimeUs limit_us) const;
  void lb_step(TraceLog* log);
  void lb_node_event(NodeId id, LbNodeOp op, TraceLog* log);
  bool lb_client_op(NodeId id, const std::string& op, std::int64_t arg, std::string& error);
  bool lb_set_param(const std::string& name, std::int64_t value, std::string& error);

  WorldConfig config_;
  Rng rng_;
  SimTimeUs now_us_ = 0;
  std::uint64_t event_count_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t next_message_id_ = 1;
  std::uint64_t next_timer_id_ = 1;
  std::uint64_t trace_hash_ = 0;
  std::uint64_t trace_records_ = 0;
  TraceLabelMemo label_hashes_;  // a cache for record(): always compares equal, never hashed
  EventQueue queue_;
  std::uint32_t dead_timers_ = 0;  // cancelled (or crashed) timers still in queue_, at most (see drop_dead_timers)
  std::vector<Node> nodes_;
  std::vector<Message> message_slots_;  // id 0 = free slot
  std::vector<std::uint32_t> free_slots_;
  std::vector<TimedCommand> scripted_;  // commands queued by schedule(); events refer by index
  NetworkState network_;
  RingModule ring_;
  std::vector<Violation> violations_;
  MutexChecker mutex_checker_;       // mutual exclusion over every lock of core/locks/ and the consensus lock
  RaftChecker raft_checker_;         // Raft's Figure 3 properties (the consensus lock is a lock client above)
  WorldStats stats_;
  std::optional<balance::LoadBalancerSim> lb_;
};

}  // namespace dsplay
