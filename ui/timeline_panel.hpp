// The timeline strip: play/pause, step one event, step to the next delivery, step back, a speed
// slider on a log scale, a scrubber over every event computed so far (dragging seeks; rewinding
// restores a snapshot and replays), the simulated time and event count, and the editable seed.
#pragma once
#include <cstdint>

#include "core/scenario.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

constexpr double kSpeedMinX = 0.01;
constexpr double kSpeedMaxX = 1000.0;

// A speed at which this scenario's messages are visible in flight: a typical message takes about
// a quarter of a wall second to cross, rounded to 1-2-5 steps.
double default_speed_x(const Scenario& scenario);

struct TimelinePanel {
  void draw(const View& view, UiCommands& out);

 private:
  void scrubber(const View& view, UiCommands& out, float width);
  std::uint64_t seed_edit_ = 0;
  bool seed_active_ = false;
  bool scrubbing_ = false;
  std::uint64_t last_scrub_event_ = 0;
};

}  // namespace dsplay::ui
