// What an algorithm sees of the simulator: a small context (send, timers, local clock, random,
// notes) handed to state machines driven by messages and timers (etcd-raft style). Processes
// know nothing else of the world, so they can be tested and reasoned about alone.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/command.hpp"
#include "core/message.hpp"
#include "core/stable_hash.hpp"
#include "core/trace.hpp"

namespace dsplay {

class World;

// How a node looks at a glance; the UI picks colours from this.
enum class NodeActivity : std::uint8_t { idle, waiting, active, serving };

class ProcessContext {
 public:
  ProcessContext(World& world, NodeId self, TraceLog* log) : world_(world), self_(self), log_(log) {}

  NodeId self() const { return self_; }
  SimTimeUs local_now_us() const;  // this node's wall clock: true time + skew + drift (jumps with set_clock)
  // This node's monotonic clock (drift only, never jumps): what leases and timeouts are measured on.
  SimTimeUs monotonic_now_us() const;
  void send(NodeId to, Payload payload);
  // Fires on_timer(kind) after local_delay_us of this node's clock; returns an id for cancel_timer.
  std::uint64_t set_timer(SimTimeUs local_delay_us, std::uint32_t kind);
  void cancel_timer(std::uint64_t timer_id);
  std::uint64_t random_below(std::uint64_t bound);
  std::int64_t random_between(std::int64_t lo, std::int64_t hi);
  // Reports something worth seeing in the trace; label must be a string literal.
  void note(const char* label, NodeId peer = kNoNode, std::int64_t a = 0, std::int64_t b = 0);
  // The first live-or-not node with this role (kNoNode if none): how clients find coordinators.
  NodeId find_role(NodeRole role) const;
  const World& world() const { return world_; }

 private:
  World& world_;
  NodeId self_;
  TraceLog* log_;
};

using Inspection = std::vector<std::pair<std::string, std::string>>;  // label -> value, for the inspector

// A node that only receives (cache servers on the ring, plain nodes).
struct PlainProcess {
  std::uint64_t messages_received = 0;

  void on_start(ProcessContext&) {}
  void on_message(ProcessContext&, const Message&) { ++messages_received; }
  void on_timer(ProcessContext&, std::uint32_t) {}
  void on_crash() { messages_received = 0; }
  bool on_client_op(ProcessContext&, const std::string& op, std::int64_t, std::string& error) {
    error = "plain nodes do not take \"" + op + "\"";
    return false;
  }
  NodeActivity activity() const { return NodeActivity::idle; }
  std::string status() const { return {}; }
  Inspection inspect() const { return {{"messages received", std::to_string(messages_received)}}; }
  void hash_into(Hasher& h) const { h.u64(messages_received); }
  bool operator==(const PlainProcess&) const = default;
};

}  // namespace dsplay
