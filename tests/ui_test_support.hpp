// The ImGui front end driven headless in tests (no window, no GPU): one ImGui context per test,
// with the fonts the shells load, sized like a laptop screen; frame() builds one UI frame.
#pragma once
#include <imgui.h>

#include "ui/app.hpp"
#include "ui/app_core.hpp"

namespace dsplay::ui {

struct HeadlessImGui {
  // frame_dt_s: the wall time one frame() stands for unless the call says otherwise.
  explicit HeadlessImGui(double frame_dt_s = 1.0 / 60) : frame_dt_s_(frame_dt_s) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    load_fonts(1.0f);
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;

  void frame(AppCore& app) { frame(app, frame_dt_s_); }
  void frame(AppCore& app, double dt_s) {
    ImGui::GetIO().DeltaTime = static_cast<float>(dt_s);
    ImGui::NewFrame();
    app.frame(dt_s);
    ImGui::Render();
  }

 private:
  double frame_dt_s_;
};

}  // namespace dsplay::ui
