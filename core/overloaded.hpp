// Overloaded{lambda...}: one visitor from several lambdas, for std::visit over core's variants.
#pragma once

namespace dsplay {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace dsplay
