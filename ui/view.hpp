// What panels read: the Session (world, trace, timeline), the node selection and the app's UI
// state, all const. A View is rebuilt by App every frame; panels keep only their own widget state
// (scroll, zoom, filter text) and send every change through UiCommands.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/session.hpp"

namespace dsplay::ui {

class ScenarioLibrary;
class LessonLibrary;
class LessonPlayer;

struct Selection {
  std::vector<NodeId> nodes;  // click order; the last one is the primary (shown by the inspector)

  NodeId primary() const { return nodes.empty() ? kNoNode : nodes.back(); }
  bool contains(NodeId node) const {
    for (NodeId n : nodes) {
      if (n == node) return true;
    }
    return false;
  }
};

struct UiState {
  bool playing = true;
  double speed_x = 0.2;           // simulated seconds per wall second
  bool sim_limited = false;       // the last frame could not simulate its whole budget in time
  bool show_help = false;
  bool show_network_settings = false;
  // Bumped whenever the known trace may have been rewritten (fork by a command, reseed, new
  // scenario); panels that cache derived data from the trace rebuild when it changes.
  std::uint64_t trace_generation = 0;
  std::string scenario_source;    // where the scenario came from ("assets/scenarios/x.json", a file name)
  std::string status;             // last command rejection or notice, one line ("" = none)
  double status_age_s = 0;
  std::vector<std::string> open_errors;  // errors of the last scenario that failed to open
  std::string open_errors_source;
};

struct View {
  const Session& session;
  const World& world;                          // session.world()
  const std::vector<std::string>& node_names;  // world.node_names(), NodeId -> name
  const std::vector<std::uint32_t>& ring_member_of_node;  // NodeId -> ring member index or kNoMember
  const Selection& selection;
  const UiState& ui;
  const ScenarioLibrary& library;
  float scale = 1.0f;        // AppOptions::ui_scale: multiply pixel sizes by it
  double wall_time_s = 0;    // for animations only (blinking, pulses); never for the simulation
  const LessonLibrary* lessons = nullptr;  // the built-in course (menus)
  const LessonPlayer* lesson = nullptr;    // the lesson being played (inactive when none)
  const std::vector<int>* lesson_steps_done = nullptr;  // per lessons->entries(): saved progress, -1 never opened

  const char* name_of(NodeId node) const {
    return node < node_names.size() ? node_names[node].c_str() : "?";
  }
};

}  // namespace dsplay::ui
