// Named numbers read from a world: "cache.hit_rate", "ring.moved_fraction", "lb.p99_ms",
// "raft.term", "token.acquisitions" of node c2, "param.ring.points_per_node"... Lesson gates and
// question measures (core/lesson.hpp) are written in these names, so a lesson file can say what
// the learner must bring about and what the simulation really shows without any code. Read-only:
// nothing here changes a world. Ratios are doubles (display and grading only, never events).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/world.hpp"

namespace dsplay {

struct StatInfo {
  const char* name;   // "ring.moved_fraction"; "param.<name>" covers every world_params() entry
  bool per_node;      // needs a node name (token.acquisitions of "c2")
  const char* help;   // one line, for docs/LESSONS.md, the schema and error messages
};
// Every stat, in documentation order (param.* are listed once as "param.<name>").
const std::vector<StatInfo>& world_stat_list();
// The entry for a stat name (param.* names resolve to the "param.<name>" entry); nullptr if unknown.
const StatInfo* find_world_stat(std::string_view stat);

// The value of a stat now. nullopt with error set when the node is unknown or of the wrong kind,
// or the world has no such part (no load balancer, no Raft cluster).
std::optional<double> world_stat(const World& world, std::string_view stat, std::string_view node, std::string& error);

// The value a world parameter (world_params() names) has now.
std::optional<std::int64_t> world_param_value(const World& world, std::string_view name);

// Node references a lesson may use instead of a name, resolved against a world:
// "@leader" (the Raft leader with the highest term that is up), "@token_holder" (the first token
// client holding the token). A plain name is returned as it is; "" when nobody fits.
std::string resolve_node_ref(const World& world, std::string_view ref);
bool is_node_ref(std::string_view name);  // starts with '@'
bool known_node_ref(std::string_view ref);

}  // namespace dsplay
