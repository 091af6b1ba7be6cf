// Read-only helpers about a world for the panels (see world_helpers.hpp).
#include "ui/world_helpers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace dsplay::ui {

NodeActivity node_activity(const Node& node) {
  return std::visit([](const auto& p) { return p.activity(); }, node.process);
}

std::string with_node_names(std::string text, const std::vector<std::string>& node_names) {
  const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  std::size_t at = 0;
  while ((at = text.find("node ", at)) != std::string::npos) {
    std::size_t end = at + 5;
    std::size_t id = 0;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) && end - at < 12)
      id = id * 10 + static_cast<std::size_t>(text[end++] - '0');
    const bool whole = end > at + 5 && (at == 0 || !word_char(text[at - 1])) && (end == text.size() || !word_char(text[end]));
    if (whole && id < node_names.size()) {
      text.replace(at, end - at, node_names[id]);
      at += node_names[id].size();
    } else {
      at += 5;
    }
  }
  return text;
}

std::string node_status(const Node& node, const std::vector<std::string>& node_names) {
  return with_node_names(std::visit([](const auto& p) { return p.status(); }, node.process), node_names);
}

Inspection node_inspect(const Node& node, const std::vector<std::string>& node_names) {
  Inspection rows = std::visit([](const auto& p) { return p.inspect(); }, node.process);
  for (auto& row : rows) row.second = with_node_names(std::move(row.second), node_names);
  return rows;
}

bool node_holds_token(const Node& node) {
  return node.up && !node.removed && critical_section_of(node.process).inside;
}

bool is_lock_client(NodeRole role) {
  return role == NodeRole::token_client || role == NodeRole::ticket_client || role == NodeRole::queue_client ||
         role == NodeRole::redis_client || role == NodeRole::redlock_client;
}

const char* node_state_name(const Node& node) {
  if (node.removed) return "removed";
  if (!node.up) return "crashed";
  if (node.paused) return "paused";
  return "up";
}

int scenario_token_coordinators(const Scenario& scenario) {
  int count = 0;
  for (const NodeSpec& n : scenario.config.nodes) count += n.role == NodeRole::token_coordinator ? 1 : 0;
  for (const TimedCommand& tc : scenario.script)
    if (const auto* add = std::get_if<AddNode>(&tc.command); add && add->role == NodeRole::token_coordinator) ++count;
  return count;
}

const char* role_label(NodeRole role) {
  switch (role) {
    case NodeRole::plain: return "plain node";
    case NodeRole::token_coordinator: return "lock coordinator";
    case NodeRole::token_client: return "token client";
    case NodeRole::cache: return "cache server";
    case NodeRole::cache_client: return "cache client";
    case NodeRole::storage: return "storage node";
    case NodeRole::ticket_coordinator: return "ticket coordinator";
    case NodeRole::ticket_client: return "ticket client";
    case NodeRole::coord_service: return "coordination service";
    case NodeRole::queue_client: return "queue-lock client";
    case NodeRole::redis: return "Redis server";
    case NodeRole::redis_client: return "Redis lock client";
    case NodeRole::redlock_client: return "Redlock client";
    case NodeRole::lb_client: return "load-balancing client";
    case NodeRole::balancer: return "load balancer";
    case NodeRole::lb_server: return "server (behind the balancer)";
    default: break;  // roles added later: core's own name
  }
  return node_role_name(role);
}

std::string auto_node_name(const World& world, NodeRole role) {
  const char* prefix = "node";
  switch (role) {
    case NodeRole::plain: prefix = "node"; break;
    case NodeRole::token_coordinator: prefix = "coord"; break;
    case NodeRole::token_client: prefix = "client"; break;
    case NodeRole::cache: prefix = "cache"; break;
    case NodeRole::cache_client: prefix = "reader"; break;
    case NodeRole::storage: prefix = "storage"; break;
    case NodeRole::ticket_coordinator: prefix = "tickets"; break;
    case NodeRole::ticket_client:
    case NodeRole::queue_client:
    case NodeRole::redis_client:
    case NodeRole::redlock_client: prefix = "client"; break;
    case NodeRole::coord_service: prefix = "zk"; break;
    case NodeRole::redis: prefix = "redis"; break;
    case NodeRole::lb_client: prefix = "client"; break;
    case NodeRole::balancer: prefix = "lb"; break;
    case NodeRole::lb_server: prefix = "server"; break;
    default: prefix = node_role_name(role); break;
  }
  for (int i = 1;; ++i) {
    std::string name = std::string(prefix) + "-" + std::to_string(i);
    bool taken = false;
    for (const Node& node : world.nodes()) {
      if (node.name == name) {
        taken = true;
        break;
      }
    }
    if (!taken) return name;
  }
}

void ring_members_of_nodes(const World& world, std::vector<std::uint32_t>& out) {
  const auto& nodes = world.nodes();
  const auto& members = world.ring().members();
  out.assign(nodes.size(), kNoMember);
  for (std::uint32_t m = 0; m < members.size(); ++m) {
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      if (!nodes[n].removed && nodes[n].name == members[m]) {
        out[n] = m;
        break;
      }
    }
  }
}

SetClock clock_jumped(const World& world, NodeId id, SimTimeUs delta_us) {
  const Node& node = world.nodes()[id];
  return SetClock{node.name, world.local_time_us(id) - world.now_us() + delta_us, node.drift_ppm};
}

SetClock clock_drifted(const World& world, NodeId id, std::int32_t delta_ppm) {
  const Node& node = world.nodes()[id];
  const std::int32_t drift_ppm = std::clamp(node.drift_ppm + delta_ppm, -100'000, 100'000);
  return SetClock{node.name, world.local_time_us(id) - world.now_us(), drift_ppm};
}

std::vector<ClockFault> clock_faults(const World& world, NodeId id) {
  const Node& node = world.nodes()[id];
  const bool off_true_time = node.clock_skew_us != 0 || node.drift_ppm != 0;
  return {{"-1 s", "Jump back 1 s", true, clock_jumped(world, id, -kUsPerS)},
          {"+1 s", "Jump forward 1 s", true, clock_jumped(world, id, kUsPerS)},
          {"+10 s", "Jump forward 10 s", true, clock_jumped(world, id, 10 * kUsPerS)},
          {"1% fast", "Run 1% faster", true, clock_drifted(world, id, 10'000)},
          {"1% slow", "Run 1% slower", true, clock_drifted(world, id, -10'000)},
          {"true time", "Back to true time", off_true_time, SetClock{node.name, 0, 0}}};
}

std::optional<Command> partition_off_command(const World& world, const std::vector<NodeId>& off) {
  Partition partition;
  partition.groups.resize(2);
  const auto& nodes = world.nodes();
  for (NodeId id = 0; id < nodes.size(); ++id) {
    if (nodes[id].removed) continue;
    const bool is_off = std::find(off.begin(), off.end(), id) != off.end();
    partition.groups[is_off ? 1 : 0].push_back(nodes[id].name);
  }
  if (partition.groups[0].empty() || partition.groups[1].empty()) return std::nullopt;
  return Command(std::move(partition));
}

double mean_latency_us(const LinkConfig& link) {
  const auto& l = link.latency;
  switch (l.kind) {
    case LatencyKind::constant: return static_cast<double>(l.min_us);
    case LatencyKind::uniform: return 0.5 * static_cast<double>(l.min_us + l.max_us);
    case LatencyKind::long_tail: return std::min(static_cast<double>(l.max_us), 2.0 * static_cast<double>(l.min_us));
  }
  return static_cast<double>(l.min_us);
}

std::size_t first_record_at_or_after(const TraceLog& trace, std::size_t end, SimTimeUs t_us) {
  end = std::min(end, trace.size());
  auto it = std::lower_bound(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(end), t_us,
                             [](const TraceRecord& r, SimTimeUs t) { return r.time_us < t; });
  return static_cast<std::size_t>(it - trace.begin());
}

std::size_t first_record_of_event(const TraceLog& trace, std::size_t end, std::uint64_t event) {
  end = std::min(end, trace.size());
  auto it = std::lower_bound(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(end), event,
                             [](const TraceRecord& r, std::uint64_t e) { return r.event < e; });
  return static_cast<std::size_t>(it - trace.begin());
}

double nice_step(double raw) {
  if (!(raw > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  const double m = raw / p;
  if (m <= 1) return p;
  if (m <= 2) return 2 * p;
  if (m <= 5) return 5 * p;
  return 10 * p;
}

}  // namespace dsplay::ui
