// Where the hash balancers put the keys: the ring (the world's ring, ketama's continuum, the
// bounded-load ring) as a circle of server points with the keys inside, Maglev's lookup table as
// a coloured strip (slot -> server, with the first slots enlarged and the slots that changed owner
// in the last rebuild marked), and jump / rendezvous / modulo as one column of keys per server.
// Keys that moved in the last membership change are highlighted, with the moved fraction against
// the ideal 1/(n+1).
#pragma once
#include <cstdint>
#include <vector>

#include <imgui.h>

#include "core/balance/lb_sim.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct PlacementView {
  void draw(const View& view, const balance::LoadBalancerSim& sim, UiCommands& out);

 private:
  void draw_ring(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const View& view, const balance::LoadBalancerSim& sim);
  void draw_maglev(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const View& view, const balance::LoadBalancerSim& sim);
  void draw_columns(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const View& view, const balance::LoadBalancerSim& sim);

  struct Point {
    std::uint32_t position;
    std::uint32_t server;  // kNoServer when its server is out of rotation
  };
  std::vector<Point> points_;
  std::vector<std::uint32_t> bin_owner_;
};

}  // namespace dsplay::ui
