// The mutual-exclusion checker (see mutex_checker.hpp).
#include "core/locks/mutex_checker.hpp"

#include "core/world.hpp"

namespace dsplay {

std::size_t MutexChecker::after_event(const World& world, NodeId touched, std::vector<Violation>& out) {
  const std::size_t before = out.size();
  const auto& nodes = world.nodes();
  if (nodes_.size() < nodes.size()) nodes_.resize(nodes.size());
  if (touched == kAllNodes) {
    for (NodeId id = 0; id < nodes.size(); ++id) poll(world, id, out);
    for (NodeId id = 0; id < nodes.size(); ++id) check_stuck(world, id, out);
  } else if (touched < nodes.size()) {
    // An event changes only the node it touched, and only three kinds of node concern the checker.
    // (Crashes and restarts are commands: they come with kAllNodes.)
    const Process& process = nodes[touched].process;
    if (std::holds_alternative<RedisServer>(process)) check_stuck(world, touched, out);
    else if (has_critical_section(process) || std::holds_alternative<StorageNode>(process)) poll(world, touched, out);
  }
  return out.size() - before;
}

const CheckedNode::Past* MutexChecker::find_past(NodeId client, std::uint64_t entry) const {
  if (client >= nodes_.size()) return nullptr;
  for (const auto& p : nodes_[client].past)
    if (p.generation != 0 && p.entry == entry) return &p;
  return nullptr;
}

void MutexChecker::poll(const World& world, NodeId id, std::vector<Violation>& out) {
  const Node& node = world.nodes()[id];
  CheckedNode& seen = nodes_[id];
  const std::uint64_t event = world.event_count();
  const bool up = node.up && !node.removed;
  if (seen.up && !up) seen.crash_event = event;
  seen.up = up;

  // --- critical sections ---
  const CriticalSection cs = up ? critical_section_of(node.process) : CriticalSection{};
  if (cs.inside && (!seen.inside || cs.entry != seen.entry)) {
    seen.inside = true;
    seen.entry = cs.entry;
    seen.token = cs.token;
    seen.generation = ++generation_;
    seen.grant_event = event;
    seen.entered_us = world.now_us();
    seen.lease_until_mono_us = cs.lease_until_mono_us;
    seen.past[seen.past_next] = {cs.entry, seen.generation, event};
    seen.past_next = (seen.past_next + 1) % static_cast<std::uint32_t>(seen.past.size());
    // Anyone else still inside, and still within its lease by its own clock? (A client that
    // enters with its lease already run out is not protected by the lock at all: its writes are
    // judged by the stale-write rule.)
    const bool own_lease_valid =
        cs.lease_until_mono_us == kSimTimeMaxUs || world.monotonic_time_us(id) < cs.lease_until_mono_us;
    for (NodeId other = 0; own_lease_valid && other < nodes_.size(); ++other) {
      const CheckedNode& o = nodes_[other];
      if (other == id || !o.inside || !o.up) continue;
      if (o.lease_until_mono_us != kSimTimeMaxUs && world.monotonic_time_us(other) >= o.lease_until_mono_us) continue;
      out.push_back({event, world.now_us(), "two holders", other, id, {o.grant_event, event, 0}});
    }
  } else if (!cs.inside) {
    seen.inside = false;
  } else {
    seen.token = cs.token;
    seen.lease_until_mono_us = cs.lease_until_mono_us;  // a renewed lease (queue-lock session)
  }

  // --- writes the storage node took since we last looked ---
  if (const auto* storage = std::get_if<StorageNode>(&node.process)) {
    const std::uint64_t fresh = storage->writes() - seen.storage_writes_seen;
    seen.storage_writes_seen = storage->writes();
    const std::size_t kept = storage->log_size();
    for (std::size_t i = kept - std::min<std::size_t>(kept, fresh); i < kept; ++i) {
      const StorageWriteRecord& w = storage->log_at(i);
      if (!w.accepted) {
        ++writes_rejected_;
        continue;
      }
      ++writes_accepted_;
      const CheckedNode::Past* past = find_past(w.client, w.entry);
      const std::uint64_t generation = past ? past->generation : 0;
      if (generation < newest_written_generation_) {
        ++stale_writes_;
        out.push_back({event, world.now_us(), "stale write accepted", w.client, newest_writer_,
                       {past ? past->grant_event : 0, newest_write_event_, w.event}});
      } else {
        newest_written_generation_ = generation;
        newest_write_event_ = w.event;
        newest_writer_ = w.client;
      }
    }
  }
}

void MutexChecker::check_stuck(const World& world, NodeId id, std::vector<Violation>& out) {
  const Node& node = world.nodes()[id];
  const auto* redis = std::get_if<RedisServer>(&node.process);
  if (redis == nullptr || !node.up || node.removed) return;
  if (!redis->has_lock(world.local_time_us(id)) || redis->lock_expire_at_local_us() != RedisServer::kNoExpiry) return;
  const NodeId owner = redis->lock_owner();
  if (owner >= nodes_.size() || nodes_[owner].up) return;
  CheckedNode& seen = nodes_[id];
  if (seen.stuck_flagged_event == redis->lock_set_event()) return;
  seen.stuck_flagged_event = redis->lock_set_event();
  out.push_back({world.event_count(), world.now_us(), "lock stuck forever", owner, id,
                 {redis->lock_set_event(), nodes_[owner].crash_event, 0}});
}

void MutexChecker::hash_into(Hasher& h) const {
  h.u64(generation_).u64(newest_written_generation_).u64(newest_write_event_).u64(newest_writer_);
  h.u64(writes_accepted_).u64(writes_rejected_).u64(stale_writes_).u64(nodes_.size());
  for (const CheckedNode& n : nodes_) {
    h.boolean(n.inside).u64(n.entry).u64(n.token).u64(n.generation).u64(n.grant_event).i64(n.entered_us);
    h.i64(n.lease_until_mono_us).boolean(n.up).u64(n.crash_event).u64(n.storage_writes_seen).u64(n.stuck_flagged_event);
  }
}

}  // namespace dsplay
