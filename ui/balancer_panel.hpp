// The load-balancer panel: requests animate from the clients through the balancer to the servers
// (line widths show where the balancer sends its traffic), every server shows its service slots
// and a queue bar, and a click on a server kills it, slows it, pauses it or brings it back. The
// toolbar switches the algorithm and the arrival rate and opens compare mode. Everything is read
// from the world's LoadBalancerSim; changes go out as commands (crash, client "slow", SetParam).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include <imgui.h>

#include "core/balance/lb_sim.hpp"
#include "ui/lb_compare.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

// One colour per server (by index), shared by the diagram, the plots and the placement view.
ImU32 lb_server_colour(std::uint32_t server);
// "12.3 ms", "1.25 s", "850 us"
std::string lb_format_latency(SimTimeUs us);

struct LbDiagram {
  // Draws the diagram of `world`'s simulation in the rest of the current window. heading: drawn
  // top left (compare mode names the side); out may be null (read-only).
  void draw(const View& view, const World& world, UiCommands* out, const char* heading, ImU32 heading_col);

 private:
  void server_menu(const View& view, const World& world, UiCommands& out);
  NodeId menu_node_ = kNoNode;
  std::vector<ImVec2> server_pos_;  // left-middle of each server box, this frame
  std::vector<ImVec2> client_pos_;
};

struct BalancerPanel {
  // Toolbar (algorithm, rate, health checks, + server, compare) and the diagram of the main world.
  void draw(const View& view, UiCommands& out, LbCompare& compare);
  // The toolbar alone (compare mode draws it above the two diagrams).
  void toolbar(const View& view, UiCommands& out, LbCompare& compare);
  LbDiagram diagram;
  LbDiagram diagram_b;  // compare mode's second diagram

 private:
  int rate_edit_ = 100;
  bool rate_dragging_ = false;
};

}  // namespace dsplay::ui
