// The hash-ring view: the 32-bit ring as a circle with every member's virtual points as ticks,
// arcs coloured by owner, sample keys as dots (keys moved by the last change highlighted with the
// moved/ideal fraction), per-member load bars, and buttons that add, fail or remove cache nodes
// and switch between consistent hashing and modulo hashing.
#pragma once
#include <cstdint>
#include <vector>

#include <imgui.h>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct RingView {
  void draw(const View& view, UiCommands& out);
  // Where the last draw put the ring (screen coordinates), for the lesson player's key highlights.
  struct Geometry {
    bool valid = false;
    ImVec2 center;
    float r_in = 0;
    float r_out = 0;
  };
  const Geometry& geometry() const { return geometry_; }

 private:
  Geometry geometry_;
  void controls(const View& view, UiCommands& out, NodeId selected_member_node);
  int points_edit_ = 100;  // slider value while dragging; SetParam is sent on release
  bool points_dragging_ = false;
  std::vector<std::uint32_t> bin_owner_;  // per angular bin, this frame
  std::vector<std::uint32_t> bin_tick_;
  std::vector<std::uint32_t> next_alive_;  // per ring point: index of the first live point at or after it
  std::vector<ImU32> colours_;             // per member, this frame
};

}  // namespace dsplay::ui
