// Placeholder App until the panels land: one window, so the shells can be built and tested.
#include "ui/app.hpp"

#include <imgui.h>

namespace dsplay::ui {

struct App::Impl {
  Platform& platform;
  AppOptions options;
  std::string last_error;
  double sim_time_s = 0;
};

App::App(Platform& platform, AppOptions options) : impl_(new Impl{platform, std::move(options), {}, 0}) {}
App::~App() = default;

void App::frame(double wall_dt_s) {
  impl_->sim_time_s += wall_dt_s;
  ImGui::SetNextWindowPos(ImVec2(20, 20), ImGuiCond_FirstUseEver);
  ImGui::Begin("dsplay");
  ImGui::Text("dsplay on %s, t = %.2f s", impl_->platform.name(), impl_->sim_time_s);
  if (!impl_->last_error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", impl_->last_error.c_str());
  ImGui::End();
}

void App::open_scenario_text(const std::string& source_name, const std::string&) {
  impl_->last_error = source_name + ": scenarios not supported yet";
}

bool App::quit_requested() const { return false; }

}  // namespace dsplay::ui
