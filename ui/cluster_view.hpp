// The cluster view: nodes on a circle coloured by what they are doing, messages in flight moving
// from sender to receiver, cut links and partitions marked. Click selects (ctrl-click adds),
// right-click opens the node / link / background menus that emit crash, pause, cut, partition...
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include <imgui.h>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct ClusterView {
  bool show_legend = true;

  void draw(const View& view, UiCommands& out);
  // Where the last draw put each node (screen coordinates, per NodeId) and how big: the lesson
  // player outlines highlighted nodes and links over them.
  const std::vector<ImVec2>& node_positions() const { return pos_; }
  const std::vector<std::uint8_t>& node_visible() const { return visible_; }
  float node_radius() const { return node_r_; }

 private:
  void node_menu(const View& view, UiCommands& out);
  void link_menu(const View& view, UiCommands& out);
  void background_menu(const View& view, UiCommands& out);
  void place_flat_labels(const View& view, ImDrawList* dl, const std::vector<NodeId>& order, ImVec2 center, float node_r,
                         ImVec2 clip_min, ImVec2 clip_max, NodeId hovered_node);

  NodeId menu_node_ = kNoNode;  // the node whose context menu is open
  NodeId link_a_ = kNoNode;     // the link whose menu is open
  NodeId link_b_ = kNoNode;
  std::int64_t get_key_ = 0;    // key index for a cache client's "get"
  std::vector<ImVec2> pos_;     // per NodeId, this frame
  std::vector<std::uint8_t> visible_;
  float node_r_ = 0;
  std::vector<std::pair<ImVec2, ImVec2>> labels_;  // occupied rectangles while placing labels
  // The legend lists the message types this run sends: the trace is scanned incrementally.
  void scan_sent_payloads(const View& view);
  std::vector<std::uint8_t> payload_sent_;  // by payload index
  std::size_t payloads_scanned_ = 0;        // trace records looked at
  std::pair<const void*, std::uint64_t> payloads_scanned_of_{nullptr, 0};  // (session, ui.trace_generation)
};

// Opens the popup `popup_id` for node `id` and draws its header (name, role, state); returns the
// node, or nullptr when the popup is not open or the node is gone (the popup is then ended).
const Node* begin_node_popup(const char* popup_id, const World& world, NodeId id);
// Menu items shared by the cluster view's context menu and the inspector's action buttons.
void node_action_items(const View& view, NodeId node, UiCommands& out, std::int64_t& get_key);
// "Cut link to ▸" submenu for `node`.
void cut_link_menu(const View& view, NodeId node, UiCommands& out);
// "Add node ▸" submenu items (auto-named).
void add_node_items(const View& view, UiCommands& out);

}  // namespace dsplay::ui
