// The balancing part of the app (see app_core.hpp): for a world with a load-balancing simulation
// the cluster and ring slots show the balancer panel and its metrics; in compare mode the two
// slots show the two runs side by side and the space-time slot their metrics overlaid (otherwise the
// monitoring panel, ui/monitor_panel.hpp). The
// compare choice is remembered as the "lb_compare" setting.
#include <imgui.h>

#include "ui/app_core.hpp"

namespace dsplay::ui {

namespace {
constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;

bool begin_slot(const std::string& title, const PanelRect& rect) {
  ImGui::SetNextWindowPos(rect.pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(rect.size, ImGuiCond_Always);
  return ImGui::Begin(title.c_str(), nullptr, kFlags);
}
}  // namespace

void AppCore::draw_balancing(const View& view, UiCommands& out, const Layout& layout) {
  if (!lb_setting_read_) {
    lb_setting_read_ = true;
    balance::LbAlgo algo;
    const std::string saved = platform_.load_setting("lb_compare");
    if (!saved.empty() && balance::parse_lb_algo(saved, algo)) {
      lb_compare_.request(algo);
      lb_compare_.sync(*session_);
    }
  }
  const std::optional<balance::LbAlgo> before = lb_compare_.requested();
  const balance::LoadBalancerSim& sim = *view.world.lb();
  if (!lb_compare_.active()) {
    if (begin_slot("Load balancer###lb_main", layout.cluster)) balancer_panel_.draw(view, out, lb_compare_);
    ImGui::End();
    if (begin_slot("Latency and load###lb_metrics", layout.ring)) lb_metrics_.draw(view, out);
    ImGui::End();
    if (layout.spacetime.size.x > 0) {  // presentation mode's layout leaves no room for it
      if (begin_slot("Monitoring: quantile estimators, anomaly detectors, request traces###lb_monitor", layout.spacetime))
        draw_tabs_with_traces("##monitor_tabs", "Quantiles and detectors", [&] { monitor_panel_.draw(view, out); }, view, out);
      ImGui::End();
    }
  } else {
    const World& b = lb_compare_.b()->world();
    const std::string a_title = std::string("A: ") + balance::lb_algo_label(sim.algo());
    const std::string b_title = std::string("B: ") + balance::lb_algo_label(b.lb()->algo());
    if (begin_slot("Compare mode \xc2\xb7 " + a_title + "###lb_main", layout.cluster)) {
      balancer_panel_.toolbar(view, out, lb_compare_);
      balancer_panel_.diagram.draw(view, view.world, &out, a_title.c_str(), kCompareA);
    }
    ImGui::End();
    if (begin_slot(b_title + ", same requests###lb_metrics", layout.ring)) {
      balancer_panel_.diagram_b.draw(view, b, &out, b_title.c_str(), kCompareB);
    }
    ImGui::End();
    if (layout.spacetime.size.x > 0) {
      if (begin_slot("Compare: A and B overlaid###lb_compare", layout.spacetime)) draw_lb_compare_metrics(view, view.world, b);
      ImGui::End();
    }
  }
  if (lb_compare_.requested() != before) {
    platform_.store_setting("lb_compare", lb_compare_.requested() ? balance::lb_algo_name(*lb_compare_.requested()) : "");
  }
}

}  // namespace dsplay::ui
