// Names and descriptions of commands and node roles (see command.hpp).
#include "core/command.hpp"
#include "core/overloaded.hpp"

namespace dsplay {
namespace {

constexpr const char* kRoleNames[] = {"plain", "token_coordinator", "token_client", "cache", "cache_client",
                                       "lb_client", "balancer", "lb_server", "raft", "raft_client",
                                       "storage", "ticket_coordinator", "ticket_client", "coord_service", "queue_client",
                                       "redis", "redis_client", "redlock_client"};
static_assert(std::size(kRoleNames) == static_cast<std::size_t>(NodeRole::redlock_client) + 1, "one word per NodeRole");
}  // namespace

const char* node_role_name(NodeRole role) { return kRoleNames[static_cast<int>(role)]; }

int node_role_count() { return static_cast<int>(std::size(kRoleNames)); }

bool parse_node_role(const std::string& text, NodeRole& out) {
  for (int i = 0; i < static_cast<int>(std::size(kRoleNames)); ++i) {
    if (text == kRoleNames[i]) {
      out = static_cast<NodeRole>(i);
      return true;
    }
  }
  return false;
}

const char* command_name(const Command& command) {
  return std::visit(Overloaded{
                        [](const AddNode&) { return "add_node"; },
                        [](const RemoveNode&) { return "remove_node"; },
                        [](const CrashNode&) { return "crash"; },
                        [](const RestartNode&) { return "restart"; },
                        [](const PauseNode&) { return "pause"; },
                        [](const ResumeNode&) { return "resume"; },
                        [](const SetClock&) { return "set_clock"; },
                        [](const CutLink&) { return "cut_link"; },
                        [](const HealLink&) { return "heal_link"; },
                        [](const Partition&) { return "partition"; },
                        [](const HealNetwork&) { return "heal"; },
                        [](const ClientOp&) { return "client"; },
                        [](const SetParam&) { return "set"; },
                    },
                    command);
}

std::string describe(const Command& command) {
  const std::string name = command_name(command);
  return std::visit(
      Overloaded{
          [&](const AddNode& c) { return name + " " + c.name + " (" + node_role_name(c.role) + ")"; },
          [&](const RemoveNode& c) { return name + " " + c.node; },
          [&](const CrashNode& c) { return name + " " + c.node; },
          [&](const RestartNode& c) { return name + " " + c.node; },
          [&](const PauseNode& c) { return name + " " + c.node; },
          [&](const ResumeNode& c) { return name + " " + c.node; },
          [&](const SetClock& c) {
            return name + " " + c.node + " skew " + format_duration(c.skew_us) + " drift " +
                   std::to_string(c.drift_ppm) + "ppm";
          },
          [&](const CutLink& c) { return name + " " + c.from + (c.both_ways ? " <-> " : " -> ") + c.to; },
          [&](const HealLink& c) { return name + " " + c.from + (c.both_ways ? " <-> " : " -> ") + c.to; },
          [&](const Partition& c) {
            std::string out = name;
            for (const auto& group : c.groups) {
              out += " {";
              for (std::size_t i = 0; i < group.size(); ++i) out += (i ? "," : "") + group[i];
              out += "}";
            }
            return out;
          },
          [&](const HealNetwork&) { return name; },
          [&](const ClientOp& c) {
            return name + " " + c.node + " " + c.op + (c.arg ? " " + std::to_string(c.arg) : "");
          },
          [&](const SetParam& c) { return name + " " + c.name + " = " + std::to_string(c.value); },
      },
      command);
}

}  // namespace dsplay
