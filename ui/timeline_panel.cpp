// The timeline strip (see timeline_panel.hpp).
#include "ui/timeline_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/stable_hash.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

double default_speed_x(const Scenario& scenario) {
  double latency_s = mean_latency_us(scenario.config.network) / 1e6;
  // Load balancing: a request should take about a tenth of a wall second to fly each hop.
  const auto& lb = scenario.config.balancing;
  for (const NodeSpec& n : scenario.config.nodes)
    if (n.role == NodeRole::balancer) latency_s = 2.5 * static_cast<double>(lb.client_hop_us + lb.server_hop_us) / 2e6;
  const double wanted = std::clamp(latency_s / 0.25, kSpeedMinX, kSpeedMaxX);
  // nearest 1-2-5 value in log space
  double best = 1, best_err = 1e9;
  for (double decade = 0.01; decade <= 1000; decade *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = decade * m;
      const double err = std::fabs(std::log(v / wanted));
      if (err < best_err && v >= kSpeedMinX && v <= kSpeedMaxX) {
        best = v;
        best_err = err;
      }
    }
  }
  return best;
}

void TimelinePanel::scrubber(const View& view, UiCommands& out, float width) {
  const Session& session = view.session;
  const float h = ImGui::GetFrameHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  width = std::max(width, 40.0f);
  ImGui::InvisibleButton("##scrub", ImVec2(width, h));
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = 6 * view.scale;
  const float x0 = p.x + pad, x1 = p.x + width - pad;
  const float ty0 = p.y + h * 0.3f, ty1 = p.y + h * 0.7f;
  const std::uint64_t known = std::max<std::uint64_t>(session.known_events(), 1);
  const std::uint64_t current = session.current_event();
  auto x_of = [&](std::uint64_t e) { return x0 + (x1 - x0) * static_cast<float>(static_cast<double>(e) / static_cast<double>(known)); };

  dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + width, p.y + h), IM_COL32(30, 35, 46, 255), 4.0f);
  dl->AddRectFilled(ImVec2(x0, ty0), ImVec2(x1, ty1), IM_COL32(58, 66, 84, 255), 3.0f);  // known future
  dl->AddRectFilled(ImVec2(x0, ty0), ImVec2(x_of(current), ty1), with_alpha(colour::accent, 200), 3.0f);
  // user commands (blue) and violations (red) as ticks
  for (const LoggedCommand& c : session.command_log()) {
    const float x = x_of(c.event);
    dl->AddLine(ImVec2(x, p.y + 2), ImVec2(x, ty0), IM_COL32(150, 200, 255, 220), 2.0f);
  }
  for (const Violation& v : view.world.violations()) {
    const float x = x_of(v.event);
    dl->AddLine(ImVec2(x, ty1), ImVec2(x, p.y + h - 2), colour::danger, 2.0f);
  }
  const float cx = x_of(current);
  dl->AddRectFilled(ImVec2(cx - 2.5f, p.y + 1), ImVec2(cx + 2.5f, p.y + h - 1), colour::select, 2.0f);

  auto event_at_mouse = [&]() {
    const float t = std::clamp((ImGui::GetIO().MousePos.x - x0) / std::max(x1 - x0, 1.0f), 0.0f, 1.0f);
    return static_cast<std::uint64_t>(std::llround(t * static_cast<double>(session.known_events())));
  };
  if (active) {
    if (!scrubbing_) {
      scrubbing_ = true;
      last_scrub_event_ = current;
      out.act(SetPlaying{false});
    }
    const std::uint64_t e = event_at_mouse();
    if (e != last_scrub_event_) {
      out.act(SeekEvent{e});
      last_scrub_event_ = e;
    }
  } else {
    scrubbing_ = false;
  }
  if (hovered || active) {
    const std::uint64_t e = event_at_mouse();
    const TraceLog& trace = session.trace();
    const std::size_t i = first_record_of_event(trace, trace.size(), e);
    const SimTimeUs t = i < trace.size() ? trace[i].time_us : session.known_time_us();
    ImGui::SetTooltip("event %llu at %s\ndrag to travel in time (blue: your commands, red: violations)",
                      static_cast<unsigned long long>(e), format_duration(t).c_str());
  }
}

void TimelinePanel::draw(const View& view, UiCommands& out) {
  const Session& session = view.session;
  const World& world = session.world();
  const float s = view.scale;

  // --- row 1: transport, speed, time, seed ---
  if (icon_button("##to_start", Icon::to_start, "Back to the start (event 0)", session.current_event() > 0)) out.act(SeekEvent{0});
  ImGui::SameLine(0, 3 * s);
  if (icon_button("##back", Icon::step_back, "Step back one event  [Left]", session.current_event() > 0)) out.act(StepBack{});
  ImGui::SameLine(0, 3 * s);
  if (view.ui.playing) {
    if (icon_button("##pause", Icon::pause, "Pause  [Space]")) out.act(SetPlaying{false});
  } else {
    if (icon_button("##play", Icon::play, "Play  [Space]")) out.act(SetPlaying{true});
  }
  ImGui::SameLine(0, 3 * s);
  if (icon_button("##step", Icon::step, "Step one event  [Right]")) out.act(StepEvent{});
  ImGui::SameLine(0, 3 * s);
  if (icon_button("##delivery", Icon::next_delivery, "Run to the next message delivery  [Shift+Right]")) out.act(StepDelivery{});
  ImGui::SameLine(0, 3 * s);
  if (icon_button("##to_end", Icon::to_end, "Jump to the present (the furthest computed event)", session.in_past())) out.act(SeekPresent{});

  ImGui::SameLine(0, 12 * s);
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("speed");
  ImGui::SameLine();
  float speed = static_cast<float>(view.ui.speed_x);
  const char* format = speed < 0.095f ? "%.2fx" : speed < 9.5f ? "%.1fx" : "%.0fx";
  ImGui::SetNextItemWidth(120 * s);
  if (ImGui::SliderFloat("##speed", &speed, static_cast<float>(kSpeedMinX), static_cast<float>(kSpeedMaxX), format,
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    out.act(SetSpeed{speed});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Simulated time per real second  [+ / -]\nctrl-click to type a value");

  ImGui::SameLine(0, 12 * s);
  const SimTimeUs now = world.now_us();
  const std::string now_text = format_duration(now - now % kUsPerMs);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("t = %s", now_text.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Simulated time: %s", format_duration(now).c_str());
  ImGui::SameLine(0, 12 * s);
  ImGui::TextDisabled("event");
  ImGui::SameLine(0, 4 * s);
  ImGui::Text("%llu / %llu", static_cast<unsigned long long>(session.current_event()), static_cast<unsigned long long>(session.known_events()));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Current event / furthest event computed so far");
  if (view.ui.sim_limited) {
    ImGui::SameLine(0, 8 * s);
    ImGui::TextColored(to_vec4(colour::warning), "(CPU limit)");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The simulation cannot keep up with this speed; it runs as fast as it can.");
  }

  // seed, right-aligned
  {
    const float seed_w = 110 * s;
    const float dice_w = ImGui::CalcTextSize("new").x + ImGui::GetStyle().FramePadding.x * 2;
    const float label_w = ImGui::CalcTextSize("seed").x;
    const float total = label_w + seed_w + dice_w + ImGui::GetStyle().ItemSpacing.x * 2;
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float after_last = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 12 * s;
    ImGui::SameLine(std::max(after_last, right - total));
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("seed");
    ImGui::SameLine();
    if (!seed_active_) seed_edit_ = world.seed();
    ImGui::SetNextItemWidth(seed_w);
    const bool entered = ImGui::InputScalar("##seed", ImGuiDataType_U64, &seed_edit_, nullptr, nullptr, "%llu",
                                            ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CharsDecimal);
    seed_active_ = ImGui::IsItemActive();
    if (entered) {
      out.act(Reseed{seed_edit_});
      seed_active_ = false;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Every random choice comes from this seed: the same seed gives the same run, on every machine.\nType a number and press Enter to rerun with it (your commands are replayed).");
    ImGui::SameLine();
    if (ImGui::Button("new")) {
      const std::uint64_t mixed = mix64(world.seed() ^ static_cast<std::uint64_t>(view.wall_time_s * 1e6) ^ 0x5EEDull);
      out.act(Reseed{1 + mixed % 999999});
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Rerun with a fresh random seed");
  }

  // --- row 2: scrubber + a status slot of constant width (so dragging never resizes the bar):
  // "at the present" when live, the "viewing the past" warning after a rewind ---
  const char* past_text = "viewing the past \xe2\x80\x94 acting here discards the future";
  const float slot_w = ImGui::CalcTextSize(past_text).x + 16 * s;
  const float scrub_w = std::max(80.0f * s, ImGui::GetContentRegionAvail().x - slot_w - ImGui::GetStyle().ItemSpacing.x);
  scrubber(view, out, scrub_w);
  ImGui::SameLine();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetFrameHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float text_y = p.y + (h - ImGui::GetTextLineHeight()) * 0.5f;
  if (session.in_past()) {
    const float pulse = 0.75f + 0.25f * static_cast<float>(std::sin(view.wall_time_s * 3.0));
    dl->AddRectFilled(p, ImVec2(p.x + slot_w, p.y + h), with_alpha(colour::warning_bg, static_cast<int>(235 * pulse)), 4.0f);
    dl->AddText(ImVec2(p.x + 8 * s, text_y), colour::warning, past_text);
    ImGui::Dummy(ImVec2(slot_w, h));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("You rewound: this is how the world was. Play or step to replay the same future,\nor act (crash, cut...) to fork a new future from here.");
  } else {
    const float r = h * 0.18f;
    const ImVec2 dot(p.x + 8 * s + r, p.y + h * 0.5f);
    const bool on = !view.ui.playing || std::fmod(view.wall_time_s, 1.2) < 0.8;
    dl->AddCircleFilled(dot, r, on ? colour::ok : with_alpha(colour::ok, 90), 12);
    dl->AddText(ImVec2(dot.x + r + 6 * s, text_y), colour::text_dim, view.ui.playing ? "live: the present, running" : "live: the present, paused");
    ImGui::Dummy(ImVec2(slot_w, h));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag the bar to the left to go back in time; the run replays exactly.");
  }
}

}  // namespace dsplay::ui
