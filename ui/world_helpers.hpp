// Small read-only questions the panels ask about a world (a node's activity and status through
// its process variant, free node names; parameter values come from core's world_param_value). Computed here in ui/ so core
// stays free of UI conveniences; nothing here changes a world.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario.hpp"
#include "core/world.hpp"

namespace dsplay::ui {

NodeActivity node_activity(const Node& node);
// A process's status line and inspector rows, with core's "node <id>" references turned into the
// nodes' names (core knows ids only).
std::string node_status(const Node& node, const std::vector<std::string>& node_names);
Inspection node_inspect(const Node& node, const std::vector<std::string>& node_names);
// "follows node 2" -> "follows s3": every whole-word "node <id>" with a known id becomes its name.
std::string with_node_names(std::string text, const std::vector<std::string>& node_names);
bool node_holds_token(const Node& node);  // a lock client of any kind inside its critical section
// Roles whose processes take "acquire" / "write" / "release" (token, ticket, queue, Redis, Redlock clients).
bool is_lock_client(NodeRole role);
// "crashed", "paused", "removed" or "up".
const char* node_state_name(const Node& node);
// Human words for a role: "coordinator", "token client", "cache server", "cache client", "plain".
const char* role_label(NodeRole role);


// Token coordinator nodes the scenario has: its initial nodes and the ones its script adds (the
// user's own commands do not count: changing the re-election mode restarts without them).
// Re-election needs at least two (kTokenReelectionMinCoordinators): one coordinates, one stands by.
constexpr int kTokenReelectionMinCoordinators = 2;
int scenario_token_coordinators(const Scenario& scenario);

// A free name for a new node of this role: "cache-5", "client-3", ... (removed names stay taken).
std::string auto_node_name(const World& world, NodeRole role);

// NodeId -> index into world.ring().members() (kNoMember for nodes not on the ring).
void ring_members_of_nodes(const World& world, std::vector<std::uint32_t>& out);

// Partition{{everyone else}, {off...}}: cuts the given nodes off from the rest (nullopt if either
// side would be empty). Removed nodes are left out.
std::optional<Command> partition_off_command(const World& world, const std::vector<NodeId>& off);

// Clock faults. The SetClock that jumps a node's wall clock by delta_us from what it reads now
// (its drift stays; its monotonic clock never jumps), and the one that makes it run delta_ppm
// faster from now on without a jump (clamped to the +-100,000 ppm the world accepts).
SetClock clock_jumped(const World& world, NodeId id, SimTimeUs delta_us);
SetClock clock_drifted(const World& world, NodeId id, std::int32_t delta_ppm);
// The clock faults the apps offer on a node, in order: jumps, rates, back to true time (offered
// only while the clock is off). One list for the inspector's buttons and the node menu.
struct ClockFault {
  const char* button;  // short: "+10 s"
  const char* menu;    // long: "Jump forward 10 s"
  bool enabled;
  SetClock command;
};
std::vector<ClockFault> clock_faults(const World& world, NodeId id);

// Mean one-way latency of a link configuration, in microseconds.
double mean_latency_us(const LinkConfig& link);

// Trace records are ordered by event and time never decreases: first record with time >= t.
std::size_t first_record_at_or_after(const TraceLog& trace, std::size_t end, SimTimeUs t_us);
// First record with event >= e.
std::size_t first_record_of_event(const TraceLog& trace, std::size_t end, std::uint64_t event);

// Nice step (1, 2, 5 x 10^k) of at least `raw`.
double nice_step(double raw);

}  // namespace dsplay::ui
