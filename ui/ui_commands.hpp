// What panels emit: world commands (dsplay::Command, applied to the Session by App after drawing)
// and UI actions (timeline moves, selection, opening windows). Panels never change the world or
// the app state themselves; they only append here, so one frame's clicks are applied in order.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/command.hpp"
#include "core/locks/token_lock.hpp"
#include "core/network.hpp"
#include "core/sim_time.hpp"

namespace dsplay::ui {

// --- timeline ---
struct SetPlaying { bool playing = false; };
struct TogglePlaying {};
struct StepEvent {};      // one event forward (pauses)
struct StepDelivery {};   // forward until a message has been delivered (pauses)
struct StepBack {};       // one event back: seek_event(current - 1) (pauses)
struct SeekEvent { std::uint64_t event = 0; };
struct SeekTime { SimTimeUs time_us = 0; };
struct SeekPresent {};    // to the furthest known event
struct SetSpeed { double speed_x = 1.0; };
struct ScaleSpeed { double factor = 2.0; };
struct Reseed { std::uint64_t seed = 1; };
// --- scenarios and files ---
struct OpenBuiltin { std::string path; };  // an embedded "assets/scenarios/*.json" (or "" = the built-in demo)
struct RestartScenario {};                  // the current scenario from the start, command log dropped
struct ExportTrace {};
struct SaveScenario {};
// The token lock's coordinator re-election (token_lock.reelection). It needs standby coordinator
// nodes from t=0, so it cannot change mid-run: the app reopens the current scenario with the mode
// set, from the start, with the same seed and scripted faults (the user's own commands dropped).
struct SetTokenReelection { TokenReelection mode = TokenReelection::off; };
// --- selection ---
enum class SelectMode : std::uint8_t { replace, toggle };
struct SelectNode { NodeId node = kNoNode; SelectMode mode = SelectMode::replace; };
struct ClearSelection {};
// --- windows ---
struct ShowHelp { bool show = true; };
struct ToggleHelp {};
struct ShowNetworkSettings { bool show = true; };
struct DismissError {};
struct Quit {};
// --- lessons and sharing (ui/lesson_player.hpp, ui/app_lessons.cpp) ---
struct CourseAction {
  enum class Op : std::uint8_t {
    open_lesson,          // path: an embedded "lessons/*.json" (or a lesson name); resumes saved progress
    start_over,           // the current lesson from its first step, progress cleared
    close_lesson,
    next,                 // the next step (only when the step's gate and question allow it)
    back,
    go_to_step,           // index: a step already visited
    advance,              // presentation clicker: reveal the answer, else "show me", else next
    reset_step,           // back to where this step began, the learner's actions since dropped
    answer_choice,        // index: the choice
    answer_number,        // value
    show_me,              // play the step's scripted solution
    toggle_presentation,
    share_link,           // make a share link of this run (web: also the URL fragment)
    share_file,           // save a share file (desktop: dsplay-share.json)
    open_file,            // ask the shell for a file picker (web)
    dismiss_share,
  };
  Op op = Op::next;
  std::string path;
  int index = 0;
  double value = 0;
};

using UiAction = std::variant<SetPlaying, TogglePlaying, StepEvent, StepDelivery, StepBack, SeekEvent,
                              SeekTime, SeekPresent, SetSpeed, ScaleSpeed, Reseed, OpenBuiltin,
                              RestartScenario, SetTokenReelection, ExportTrace, SaveScenario, SelectNode, ClearSelection,
                              ShowHelp, ToggleHelp, ShowNetworkSettings, DismissError, Quit, CourseAction>;

// One frame's output of all panels, in the order they were emitted. World commands and UI actions
// keep their relative order (a click that selects then crashes applies in that order).
struct UiCommands {
  using Item = std::variant<Command, UiAction>;
  std::vector<Item> items;

  void emit(Command command) { items.emplace_back(std::in_place_index<0>, std::move(command)); }
  void act(UiAction action) { items.emplace_back(std::in_place_index<1>, std::move(action)); }
  bool empty() const { return items.empty(); }
  void clear() { items.clear(); }
};

}  // namespace dsplay::ui
