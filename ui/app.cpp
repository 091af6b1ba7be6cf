// App: the facade the shells call (see app.hpp). Everything lives in AppCore (app_core.hpp);
// this file only keeps the shells' contract stable.
#include "ui/app.hpp"

#include "core/run_export.hpp"
#include "ui/app_core.hpp"

namespace dsplay::ui {

struct App::Impl {
  AppCore core;
};

App::App(Platform& platform, AppOptions options) : impl_(new Impl{AppCore(platform, std::move(options))}) {}
App::~App() = default;

void App::frame(double wall_dt_s) { impl_->core.frame(wall_dt_s); }

void App::open_scenario_text(const std::string& source_name, const std::string& json_text) {
  impl_->core.open_scenario_text(source_name, json_text);
}

bool App::quit_requested() const { return impl_->core.quit_requested(); }

std::string App::metrics_text() const {
  const Session& session = impl_->core.session();
  const TraceLog& trace = session.trace();
  RunRecorder recorder(100'000, 0);  // the exposition has no spans
  if (session.trace_end() == trace.size()) {
    recorder.observe(session.world(), trace);
  } else {  // scrubbed into the past: only the records up to now
    const TraceLog so_far(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(session.trace_end()));
    recorder.observe(session.world(), so_far);
  }
  return recorder.prometheus_text(session.world());
}

}  // namespace dsplay::ui
