// Starting threads on a system that may have none left: every thread irlint starts goes through
// these, so that running out is a slower run, never std::terminate.
#pragma once

#include <atomic>
#include <future>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

namespace irlint {

/// For tests: while true, every start below fails as if the system had no threads left.
inline std::atomic<bool>& refuse_new_threads() {
  static std::atomic<bool> refused{false};
  return refused;
}

/// Throws what a thread constructor throws when the system has none left, while tests refuse them.
inline void throw_if_threads_refused() {
  if (refuse_new_threads()) {
    throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  }
}

/// Starts `f` on a new thread (std::thread or std::jthread); throws std::system_error when the
/// system cannot start one, like the constructor.
template <class Thread = std::thread, class F>
Thread start_thread(F&& f) {
  throw_if_threads_refused();
  return Thread(std::forward<F>(f));
}

/// `std::async(std::launch::async, f)`; throws std::system_error when no thread can be started.
template <class F>
std::future<std::invoke_result_t<std::decay_t<F>>> start_async(F&& f) {
  throw_if_threads_refused();
  return std::async(std::launch::async, std::forward<F>(f));
}

/// Runs `f` on a new thread when one can be started, else on the thread that first waits for
/// its result: the same answer, later.
template <class F>
std::future<std::invoke_result_t<F>> async_or_deferred(F f) {
  try {
    return start_async(f);
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, std::move(f));
  }
}

}  // namespace irlint
