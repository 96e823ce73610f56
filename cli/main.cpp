#include <unistd.h>

#include <iostream>

#include "app.hpp"
#include "output.hpp"

int main(int argc, char** argv) {
  // Standard output through a buffer that keeps the OS error, so a failed write (a full disk,
  // /dev/full, a closed pipe) is an error with its reason and exit status 2, never success.
  irlint::FdBuf stdout_buf(STDOUT_FILENO);
  std::streambuf* previous = std::cout.rdbuf(&stdout_buf);
  int status = irlint::run_cli(argc, argv, std::cout, std::cerr);
  std::cout.rdbuf(previous);
  return status;
}
