// Commands: every change to a world is one of these values. UI clicks, scenario scripts, lessons,
// the CLI and tests all produce the same commands, so a run is fully described by
// (config, seed, command log). Nodes are named (not numbered) so logs and share links stay
// readable and survive node additions.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/sim_time.hpp"

namespace dsplay {

// Every process a node can run. Adding a role: a value here, its word in command.cpp, its process
// in World::make_process (world.cpp).
enum class NodeRole : std::uint8_t {
  plain, token_coordinator, token_client, cache, cache_client,
  lb_client, balancer, lb_server,  // the load-balancing simulation's clients, its one balancer, its servers
  raft, raft_client,  // Raft servers replicating the lock table, and clients of that lock service (core/raft/)
  // the lock family of core/locks/
  storage,             // the protected resource the lock clients write to
  ticket_coordinator,  // ticket lock
  ticket_client,
  coord_service,       // ZooKeeper-style coordination service (sessions, ephemeral sequential entries)
  queue_client,        // queue lock over the coordination service
  redis,               // a single Redis server (keys with TTLs on its own clock)
  redis_client,        // lease lock over one Redis server (naive / atomic / fenced)
  redlock_client,      // Redlock over every redis node
};
const char* node_role_name(NodeRole role);
int node_role_count();  // roles are 0 .. node_role_count() - 1
bool parse_node_role(const std::string& text, NodeRole& out);

struct AddNode {
  std::string name;
  NodeRole role = NodeRole::plain;
  bool operator==(const AddNode&) const = default;
};
struct RemoveNode {
  std::string node;
  bool operator==(const RemoveNode&) const = default;
};
struct CrashNode {  // volatile state lost, durable state kept, timers gone
  std::string node;
  bool operator==(const CrashNode&) const = default;
};
struct RestartNode {
  std::string node;
  bool operator==(const RestartNode&) const = default;
};
struct PauseNode {  // a frozen process (GC pause): its timers and messages wait until resume
  std::string node;
  bool operator==(const PauseNode&) const = default;
};
struct ResumeNode {
  std::string node;
  bool operator==(const ResumeNode&) const = default;
};
struct SetClock {  // local clock = true time + skew, running drift_ppm fast (negative: slow)
  std::string node;
  SimTimeUs skew_us = 0;
  std::int32_t drift_ppm = 0;
  bool operator==(const SetClock&) const = default;
};
struct CutLink {
  std::string from;
  std::string to;
  bool both_ways = true;
  bool operator==(const CutLink&) const = default;
};
struct HealLink {
  std::string from;
  std::string to;
  bool both_ways = true;
  bool operator==(const HealLink&) const = default;
};
struct Partition {  // nodes not listed stay in group 0 together with the first group
  std::vector<std::vector<std::string>> groups;
  bool operator==(const Partition&) const = default;
};
struct HealNetwork {  // removes every cut and the partition
  bool operator==(const HealNetwork&) const = default;
};
struct ClientOp {  // ask a node's process to do something: "acquire", "release", "lookup"...
  std::string node;
  std::string op;
  std::int64_t arg = 0;
  bool operator==(const ClientOp&) const = default;
};
struct SetParam {  // a named world parameter; see world_params() in world.hpp for names and ranges
  std::string name;
  std::int64_t value = 0;
  bool operator==(const SetParam&) const = default;
};

using Command = std::variant<AddNode, RemoveNode, CrashNode, RestartNode, PauseNode, ResumeNode,
                             SetClock, CutLink, HealLink, Partition, HealNetwork, ClientOp, SetParam>;

// The "do" word of a command in scenario files and logs ("crash", "cut_link", ...).
const char* command_name(const Command& command);
// One-line human text: "crash coord", "cut_link a -> b", "set net.loss_ppm = 10000".
std::string describe(const Command& command);

struct TimedCommand {
  SimTimeUs at_us = 0;
  Command command;
  bool operator==(const TimedCommand&) const = default;
};

}  // namespace dsplay
