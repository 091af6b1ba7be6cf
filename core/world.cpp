// The discrete-event world: event loop, message passing over the network model, node faults,
// commands, parameters and the mutual-exclusion checker (see world.hpp).
#include "core/world.hpp"
#include "core/overloaded.hpp"

#include <algorithm>

namespace dsplay {
namespace {

bool valid_node_name(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

// ------------------------------------------------------------------ parameters

const std::vector<ParamInfo>& world_params() {
  static const std::vector<ParamInfo> params = {
      {"net.latency_kind", 0, 2, "latency distribution: 0 constant, 1 uniform, 2 long tail"},
      {"net.latency_min_us", 0, 3'600'000'000, "lowest (or constant) latency, microseconds"},
      {"net.latency_max_us", 0, 3'600'000'000, "highest latency (cap of the long tail), microseconds"},
      {"net.tail_percent", 0, 95, "long tail: chance of each further doubling, percent"},
      {"net.loss_ppm", 0, 1'000'000, "chance a message is lost, parts per million"},
      {"net.duplicate_ppm", 0, 1'000'000, "chance a message is delivered twice, parts per million"},
      {"net.reorder_ppm", 0, 1'000'000, "chance a message is delayed extra, parts per million"},
      {"net.reorder_window_us", 0, 3'600'000'000, "extra delay of a reordered message, up to, microseconds"},
      {"token.hold_us", 1, 3'600'000'000, "how long automatic token clients hold the token"},
      {"token.think_us", 1, 3'600'000'000, "mean pause between an automatic client's requests"},
      {"token.retry_us", 1'000, 3'600'000'000, "a waiting token client re-sends its request after this"},
      {"token.auto_acquire", 0, 1, "token clients loop acquire/hold/release by themselves"},
      {"ring.algo", 0, 1, "key placement: 0 consistent-hash ring, 1 modulo"},
      {"ring.points_per_node", 1, 1000, "virtual points per cache node on the ring"},
      {"ring.keys", 0, 100'000, "sample keys placed on the ring"},
      {"cache.request_interval_us", 1'000, 3'600'000'000, "mean gap between a cache client's gets"},
      // the lock family (core/locks/)
      {"token.durable", 0, 1, "the token coordinator keeps holder and queue on disk (a crash forgets nothing)"},
      {"locks.hold_us", 1, 3'600'000'000, "lock clients: work in the critical section before writing"},
      {"locks.think_us", 1, 3'600'000'000, "lock clients: mean pause between release and the next acquire"},
      {"locks.retry_us", 1'000, 3'600'000'000, "lock clients: re-ask a busy lock / re-send after this"},
      {"locks.auto_acquire", 0, 1, "lock clients loop think -> acquire by themselves"},
      {"locks.write", 0, 1, "lock clients write to the storage node before releasing"},
      {"locks.ttl_us", 1'000, 3'600'000'000, "Redis / Redlock lease: the lock key's time-to-live"},
      {"locks.redis_variant", 0, 2, "Redis lock: 0 naive (SETNX+EXPIRE, DEL), 1 atomic (SET NX PX), 2 fenced"},
      {"locks.redlock_fenced", 0, 1, "Redlock clients carry a token (max INCR of the granting nodes)"},
      {"locks.queue_watch", 0, 1, "queue lock waiters watch: 0 their predecessor, 1 everything (herd)"},
      {"locks.session_timeout_us", 10'000, 3'600'000'000, "coordination service: session timeout"},
      {"locks.storage_fenced", 0, 1, "the storage node rejects tokens lower than the highest seen"},
      // the load-balancing simulation (core/world_lb.cpp)
      {"lb.algo", 0, balance::kLbAlgoCount - 1, "balancer: 0 round robin, 1 smooth weighted RR, 2 random, 3 least conn, 4 weighted least conn, 5 two choices, 6 ketama, 7 ring, 8 jump, 9 rendezvous, 10 maglev, 11 bounded loads, 12 modulo"},
      {"lb.rate_per_s", 0, 10'000'000, "requests per second, all clients together"},
      {"lb.choices", 1, 16, "power of d choices: servers sampled per request"},
      {"lb.points_per_node", 1, 1000, "ring and bounded loads: points per server"},
      {"lb.table_size", 2, 1'000'003, "Maglev lookup table size (a prime)"},
      {"lb.epsilon_permille", 0, 10'000, "bounded loads: cap = (1 + epsilon) x average, per mille"},
      {"lb.health_checks", 0, 1, "the balancer probes its servers"},
      {"lb.health_interval_us", 1'000, 3'600'000'000, "time between health-check rounds"},
      {"lb.health_failures", 1, 100, "failed probes in a row before a server leaves the rotation"},
      {"lb.service_mean_us", 1, 3'600'000'000, "mean service time (long tail: its scale)"},
      {"lb.zipf_milli", 0, 3000, "key popularity: Zipf exponent x 1000 (0 uniform)"},
      {"lb.slow_permille", 1, 1000, "a slowed server's speed, per mille of its own"},
      // Raft (core/raft/)
      {"raft.election_timeout_min_us", 1'000, 3'600'000'000, "Raft: shortest election timeout"},
      {"raft.election_timeout_max_us", 1'000, 3'600'000'000, "Raft: longest election timeout"},
      {"raft.heartbeat_us", 1'000, 3'600'000'000, "Raft: the leader's heartbeat period"},
      {"raft.session_ttl_us", 1'000, 3'600'000'000, "Raft lock service: a session without keep-alive ends after this"},
  };
  return params;
}

bool World::set_param(const std::string& name, std::int64_t value, std::string& error) {
  const auto& params = world_params();
  auto info = std::find_if(params.begin(), params.end(), [&](const ParamInfo& p) { return name == p.name; });
  if (info == params.end()) {
    error = "unknown parameter \"" + name + "\"";
    return false;
  }
  if (value < info->min || value > info->max) {
    error = name + " must be in [" + std::to_string(info->min) + ", " + std::to_string(info->max) + "], got " +
            std::to_string(value);
    return false;
  }
  if (name.rfind("lb.", 0) == 0) return lb_set_param(name, value, error);
  LinkConfig& net = config_.network;
  const auto u32 = static_cast<std::uint32_t>(value);
  if (name == "net.latency_kind") net.latency.kind = static_cast<LatencyKind>(value);
  else if (name == "net.latency_min_us") net.latency.min_us = value, net.latency.max_us = std::max(net.latency.max_us, value);
  else if (name == "net.latency_max_us") net.latency.max_us = value, net.latency.min_us = std::min(net.latency.min_us, value);
  else if (name == "net.tail_percent") net.latency.tail_percent = u32;
  else if (name == "net.loss_ppm") net.loss_ppm = u32;
  else if (name == "net.duplicate_ppm") net.duplicate_ppm = u32;
  else if (name == "net.reorder_ppm") net.reorder_ppm = u32;
  else if (name == "net.reorder_window_us") net.reorder_window_us = value;
  else if (name == "token.hold_us") config_.token_lock.hold_us = value;
  else if (name == "token.think_us") config_.token_lock.think_us = value;
  else if (name == "token.retry_us") config_.token_lock.retry_us = value;
  else if (name == "token.auto_acquire") config_.token_lock.auto_acquire = value != 0;
  else if (name == "cache.request_interval_us") config_.cache.request_interval_us = value;
  else if (name == "token.durable") config_.token_lock.durable = value != 0;
  else if (name == "locks.hold_us") config_.locks.hold_us = value;
  else if (name == "locks.think_us") config_.locks.think_us = value;
  else if (name == "locks.retry_us") config_.locks.retry_us = value;
  else if (name == "locks.auto_acquire") config_.locks.auto_acquire = value != 0;
  else if (name == "locks.write") config_.locks.write = value != 0;
  else if (name == "locks.ttl_us") config_.locks.ttl_us = value;
  else if (name == "locks.redis_variant") config_.locks.redis_variant = static_cast<RedisVariant>(value);
  else if (name == "locks.redlock_fenced") config_.locks.redlock_fenced = value != 0;
  else if (name == "locks.queue_watch") config_.locks.queue_watch = static_cast<QueueWatch>(value);
  else if (name == "locks.session_timeout_us") config_.locks.session_timeout_us = value;
  else if (name == "locks.storage_fenced") config_.locks.storage_fenced = value != 0;
  else if (name == "raft.election_timeout_min_us")
    config_.raft.election_timeout_min_us = value, config_.raft.election_timeout_max_us = std::max(config_.raft.election_timeout_max_us, value);
  else if (name == "raft.election_timeout_max_us")
    config_.raft.election_timeout_max_us = value, config_.raft.election_timeout_min_us = std::min(config_.raft.election_timeout_min_us, value);
  else if (name == "raft.heartbeat_us") config_.raft.heartbeat_us = value;
  else if (name == "raft.session_ttl_us") config_.raft.session_ttl_us = value;
  else if (name.rfind("ring.", 0) == 0) {
    RingConfig ring = config_.ring;
    if (name == "ring.algo") ring.algo = static_cast<RingAlgo>(value);
    else if (name == "ring.points_per_node") ring.points_per_node = u32;
    else if (name == "ring.keys") ring.key_count = u32;
    config_.ring = ring;
    ring_.set_config(ring);
  }
  network_.defaults = config_.network;
  sync_process_configs();
  return true;
}

void World::sync_process_configs() {
  for (Node& node : nodes_) {
    std::visit(Overloaded{
                   [&](TokenCoordinator& p) { p.set_config(config_.token_lock); },
                   [&](TokenClient& p) { p.set_config(config_.token_lock); },
                   [&](CacheClient& p) { p.set_config(config_.cache); },
                   [&](RaftNode& p) { p.set_config(config_.raft); },
                   [&](RaftClient& p) { p.set_config(config_.raft); },
                   [&](auto& p) {  // the lock family: every process there takes LocksConfig
                     if constexpr (requires { p.set_config(config_.locks); }) p.set_config(config_.locks);
                   },
               },
               node.process);
  }
}

// ------------------------------------------------------------------ construction

Process World::make_process(NodeRole role) const {
  switch (role) {
    case NodeRole::plain: return PlainProcess{};
    case NodeRole::token_coordinator: return TokenCoordinator{config_.token_lock};
    case NodeRole::token_client: return TokenClient{config_.token_lock};
    case NodeRole::cache: return CacheServer{};
    case NodeRole::cache_client: return CacheClient{config_.cache};
    case NodeRole::lb_client:
    case NodeRole::balancer:
    case NodeRole::lb_server: return PlainProcess{};  // their behaviour lives in the LoadBalancerSim
    case NodeRole::raft: return RaftNode{config_.raft};
    case NodeRole::raft_client: return RaftClient{config_.raft};
    case NodeRole::storage: return StorageNode{config_.locks};
    case NodeRole::ticket_coordinator: return TicketCoordinator{};
    case NodeRole::ticket_client: return TicketClient{config_.locks};
    case NodeRole::coord_service: return CoordService{config_.locks};
    case NodeRole::queue_client: return QueueLockClient{config_.locks};
    case NodeRole::redis: return RedisServer{config_.locks};
    case NodeRole::redis_client: return RedisLockClient{config_.locks};
    case NodeRole::redlock_client: return RedlockClient{config_.locks};
  }
  return PlainProcess{};
}

World::World(const WorldConfig& config) : config_(config), rng_(config.seed) {
  network_.defaults = config_.network;
  ring_.config = config_.ring;
  queue_.reserve(256);
  for (const NodeSpec& spec : config_.nodes) {
    Node node;
    node.name = spec.name;
    node.role = spec.role;
    node.clock_skew_us = spec.clock_skew_us;
    node.drift_ppm = spec.drift_ppm;
    node.process = make_process(spec.role);
    const auto id = static_cast<NodeId>(nodes_.size());
    nodes_.push_back(std::move(node));
    if (spec.role == NodeRole::cache) ring_.add_member(spec.name);
    push_event(0, EventKind::start, id, 0, 0);
  }
  ring_.set_config(config_.ring);  // places the sample keys even when there are no members yet
  ring_.forget_last_remap();
  lb_init();
}

void World::schedule(SimTimeUs at_us, const Command& command) {
  scripted_.push_back({at_us, command});
  push_event(std::max(at_us, now_us_), EventKind::command, kNoNode, 0, scripted_.size() - 1);
}

void World::push_event(SimTimeUs at_us, EventKind kind, NodeId node, std::uint32_t aux, std::uint64_t ref) {
  queue_.push(Event{at_us, next_seq_++, kind, node, aux, ref});
}

// ------------------------------------------------------------------ running

SimTimeUs World::next_event_time_us() const {
  const SimTimeUs queue_us = queue_.empty() ? kSimTimeMaxUs : queue_.top().time_us;
  return lb_ ? std::min(queue_us, lb_->next_event_time_us()) : queue_us;
}

void World::advance_time_to(SimTimeUs t_us) {
  if (t_us > now_us_) now_us_ = std::min(t_us, next_event_time_us());
}

bool World::step(TraceLog* log) { return step_until(kSimTimeMaxUs, log); }

bool World::step_until(SimTimeUs limit_us, TraceLog* log) {
  for (;;) {
    if (lb_step_due(limit_us)) {  // the balancing sim's next event is earlier (ties: the queue first)
      lb_step(log);
      return true;
    }
    if (queue_.empty() || queue_.top().time_us > limit_us) return false;
    // A dead timer is never at the top (drop_dead_timers_on_top runs after every pop and every
    // timer death), so what is popped here happens.
    const Event event = queue_.pop();
    drop_dead_timers_on_top();
    if (event.kind != EventKind::command) {
      Node& node = nodes_[event.node];
      if (node.paused && node.up && !node.removed) {
        node.deferred.push_back(event);  // a frozen process: this waits for resume
        continue;
      }
    }
    now_us_ = event.time_us;
    ++event_count_;
    const NodeId touched = dispatch(event, log);
    run_checkers(log, touched);
    return true;
  }
}

void World::run_until(SimTimeUs t_us, TraceLog* log) {
  while (step_until(t_us, log)) {
  }
  if (t_us > now_us_) now_us_ = t_us;
}

void World::record(TraceLog* log, TraceKind kind, NodeId node, NodeId peer, std::uint64_t msg_id, const char* label,
                   std::int64_t a, std::int64_t b) {
  const TraceRecord r{event_count_, now_us_, kind, node, peer, msg_id, label, a, b};
  trace_hash_ = fold_trace_hash(trace_hash_, r, label_hashes_.hash(label));
  ++trace_records_;
  if (log != nullptr) log->push_back(r);
}

void World::start_node(NodeId id, TraceLog* log) {
  Node& node = nodes_[id];
  ProcessContext ctx(*this, id, log);
  std::visit([&](auto& p) { p.on_start(ctx); }, node.process);
}

NodeId World::dispatch(const Event& event, TraceLog* log) {
  switch (event.kind) {
    case EventKind::start: {
      Node& node = nodes_[event.node];
      if (!node.up || node.removed) return kNoNode;
      record(log, TraceKind::start, event.node, kNoNode, 0, "start");
      start_node(event.node, log);
      return event.node;
    }
    case EventKind::deliver: {
      Message& slot = message_slots_[event.aux];
      const Node& node = nodes_[slot.to];
      DropReason reason = slot.fate;
      if (reason == DropReason::none) reason = network_.blocked(slot.from, slot.to);
      if (reason == DropReason::none && node.removed) reason = DropReason::node_removed;
      if (reason == DropReason::none && !node.up) reason = DropReason::node_down;
      if (reason != DropReason::none) {
        drop_message(event.aux, reason, log);
        return kNoNode;
      }
      const Message message = std::move(slot);  // the slot is free from here on (moved, not copied)
      free_message(event.aux);
      ++stats_.delivered;
      const auto [a, b] = payload_fields(message.payload);
      record(log, TraceKind::deliver, message.to, message.from, message.id, payload_name(message.payload), a, b);
      if (std::holds_alternative<TokenGrant>(message.payload)) ++stats_.token_grants;
      if (const auto* reply = std::get_if<CacheReply>(&message.payload)) ++(reply->hit ? stats_.cache_hits : stats_.cache_misses);
      ProcessContext ctx(*this, message.to, log);
      std::visit([&](auto& p) { p.on_message(ctx, message); }, nodes_[message.to].process);
      return message.to;
    }
    case EventKind::timer: {
      Node& node = nodes_[event.node];
      node.live_timers.erase(std::find(node.live_timers.begin(), node.live_timers.end(), event.ref));
      ++stats_.timers_fired;
      record(log, TraceKind::timer, event.node, kNoNode, 0, "timer", event.aux);
      ProcessContext ctx(*this, event.node, log);
      std::visit([&](auto& p) { p.on_timer(ctx, event.aux); }, node.process);
      return event.node;
    }
    case EventKind::command: {
      const Command command = scripted_[event.ref].command;
      apply_now(command, log);
      return MutexChecker::kAllNodes;
    }
  }
  return kNoNode;
}

// ------------------------------------------------------------------ messages

std::uint32_t World::new_message_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  message_slots_.emplace_back();
  return static_cast<std::uint32_t>(message_slots_.size() - 1);
}

void World::free_message(std::uint32_t slot) {
  message_slots_[slot].id = 0;
  free_slots_.push_back(slot);
}

void World::drop_message(std::uint32_t slot, DropReason reason, TraceLog* log) {
  const Message& m = message_slots_[slot];
  ++stats_.dropped;
  record(log, TraceKind::drop, m.from, m.to, m.id, payload_name(m.payload), static_cast<std::int64_t>(reason));
  free_message(slot);
}

void World::send_message(NodeId from, NodeId to, Payload&& payload, TraceLog* log) {
  if (to >= nodes_.size()) return;
  const LinkConfig& link = network_.link(from, to);
  // The random draws happen in a fixed order whatever the outcome, so one fault setting does not
  // shift every later random choice of the run.
  const bool lost = rng_.chance_ppm(link.loss_ppm);
  const bool duplicated = rng_.chance_ppm(link.duplicate_ppm);
  const int copies = duplicated ? 2 : 1;
  const DropReason blocked = network_.blocked(from, to);
  const char* const label = payload_name(payload);
  const auto [a, b] = payload_fields(payload);
  std::uint64_t first_id = 0;
  for (int copy = 0; copy < copies; ++copy) {
    SimTimeUs latency_us = link.latency.sample_us(rng_);
    if (rng_.chance_ppm(link.reorder_ppm)) latency_us += rng_.between(0, link.reorder_window_us);
    // Built in its slot: the payload is moved once (copied once more for a duplicate).
    const std::uint32_t slot = new_message_slot();
    Message& m = message_slots_[slot];
    m.id = next_message_id_++;
    m.from = from;
    m.to = to;
    m.sent_us = now_us_;
    m.deliver_us = now_us_ + std::max<SimTimeUs>(latency_us, 1);
    m.duplicate_of = first_id;
    if (copy + 1 == copies) m.payload = std::move(payload);  // the last copy takes it
    else m.payload = payload;
    m.fate = blocked;
    if (m.fate == DropReason::none && lost && copy == 0) m.fate = DropReason::loss;
    if (copy == 0) first_id = m.id;
    ++stats_.sent;
    if (copy == 1) ++stats_.duplicated;
    record(log, TraceKind::send, from, to, m.id, label, a, b);
    push_event(m.deliver_us, EventKind::deliver, to, slot, m.id);
  }
}

std::vector<const Message*> World::messages_in_flight() const {
  std::vector<const Message*> out;
  for (const Message& m : message_slots_)
    if (m.id != 0) out.push_back(&m);
  std::sort(out.begin(), out.end(), [](const Message* a, const Message* b) { return a->id < b->id; });
  return out;
}

// ------------------------------------------------------------------ process context

SimTimeUs World::local_time_us(NodeId id) const {
  const Node& node = nodes_[id];
  const SimTimeUs since_us = now_us_ - node.clock_set_at_us;
  return now_us_ + node.clock_skew_us + since_us / 1'000'000 * node.drift_ppm +
         (since_us % 1'000'000) * node.drift_ppm / 1'000'000;
}

SimTimeUs World::monotonic_time_us(NodeId id) const {
  const Node& node = nodes_[id];
  const SimTimeUs since_us = now_us_ - node.clock_set_at_us;
  return node.mono_at_set_us + since_us + since_us / 1'000'000 * node.drift_ppm +
         (since_us % 1'000'000) * node.drift_ppm / 1'000'000;
}

SimTimeUs World::real_delay_us(NodeId id, SimTimeUs local_delay_us) const {
  const std::int64_t rate = 1'000'000 + nodes_[id].drift_ppm;  // local microseconds per 1e6 real ones
  if (local_delay_us <= 0) return 0;
  if (rate == 1'000'000) return std::max<SimTimeUs>(local_delay_us, 1);  // no drift: the same, without a 128-bit division
  const Uint128 real = static_cast<Uint128>(local_delay_us) * 1'000'000 / static_cast<Uint128>(rate);
  // A positive delay stays positive on a fast clock: a timer never fires in the instant it was set.
  return std::max<SimTimeUs>(static_cast<SimTimeUs>(real), 1);
}

SimTimeUs ProcessContext::local_now_us() const { return world_.local_time_us(self_); }

SimTimeUs ProcessContext::monotonic_now_us() const { return world_.monotonic_time_us(self_); }

void ProcessContext::send(NodeId to, Payload payload) { world_.send_message(self_, to, std::move(payload), log_); }

std::uint64_t ProcessContext::set_timer(SimTimeUs local_delay_us, std::uint32_t kind) {
  const std::uint64_t id = world_.next_timer_id_++;
  world_.nodes_[self_].live_timers.push_back(id);
  world_.push_event(world_.now_us_ + world_.real_delay_us(self_, local_delay_us), EventKind::timer, self_, kind, id);
  return id;
}

void ProcessContext::cancel_timer(std::uint64_t timer_id) {
  auto& timers = world_.nodes_[self_].live_timers;
  auto it = std::find(timers.begin(), timers.end(), timer_id);
  if (it == timers.end()) return;
  timers.erase(it);
  world_.timers_died(1);
}

// Cancelled timers stay in the queue until their time comes and are skipped then (no event, no
// record). A lock client cancels a retry timer on nearly every grant, so they piled up to ten times
// the live events and the queue's pops paid for them; once they are the majority, they go.
void World::timers_died(std::size_t count) {
  dead_timers_ += static_cast<std::uint32_t>(count);
  if (dead_timers_ >= 16 && 2 * static_cast<std::size_t>(dead_timers_) > queue_.size()) drop_dead_timers();
  else drop_dead_timers_on_top();
}

bool World::timer_live(const Event& e) const {
  const auto& live = nodes_[e.node].live_timers;
  return std::find(live.begin(), live.end(), e.ref) != live.end();
}

// A dead timer never leaves the top of the queue showing: next_event_time_us() must be the time of
// an event that will happen, or a run "until t" would step past a dead timer into an event after t.
void World::drop_dead_timers_on_top() {
  while (!queue_.empty() && queue_.top().kind == EventKind::timer && !timer_live(queue_.top())) {
    queue_.pop();
    if (dead_timers_ > 0) --dead_timers_;
  }
}

void World::drop_dead_timers() {
  queue_.keep_if([&](const Event& e) { return e.kind != EventKind::timer || timer_live(e); });
  dead_timers_ = 0;
}

std::uint64_t ProcessContext::random_below(std::uint64_t bound) { return world_.rng_.below(bound); }

std::int64_t ProcessContext::random_between(std::int64_t lo, std::int64_t hi) { return world_.rng_.between(lo, hi); }

void ProcessContext::note(const char* label, NodeId peer, std::int64_t a, std::int64_t b) {
  world_.record(log_, TraceKind::note, self_, peer, 0, label, a, b);
}

NodeId ProcessContext::find_role(NodeRole role) const {
  const auto& nodes = world_.nodes_;
  for (NodeId id = 0; id < nodes.size(); ++id)
    if (nodes[id].role == role && !nodes[id].removed) return id;
  return kNoNode;
}

// ------------------------------------------------------------------ commands

std::optional<NodeId> World::find_node(std::string_view name) const {
  for (NodeId id = 0; id < nodes_.size(); ++id)
    if (!nodes_[id].removed && nodes_[id].name == name) return id;
  return std::nullopt;
}

std::vector<std::string> World::node_names() const {
  std::vector<std::string> out;
  out.reserve(nodes_.size());
  for (const Node& n : nodes_) out.push_back(n.name);
  return out;
}

std::optional<NodeId> World::live_node(const std::string& name, std::string& error) const {
  auto id = find_node(name);
  if (!id) error = "no node named \"" + name + "\"";
  return id;
}

void World::crash_node(NodeId id, TraceLog* log) {
  Node& node = nodes_[id];
  node.up = false;
  node.paused = false;
  ++node.crashes;
  const std::size_t lost_timers = node.live_timers.size();
  node.live_timers.clear();
  timers_died(lost_timers);
  // Messages that waited in a paused process are lost with it.
  std::vector<Event> waiting = std::move(node.deferred);
  node.deferred.clear();
  for (const Event& e : waiting)
    if (e.kind == EventKind::deliver) drop_message(e.aux, DropReason::node_down, log);
  std::visit([](auto& p) { p.on_crash(); }, node.process);
}

ApplyResult World::apply(const Command& command, TraceLog* log) {
  ++event_count_;
  ApplyResult result = apply_now(command, log);
  run_checkers(log, MutexChecker::kAllNodes);
  return result;
}

ApplyResult World::apply_now(const Command& command, TraceLog* log) {
  std::string error;
  NodeId node_a = kNoNode;
  NodeId node_b = kNoNode;
  const bool ok = std::visit(
      Overloaded{
          [&](const AddNode& c) {
            if (!valid_node_name(c.name)) return error = "bad node name \"" + c.name + "\"", false;
            if (find_node(c.name)) return error = "a node named \"" + c.name + "\" exists", false;
            if (nodes_.size() >= 256) return error = "at most 256 nodes", false;
            if (c.role == NodeRole::balancer && std::any_of(nodes_.begin(), nodes_.end(), [](const Node& n) {
                  return n.role == NodeRole::balancer && !n.removed;
                }))
              return error = "there is already a balancer (one per world)", false;
            Node node;
            node.name = c.name;
            node.role = c.role;
            node.process = make_process(c.role);
            node_a = static_cast<NodeId>(nodes_.size());
            nodes_.push_back(std::move(node));
            if (c.role == NodeRole::cache) ring_.add_member(c.name);
            push_event(now_us_, EventKind::start, node_a, 0, 0);
            lb_node_event(node_a, LbNodeOp::added, log);
            return true;
          },
          [&](const RemoveNode& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            if (nodes_[*id].up) crash_node(*id, log);
            nodes_[*id].removed = true;
            ring_.remove_member(c.node);
            lb_node_event(*id, LbNodeOp::removed, log);
            return true;
          },
          [&](const CrashNode& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            if (!nodes_[*id].up) return error = c.node + " is already down", false;
            crash_node(*id, log);
            ring_.set_alive(c.node, false);
            lb_node_event(*id, LbNodeOp::crashed, log);
            return true;
          },
          [&](const RestartNode& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            if (nodes_[*id].up) return error = c.node + " is running", false;
            nodes_[*id].up = true;
            ring_.set_alive(c.node, true);
            push_event(now_us_, EventKind::start, *id, 0, 0);  // on_start runs as the next event
            lb_node_event(*id, LbNodeOp::restarted, log);
            return true;
          },
          [&](const PauseNode& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            if (!nodes_[*id].up) return error = c.node + " is down", false;
            if (nodes_[*id].paused) return error = c.node + " is already paused", false;
            nodes_[*id].paused = true;
            lb_node_event(*id, LbNodeOp::paused, log);
            return true;
          },
          [&](const ResumeNode& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            Node& node = nodes_[*id];
            if (!node.paused) return error = c.node + " is not paused", false;
            node.paused = false;
            // What waited happens now, in the order it arrived.
            std::vector<Event> waiting = std::move(node.deferred);
            node.deferred.clear();
            for (const Event& e : waiting) push_event(now_us_, e.kind, e.node, e.aux, e.ref);
            lb_node_event(*id, LbNodeOp::resumed, log);
            return true;
          },
          [&](const SetClock& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            if (c.drift_ppm < -100'000 || c.drift_ppm > 100'000) return error = "drift_ppm must be in [-100000, 100000]", false;
            nodes_[*id].mono_at_set_us = monotonic_time_us(*id);  // the monotonic clock goes on, unjumped
            nodes_[*id].clock_skew_us = c.skew_us;
            nodes_[*id].drift_ppm = c.drift_ppm;
            nodes_[*id].clock_set_at_us = now_us_;
            return true;
          },
          [&](const CutLink& c) {
            auto from = live_node(c.from, error);
            auto to = from ? live_node(c.to, error) : std::nullopt;
            if (!from || !to) return false;
            if (*from == *to) return error = "a link needs two different nodes", false;
            node_a = *from, node_b = *to;
            network_.cut(*from, *to, c.both_ways);
            return true;
          },
          [&](const HealLink& c) {
            auto from = live_node(c.from, error);
            auto to = from ? live_node(c.to, error) : std::nullopt;
            if (!from || !to) return false;
            node_a = *from, node_b = *to;
            network_.heal(*from, *to, c.both_ways);
            return true;
          },
          [&](const Partition& c) {
            std::vector<std::vector<NodeId>> groups;
            std::vector<NodeId> seen;
            for (const auto& group : c.groups) {
              groups.emplace_back();
              for (const auto& name : group) {
                auto id = live_node(name, error);
                if (!id) return false;
                if (std::find(seen.begin(), seen.end(), *id) != seen.end())
                  return error = name + " is in two groups", false;
                seen.push_back(*id);
                groups.back().push_back(*id);
              }
            }
            network_.partition(groups);
            return true;
          },
          [&](const HealNetwork&) {
            network_.heal_all();
            return true;
          },
          [&](const ClientOp& c) {
            auto id = live_node(c.node, error);
            if (!id) return false;
            node_a = *id;
            if (!nodes_[*id].up) return error = c.node + " is down", false;
            if (nodes_[*id].paused) return error = c.node + " is paused", false;
            const NodeRole role = nodes_[*id].role;
            if (role == NodeRole::lb_client || role == NodeRole::balancer || role == NodeRole::lb_server)
              return lb_client_op(*id, c.op, c.arg, error);
            ProcessContext ctx(*this, *id, log);
            return std::visit([&](auto& p) { return p.on_client_op(ctx, c.op, c.arg, error); }, nodes_[*id].process);
          },
          [&](const SetParam& c) { return set_param(c.name, c.value, error); },
      },
      command);
  if (!ok) {
    record(log, TraceKind::rejected, node_a, node_b, 0, command_name(command));
    return {false, describe(command) + ": " + error};
  }
  TraceKind kind = TraceKind::command;
  if (std::holds_alternative<CrashNode>(command)) kind = TraceKind::crash;
  else if (std::holds_alternative<RestartNode>(command)) kind = TraceKind::restart;
  else if (std::holds_alternative<PauseNode>(command)) kind = TraceKind::pause;
  else if (std::holds_alternative<ResumeNode>(command)) kind = TraceKind::resume;
  else if (std::holds_alternative<AddNode>(command)) kind = TraceKind::node_added;
  else if (std::holds_alternative<RemoveNode>(command)) kind = TraceKind::node_removed;
  record(log, kind, node_a, node_b, 0, command_name(command));
  return {};
}

// ------------------------------------------------------------------ checkers

void World::run_checkers(TraceLog* log, NodeId touched) {
  // Mutual exclusion over every lock of core/locks/, token lock and consensus lock included (mutex_checker.hpp):
  // only the node the event touched can have changed, so only it is looked at.
  if (touched != kNoNode) {
    const std::size_t found = mutex_checker_.after_event(*this, touched, violations_);
    for (std::size_t i = violations_.size() - found; i < violations_.size(); ++i) {
      const Violation& v = violations_[i];
      record(log, TraceKind::violation, v.node, v.peer, 0, v.what, static_cast<std::int64_t>(v.causes[0]),
             static_cast<std::int64_t>(v.causes[1]));
    }
  }
  // Raft (Figure 3), by the same rule; the consensus lock's clients are judged by the mutex checker above.
  if (touched == kNoNode) return;
  if (touched != MutexChecker::kAllNodes && !std::holds_alternative<RaftNode>(nodes_[touched].process)) return;  // (hot path)
  const auto& findings = touched == MutexChecker::kAllNodes ? raft_checker_.observe(*this) : raft_checker_.observe_node(*this, touched);
  for (const RaftChecker::Finding& f : findings) {
    violations_.push_back({event_count_, now_us_, f.what, f.node, f.peer});
    record(log, TraceKind::violation, f.node, f.peer, 0, f.what);
  }
}

// ------------------------------------------------------------------ hashing

std::uint64_t World::state_hash() const {
  Hasher h;
  h.i64(now_us_).u64(event_count_).u64(next_seq_).u64(next_message_id_).u64(next_timer_id_).u64(trace_hash_);
  for (int i = 0; i < 4; ++i) h.u64(rng_.state()[i]);
  for (const Event& e : queue_.items())
    h.i64(e.time_us).u64(e.seq).u64(static_cast<std::uint64_t>(e.kind)).u64(e.node).u64(e.aux).u64(e.ref);
  for (const Node& n : nodes_) {
    h.str(n.name).u64(static_cast<std::uint64_t>(n.role)).boolean(n.up).boolean(n.paused).boolean(n.removed);
    h.i64(n.clock_skew_us).i64(n.drift_ppm).i64(n.clock_set_at_us).i64(n.mono_at_set_us).u64(n.crashes).u64(n.process.index());
    std::visit([&](const auto& p) { p.hash_into(h); }, n.process);
    for (auto t : n.live_timers) h.u64(t);
    for (const Event& e : n.deferred) h.i64(e.time_us).u64(e.seq).u64(e.ref);
  }
  for (const Message& m : message_slots_) {
    h.u64(m.id).u64(m.from).u64(m.to).i64(m.sent_us).i64(m.deliver_us).u64(static_cast<std::uint64_t>(m.fate));
    const auto [a, b] = payload_fields(m.payload);
    h.u64(m.payload.index()).i64(a).i64(b);
  }
  for (const auto& [from, to] : network_.cuts()) h.u64(from).u64(to);
  for (const auto& [node, group] : network_.groups()) h.u64(node).u64(group);
  for (const auto& name : ring_.members()) h.str(name);
  for (auto owner : ring_.key_owner()) h.u64(owner);
  for (const Violation& v : violations_)
    h.u64(v.event).str(v.what).u64(v.node).u64(v.peer).u64(v.causes[0]).u64(v.causes[1]).u64(v.causes[2]);
  mutex_checker_.hash_into(h);
  h.u64(stats_.sent).u64(stats_.delivered).u64(stats_.dropped).u64(stats_.duplicated);
  if (lb_) lb_->hash_into(h);
  return h.value();
}

}  // namespace dsplay
